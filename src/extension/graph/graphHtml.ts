// The graph webview's page, under a strict Content Security Policy: the script only with this
// page's nonce, styles, fonts and images only from the extension's own files, nothing else.
import { randomBytes } from 'crypto';

export interface GraphPageUris {
  script: string;
  style: string;
}

/** `viewState` (JSON) is what the view showed when this document's graph was last closed. */
export function graphHtml(cspSource: string, nonce: string, uris: GraphPageUris, title: string, viewState?: string): string {
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uris.style}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="root"${viewState ? ` data-view-state="${escapeHtml(viewState)}"` : ''}></div>
<script nonce="${nonce}" src="${uris.script}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** A fresh nonce per page load (base64 of 16 random bytes). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}
