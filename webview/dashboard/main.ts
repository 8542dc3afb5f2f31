// The "Layerwise: Training" dashboard page: run controls, the model's runs (view one, overlay
// others), and uPlot charts. Messages only update the data; drawing happens at most once per
// animation frame. The numbers drawn are also exposed as data attributes and an accessible
// table, so tests (and screen readers) can read them without looking at pixels.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { DashboardRunState, DashboardToHost, HostToDashboard, RunData, RunSummary } from '../../src/webview-protocol/dashboard';
import { buildCharts, type ChartSpec } from './charts';

declare function acquireVsCodeApi(): { postMessage(message: DashboardToHost): void };
const vscode = acquireVsCodeApi();
const send = (m: DashboardToHost) => vscode.postMessage(m);

interface Model {
  name: string;
  runs: RunSummary[];
  main?: RunData;
  overlays: RunData[];
  state: DashboardRunState;
  status: string;
}

const model: Model = { name: '', runs: [], overlays: [], state: 'idle', status: '' };
let logScale = false;
let dirty = false;

// ---- page skeleton -------------------------------------------------------------------------

const app = document.getElementById('app')!;
app.innerHTML = `
<header>
  <h1 id="title">Layerwise: Training</h1>
  <span id="status" role="status"></span>
  <div class="controls">
    <button id="btn-train" data-action="train">▶ Train</button>
    <button id="btn-pause" data-action="pause">Pause</button>
    <button id="btn-resume" data-action="resume">▶ Resume</button>
    <button id="btn-stop" data-action="stop">■ Stop</button>
    <label><input type="checkbox" id="log-scale"> Log scale (loss)</label>
    <button id="btn-reset">Reset zoom</button>
  </div>
</header>
<section id="runs-section"><h2>Runs</h2><p class="hint">View a run, or tick others to overlay them for comparison. Drag across a chart to zoom; double-click to reset.</p><ul id="runs"></ul></section>
<section id="charts"></section>
<section><h2>Latest numbers</h2><table id="latest" aria-label="Latest numbers of the shown run"><tbody></tbody></table></section>`;

for (const b of app.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
  b.addEventListener('click', () => send({ type: 'control', action: b.dataset.action as 'train' | 'pause' | 'resume' | 'stop' }));
}
document.getElementById('log-scale')!.addEventListener('change', (e) => {
  logScale = (e.target as HTMLInputElement).checked;
  destroyAll();
  schedule();
});
document.getElementById('btn-reset')!.addEventListener('click', () => {
  for (const c of charts.values()) c.zoomed = false;
  schedule();
});

// ---- charts ------------------------------------------------------------------------------------

interface Drawn {
  plot: uPlot;
  signature: string;
  zoomed: boolean;
  box: HTMLElement;
}
const charts = new Map<string, Drawn>();

const PALETTE_VARS = ['--vscode-charts-foreground', '--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-yellow', '--vscode-charts-red'];
const FALLBACK = ['#999999', '#3794ff', '#d18616', '#89d185', '#b180d7', '#cca700', '#f14c4c', '#4ec9b0', '#c586c0', '#dcdcaa', '#9cdcfe', '#ce9178', '#6a9955', '#d7ba7d'];

function color(i: number): string {
  const style = getComputedStyle(document.body);
  if (i < PALETTE_VARS.length) {
    const v = style.getPropertyValue(PALETTE_VARS[i]).trim();
    if (v) return v;
  }
  return FALLBACK[i % FALLBACK.length];
}

function destroyAll(): void {
  for (const c of charts.values()) {
    c.plot.destroy();
    c.box.remove();
  }
  charts.clear();
}

function chartWidth(): number {
  const section = document.getElementById('charts')!;
  const w = section.clientWidth || 600;
  // Two columns on wide panels; each box adds padding, border and the gap.
  return w >= 900 ? Math.floor(w / 2) - 28 : w - 12;
}

