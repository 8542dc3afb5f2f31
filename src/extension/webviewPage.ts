// The one page every Layerwise webview loads, under a strict Content Security Policy: the script
// only with this page's nonce; styles, fonts and images only from the extension's own files (and
// data: images, which the views draw and which the Explain view gets for a picture a user opens).
import { randomBytes } from 'crypto';

export interface WebviewPage {
  /** `webview.cspSource`. */
  cspSource: string;
  script: string;
  style: string;
  title: string;
  /** The element the bundle mounts into. */
  rootId: string;
  /** Extra attributes on the root element (names are ours; values are escaped). */
  rootAttributes?: Record<string, string>;
}

export function webviewPageHtml(page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const src = page.cspSource;
  const csp = ["default-src 'none'", `img-src ${src} data:`, `style-src ${src}`, `font-src ${src}`, `script-src 'nonce-${nonce}'`].join('; ');
  const attributes = Object.entries(page.rootAttributes ?? {})
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(page.style)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<div id="${page.rootId}"${attributes}></div>
<script nonce="${nonce}" src="${escapeHtml(page.script)}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
