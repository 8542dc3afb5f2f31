// `npm run bench:graph`: how long the graph editor's webview takes to lay out and draw a generated
// 300-layer model in Chromium. Serves the built bundle (dist/webview/graph.*) in a plain page with
// a stubbed acquireVsCodeApi, posts the model as the extension host would, and reads the webview's
// own `rendered` report (model received → laid out → painted), plus the longest main-thread task
// meanwhile (the UI thread must stay responsive).
//
// Options: --layers N (default 300), --runs N (warm runs, default 5), --model FILE (draw a model
// file instead), --shot FILE.png (screenshot after the first render), --theme dark|light|hc,
// --budget MS (exit 1 when the cold render is slower; default 1000), --typed-budget MS (exit 1 when
// a typed edit on examples/digits-cnn takes longer to reach the graph; default 100), --serve
// (only serve the page).
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { chromium, type Page } from 'playwright-core';
import { analyzeModel } from '../src/analysis/analyze';
import { generateGraphBenchModel } from '../src/bench/graph-model';
import { buildGraphModel } from '../src/extension/graph/graphView';
import type { GraphModel, GraphToHost } from '../src/webview-protocol/graph';
import { chromiumPath } from './vscode-test/browser';
import { themeVariables, type ThemeName } from './bench-graph-theme';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html', '.map': 'application/json' };

