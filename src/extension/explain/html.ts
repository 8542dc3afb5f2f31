// The Explain view's page: the shared strict-CSP page (data: images allowed there, for the
// picture a user opens, which the host sends as a data URL).
import { webviewPageHtml } from '../webviewPage';

export function explainHtml(cspSource: string, uris: { script: string; style: string }, title: string): string {
  return webviewPageHtml({ cspSource, ...uris, title, rootId: 'root' });
}