function options(spec: ChartSpec, log: boolean, drawn: { zoomed: boolean }): uPlot.Options {
  const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#ccc';
  const grid = getComputedStyle(document.body).getPropertyValue('--vscode-editorWidget-border').trim() || 'rgba(128,128,128,0.25)';
  const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width: chartWidth(),
    height: 220,
    title: spec.title,
    scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
    // A log axis ticks at every 1..9 of each decade; only the decades get a label, so they stay readable.
    axes: [{ ...axis, label: spec.xLabel }, { ...axis, label: spec.yLabel, size: 64, values: (_u: uPlot, splits: number[]) => splits.map((v) => (log && !isDecade(v) ? '' : tick(v))) }],
    series: [{ label: spec.xLabel }, ...spec.series.map((s) => ({ label: s.label, stroke: color(s.color), width: s.width ?? 1.5, dash: s.dashed ? [6, 4] : undefined, spanGaps: true, points: { show: false } }))],
    cursor: { drag: { x: true, y: false, setScale: true } },
    hooks: {
      setSelect: [() => (drawn.zoomed = true)],
      ready: [(u) => u.over.addEventListener('dblclick', () => (drawn.zoomed = false))],
    },
  };
}

function isDecade(v: number): boolean {
  const e = Math.log10(Math.abs(v));
  return Number.isFinite(e) && Math.abs(e - Math.round(e)) < 1e-6;
}

/** Axis labels with four significant digits, so that small ranges (a learning rate) stay distinct. */
function tick(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

/** Non-positive values cannot sit on a log axis. */
function forLog(data: uPlot.AlignedData): uPlot.AlignedData {
  return [data[0], ...data.slice(1).map((ys) => (ys as (number | null)[]).map((v) => (v !== null && v !== undefined && v > 0 ? v : null)))] as uPlot.AlignedData;
}

function draw(): void {
  dirty = false;
  const specs = buildCharts(model.main, model.overlays);
  const section = document.getElementById('charts')!;
  const wanted = new Set(specs.map((s) => s.id));
  for (const [id, c] of charts) {
    if (!wanted.has(id)) {
      c.plot.destroy();
      c.box.remove();
      charts.delete(id);
    }
  }
  for (const spec of specs) {
    const log = spec.log === 'always' || (spec.log === 'toggle' && logScale);
    const data = log ? forLog(spec.data) : spec.data;
    const signature = `${log}|${spec.series.map((s) => s.label).join('|')}`;
    let c = charts.get(spec.id);
    if (c && c.signature !== signature) {
      c.plot.destroy();
      c.box.remove();
      charts.delete(spec.id);
      c = undefined;
    }
    if (!c) {
      const box = document.createElement('div');
      box.className = 'chart';
      box.dataset.chart = spec.id;
      section.appendChild(box);
      const state = { zoomed: false };
      const plot = new uPlot(options(spec, log, state), data, box);
      c = Object.assign(state, { plot, signature, box }) as Drawn;
      charts.set(spec.id, c);
    } else {
      c.plot.setData(data, !c.zoomed);
    }
    c.box.dataset.points = String(data[0].length);
  }
  // Keep order as specified.
  for (const spec of specs) section.appendChild(charts.get(spec.id)!.box);
  expose();
}

function schedule(): void {
  if (dirty) return;
  dirty = true;
  requestAnimationFrame(draw);
}

new ResizeObserver(() => {
  for (const c of charts.values()) c.plot.setSize({ width: chartWidth(), height: 220 });
}).observe(document.getElementById('charts')!);

// ---- numbers for people and tests ----------------------------------------------------------------

function fmt(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : Math.abs(v) < 0.01 && v !== 0 ? v.toExponential(3) : v.toFixed(4);
}

function expose(): void {
  const main = model.main;
  const steps = main?.steps ?? [];
  const epochs = main?.epochs ?? [];
  const lastEpoch = epochs[epochs.length - 1];
  const d = app.dataset;
  d.model = model.name;
  d.state = model.state;
  d.run = main?.id ?? '';
  d.stepPoints = String(steps.length);
  d.epochPoints = String(epochs.length);
  d.gradPoints = String(main?.grads.length ?? 0);
  d.firstLoss = steps.length ? String(steps[0].loss) : '';
  d.lastLoss = steps.length ? String(steps[steps.length - 1].loss) : '';
  d.firstEpochLoss = epochs.length ? String(epochs[0].loss) : '';
  d.lastEpochLoss = lastEpoch ? String(lastEpoch.loss) : '';
  d.overlays = model.overlays.map((o) => o.id).join(',');
  d.charts = [...charts.keys()].join(',');
  const rows: [string, string][] = [
    ['Run', main?.label ?? '–'],
    ['State', model.state],
    ['Step points', String(steps.length)],
    ['Loss at first step point', fmt(steps[0]?.loss)],
    ['Loss at last step point', fmt(steps[steps.length - 1]?.loss)],
    ['Epochs', String(epochs.length)],
    ['Last epoch loss', fmt(lastEpoch?.loss)],
    ['Last epoch val loss', fmt(lastEpoch?.valLoss)],
    ...Object.entries(lastEpoch?.valMetrics ?? lastEpoch?.metrics ?? {}).map(([k, v]) => [`Last epoch ${lastEpoch?.valMetrics ? 'val ' : ''}${k}`, fmt(v)] as [string, string]),
    ['Gradient snapshots', String(main?.grads.length ?? 0)],
    ['Overlaid runs', String(model.overlays.length)],
  ];
  const body = document.querySelector('#latest tbody')!;
  body.replaceChildren(
    ...rows.map(([k, v]) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = k;
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(th, td);
      return tr;
    }),
  );
}