function page(theme: ThemeName): string {
  const vars = Object.entries(themeVariables(theme))
    .map(([k, v]) => `${k}: ${v};`)
    .join(' ');
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/webview/graph.css"><style>html { ${vars} }</style>
<script>
  // tsx keeps function names with a helper that page.evaluate'd code refers to.
  window.__name = (f) => f;
  window.__posted = []; window.__state = undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.__posted.push(m); window.dispatchEvent(new CustomEvent('posted', { detail: m })); },
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
</script></head>
<body><div id="root"></div><script src="/webview/graph.js"></script></body></html>`;
}

function serve(theme: ThemeName): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(page(theme));
      return;
    }
    const file = path.join(dist, path.normalize(url.pathname));
    if (!file.startsWith(dist) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => server.close() });
    });
  });
}

type Rendered = Extract<GraphToHost, { type: 'rendered' }>;

/** Posts a model to the webview and waits for its render report. */
async function render(p: Page, model: GraphModel): Promise<Rendered & { longestTaskMs: number; wallMs: number }> {
  return p.evaluate(
    (m) =>
      new Promise<Rendered & { longestTaskMs: number; wallMs: number }>((resolve, reject) => {
        const long: number[] = [];
        const observer = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) long.push(e.duration);
        });
        observer.observe({ type: 'longtask' });
        const started = performance.now();
        const timer = setTimeout(() => reject(new Error('no render report within 30 s')), 30_000);
        const onPosted = (e: Event) => {
          const d = (e as CustomEvent).detail as GraphToHost;
          if (d.type !== 'rendered' || d.version !== m.version) return;
          window.removeEventListener('posted', onPosted);
          clearTimeout(timer);
          const wallMs = performance.now() - started;
          // Long tasks are reported after they end; give the observer a moment.
          setTimeout(() => {
            observer.disconnect();
            resolve({ ...d, longestTaskMs: Math.round(Math.max(0, ...long)), wallMs: Math.round(wallMs) });
          }, 50);
        };
        window.addEventListener('posted', onPosted);
        window.postMessage({ type: 'model', model: m }, '*');
      }),
    model,
  );
}

function graphOf(text: string, name: string, version: number): GraphModel {
  return buildGraphModel(text, analyzeModel(text), name, version);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<number> {
  const layers = Number(arg('layers') ?? 300);
  const runs = Number(arg('runs') ?? 5);
  const budget = Number(arg('budget') ?? 1000);
  const typedBudget = Number(arg('typed-budget') ?? 100);
  const theme = (arg('theme') ?? 'dark') as ThemeName;
  const modelFile = arg('model');
  const shot = arg('shot');
  const bundle = path.join(dist, 'webview', 'graph.js');
  if (!fs.existsSync(bundle)) throw new Error('dist/webview/graph.js is missing; run `node esbuild.js` first.');
  const production = !fs.readFileSync(bundle, 'utf8').includes('react-dom.development');

  const text = modelFile ? fs.readFileSync(modelFile, 'utf8') : generateGraphBenchModel(layers);
  const name = modelFile ? path.basename(modelFile) : `generated-${layers}.nn.yaml`;
  const first = graphOf(text, name, 1);

  const server = await serve(theme);
  if (process.argv.includes('--serve')) {
    // For looking at the webview by hand: the page waits for models posted from the console.
    console.log(`serving the graph webview at ${server.url} (Ctrl+C ends)`);
    await new Promise(() => undefined);
  }
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const errors: string[] = [];
  try {
    const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`);
    });
    await p.goto(server.url);
    await p.waitForFunction(() => (window as unknown as { __posted: GraphToHost[] }).__posted.some((m) => m.type === 'ready'), undefined, { timeout: 30_000 });
    const cold = await render(p, first);
    const drawn = await p.locator('.react-flow__node').count();
    if (shot) {
      await p.waitForTimeout(300);
      await p.screenshot({ path: shot });
    }

    // Structure changes (a layer more, a layer less) each need a new layout.
    const warm: number[] = [];
    const warmLayout: number[] = [];
    let longest = cold.longestTaskMs;
    for (let i = 0; i < runs && !modelFile; i++) {
      const variant = graphOf(generateGraphBenchModel(layers - (i % 2)), name, 2 + i);
      const r = await render(p, variant);
      warm.push(r.totalMs);
      warmLayout.push(r.layoutMs);
      longest = Math.max(longest, r.longestTaskMs);
    }
    // A keystroke in the text: the host analyses the new text and builds the graph model (timed
    // here in Node), then the webview draws it (no layout: only a parameter changed). VS Code's
    // own hops (keystroke to extension host, postMessage to the webview) are not in it.
    const typed = async (source: string, sourceName: string, version: number) => {
      const changed = source.replace(/units: (\d+)/, (_, u) => `units: ${Number(u) + 1}0`);
      if (changed === source) throw new Error(`${sourceName} has no \`units:\` to edit`);
      const started = performance.now();
      const model = graphOf(changed, sourceName, version);
      const hostMs = performance.now() - started;
      const drawn = await render(p, model);
      return { hostMs: Math.round(hostMs), webviewMs: drawn.wallMs, totalMs: Math.round(hostMs) + drawn.wallMs };
    };
    const param = await typed(text, name, 100);
    const exampleFile = path.join(root, 'examples', 'digits-cnn.nn.yaml');
    const exampleText = fs.readFileSync(exampleFile, 'utf8');
    await render(p, graphOf(exampleText, 'digits-cnn.nn.yaml', 200));
    const exampleEdit = await typed(exampleText, 'digits-cnn.nn.yaml', 201);

    const mode = production ? 'production bundle' : 'development bundle (React dev mode; `node esbuild.js --production` for shipping numbers)';
    console.log(`Graph editor render benchmark — ${first.layers.length} layers, ${first.edges.length} edges, Chromium (${mode})`);
    console.log(`  first render: ${cold.totalMs} ms (layout ${cold.layoutMs} ms), ${drawn} cards in the DOM (only those on screen are drawn)`);
    if (warm.length > 0) console.log(`  re-layout after a structure change, ${warm.length} runs: median ${median(warm)} ms, max ${Math.max(...warm)} ms (layout median ${median(warmLayout)} ms)`);
    const typedLine = (what: string, t: { hostMs: number; webviewMs: number; totalMs: number }) =>
      `  typed edit, ${what}: ${t.totalMs} ms to the graph (host analysis + model ${t.hostMs} ms, webview ${t.webviewMs} ms; budget ${typedBudget} ms)`;
    console.log(typedLine(`this ${first.layers.length}-layer model`, param));
    console.log(typedLine('examples/digits-cnn.nn.yaml', exampleEdit));
    console.log(`  longest main-thread task during these renders: ${longest} ms`);
    if (errors.length > 0) console.log(`  page errors:\n    ${errors.join('\n    ')}`);
    const problems = [
      cold.totalMs >= budget ? `the first render, ${cold.totalMs} ms, is over the ${budget} ms budget` : '',
      exampleEdit.totalMs >= typedBudget ? `the typed edit on digits-cnn, ${exampleEdit.totalMs} ms, is over the ${typedBudget} ms budget` : '',
      errors.some((e) => !e.startsWith('console.warning')) ? 'the page reported errors' : '',
    ].filter(Boolean);
    console.log(problems.length === 0 ? `  PASS: first render under ${budget} ms, a typed edit on an example under ${typedBudget} ms` : `  FAIL: ${problems.join('; ')}`);
    const ok = problems.length === 0;
    return ok ? 0 : 1;
  } finally {
    await browser.close();
    server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
