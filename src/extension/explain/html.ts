// The Explain view's page, under a strict Content Security Policy: the script only with this
// page's nonce; styles, fonts and images only from the extension's files (and data: images, for
// the picture a user opens, which the host sends as a data URL).
import { randomBytes } from 'crypto';

export function explainHtml(cspSource: string, uris: { script: string; style: string }, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = ["default-src 'none'", `img-src ${cspSource} data:`, `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  const safeTitle = title.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uris.style}">
<title>${safeTitle}</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${uris.script}"></script>
</body>
</html>`;
}
