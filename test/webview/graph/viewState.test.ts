// The graph's view state across closing and reopening: the host writes the last state into the
// page it makes, escaped so any text survives, and the view reads it back when VS Code has none.
import * as assert from 'assert';
import { graphHtml } from '../../../src/extension/graph/graphHtml';
import type { GraphViewState } from '../../../src/webview-protocol/graph';
import { loadState } from '../../../webview/graph/app/vscodeApi';

const uris = { script: 'https://x/graph.js', style: 'https://x/graph.css' };

/** The root element's data-view-state attribute, unescaped as a browser would. */
function rootAttribute(html: string): string | undefined {
  const m = /<div id="root"(?: data-view-state="([^"]*)")?><\/div>/.exec(html);
  assert.ok(m, 'the page has no root element');
  if (m[1] === undefined) return undefined;
  return m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** Runs `body` with a page whose root carries `attribute` (the view's globals stubbed). */
function withPage<T>(attribute: string | undefined, body: () => T): T {
  const g = globalThis as { document?: unknown };
  const saved = g.document;
  g.document = { getElementById: (id: string) => (id === 'root' ? { dataset: attribute === undefined ? {} : { viewState: attribute } } : null) };
  try {
    return body();
  } finally {
    g.document = saved;
  }
}

describe('graph editor: view state kept across reopening', () => {
  const state: GraphViewState = {
    viewport: { x: -12.5, y: 40, zoom: 1.44 },
    selected: ['hidden2', 'odd"id<&>'],
    paletteQuery: 'a "quoted" <b>&</b> query',
    panelOpen: false,
    paletteOpen: true,
    minimap: true,
  };

  it('writes the state into the page escaped, and the view reads the same state back', () => {
    const html = graphHtml('vscode-resource:', uris, 'Graph', JSON.stringify(state));
    const attribute = rootAttribute(html);
    assert.strictEqual(attribute, JSON.stringify(state));
    assert.deepStrictEqual(withPage(attribute, loadState), state);
  });

  it('writes no state for a document whose graph was never open, and the view starts empty', () => {
    const html = graphHtml('vscode-resource:', uris, 'Graph');
    assert.strictEqual(rootAttribute(html), undefined);
    assert.deepStrictEqual(withPage(undefined, loadState), {});
  });

  it('starts empty instead of failing on a state it cannot read', () => {
    assert.deepStrictEqual(withPage('{not json', loadState), {});
    assert.deepStrictEqual(withPage('42', loadState), {});
  });
});

describe('webview pages: strict Content Security Policy', () => {
  it('allows scripts only with a fresh nonce and everything else only from the extension', () => {
    const pages = [graphHtml('vscode-resource:', uris, 'Graph'), graphHtml('vscode-resource:', uris, 'Graph')];
    const nonces = pages.map((html) => {
      const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1];
      assert.match(csp, /^default-src 'none'; img-src vscode-resource: data:; style-src vscode-resource:; font-src vscode-resource:; script-src 'nonce-[A-Za-z0-9+/=]+'$/);
      const nonce = /'nonce-([^']+)'/.exec(csp)![1];
      assert.ok(html.includes(`<script nonce="${nonce}" src=`), 'the script tag carries the page nonce');
      assert.ok(!/<script(?![^>]*nonce=)/.test(html), 'no script without the nonce');
      return nonce;
    });
    assert.notStrictEqual(nonces[0], nonces[1], 'each page load gets its own nonce');
  });
});