function renderHeader(): void {
  document.getElementById('title')!.textContent = `Training — ${model.name}`;
  document.getElementById('status')!.textContent = model.status ? `${model.state === 'idle' ? '' : `${model.state}: `}${model.status}` : '';
  const live = model.state !== 'idle';
  const show = (id: string, on: boolean) => document.getElementById(id)!.classList.toggle('hidden', !on);
  show('btn-train', !live);
  show('btn-pause', model.state === 'running');
  show('btn-resume', model.state === 'paused');
  show('btn-stop', live && model.state !== 'stopping');
  app.dataset.state = model.state;
}

function renderRuns(): void {
  const list = document.getElementById('runs')!;
  const mainId = model.main?.id;
  list.replaceChildren(
    ...model.runs.map((r) => {
      const li = document.createElement('li');
      li.dataset.run = r.id;
      const view = document.createElement('input');
      view.type = 'radio';
      view.name = 'main-run';
      view.checked = r.id === mainId;
      view.title = 'View this run';
      view.setAttribute('aria-label', `View run ${r.label}`);
      view.addEventListener('change', () => send({ type: 'select', runId: r.id }));
      const cmp = document.createElement('input');
      cmp.type = 'checkbox';
      cmp.className = 'overlay';
      cmp.checked = model.overlays.some((o) => o.id === r.id);
      cmp.disabled = r.id === mainId;
      cmp.title = 'Overlay on the charts';
      cmp.setAttribute('aria-label', `Overlay run ${r.label}`);
      cmp.addEventListener('change', () => {
        if (!cmp.checked) {
          model.overlays = model.overlays.filter((o) => o.id !== r.id);
          schedule();
          expose();
        }
        send({ type: 'overlay', runId: r.id, on: cmp.checked });
      });
      const label = document.createElement('span');
      label.className = 'run-label';
      label.textContent = `${r.label}${r.live ? ' (training)' : ''}`;
      const detail = document.createElement('span');
      detail.className = 'run-detail';
      detail.textContent = r.detail;
      li.append(view, cmp, label, detail);
      return li;
    }),
  );
}

window.addEventListener('message', (event: MessageEvent<HostToDashboard>) => {
  const m = event.data;
  switch (m.type) {
    case 'show':
      model.name = m.model;
      model.runs = m.runs;
      model.main = m.main;
      model.overlays = m.overlays;
      model.state = m.state;
      model.status = m.status;
      destroyAll();
      renderHeader();
      renderRuns();
      schedule();
      return;
    case 'append': {
      if (!model.main || model.main.id !== m.runId) {
        // The live run's folder became known (its points so far were kept under 'live'), or
        // another run is now the live one: it starts from what it already has.
        const keep = model.main?.id === 'live' ? model.main : undefined;
        model.main = { id: m.runId, label: keep?.label ?? m.runId, steps: keep?.steps ?? [], epochs: keep?.epochs ?? [], grads: keep?.grads ?? [] };
      }
      const main = model.main;
      main.steps.push(...m.steps);
      for (const e of m.epochs) {
        main.epochs = main.epochs.filter((x) => x.epoch < e.epoch);
        main.epochs.push(e);
      }
      main.grads.push(...m.grads);
      schedule();
      return;
    }
    case 'state': {
      model.state = m.state;
      model.status = m.status;
      renderHeader();
      // The live run's line in the list follows the status (its saved numbers lag behind).
      const live = model.runs.find((r) => r.live);
      const detail = live && document.querySelector(`#runs li[data-run="${CSS.escape(live.id)}"] .run-detail`);
      if (detail && m.state !== 'idle') detail.textContent = m.status;
      return;
    }
    case 'overlay':
      if (!model.overlays.some((o) => o.id === m.run.id)) model.overlays.push(m.run);
      renderRuns();
      schedule();
      return;
  }
});

renderHeader();
expose();
send({ type: 'ready' });
