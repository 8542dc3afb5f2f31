// The graph webview's page: the shared strict-CSP page, with the view state to restore.
import { webviewPageHtml } from '../webviewPage';

export interface GraphPageUris {
  script: string;
  style: string;
}

/** `viewState` (JSON) is what the view showed when this document's graph was last closed. */
export function graphHtml(cspSource: string, uris: GraphPageUris, title: string, viewState?: string): string {
  return webviewPageHtml({ cspSource, ...uris, title, rootId: 'root', rootAttributes: viewState ? { 'data-view-state': viewState } : undefined });
}
