// What each dashboard chart draws, as uPlot tables built from run data: the main run's series and
// the same quantity of every overlaid run (x values joined, gaps spanned). Pure functions of the
// data, so the page only decides when to redraw.
import uPlot from 'uplot';
import type { RunData } from '../../src/webview-protocol/dashboard';

export interface SeriesSpec {
  label: string;
  /** Index into the palette; overlays reuse their main series' colour, dashed. */
  color: number;
  dashed?: boolean;
  width?: number;
}

export interface ChartSpec {
  id: string;
  title: string;
  yLabel: string;
  xLabel: string;
  /** Log-scale y when the log toggle is on (always for gradient flow). */
  log: 'toggle' | 'always' | 'never';
  series: SeriesSpec[];
  data: uPlot.AlignedData;
}

type Table = { x: number[]; ys: (number | null)[][] };

function table<T>(points: T[], x: (p: T) => number, ys: ((p: T) => number | undefined)[]): Table {
  // uPlot needs ascending x; a resumed run's points are already ordered, duplicates keep the last.
  const byX = new Map<number, T>();
  for (const p of points) byX.set(x(p), p);
  const xs = [...byX.keys()].sort((a, b) => a - b);
  return { x: xs, ys: ys.map((f) => xs.map((k) => finite(f(byX.get(k)!)))) };
}

function finite(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}

function join(tables: Table[]): uPlot.AlignedData {
  const nonEmpty = tables.filter((t) => t.ys.length > 0);
  if (nonEmpty.length === 0) return [[]];
  const aligned = nonEmpty.map((t) => [t.x, ...t.ys] as uPlot.AlignedData);
  return aligned.length === 1 ? aligned[0] : uPlot.join(aligned);
}

const short = (label: string) => label.replace(/^\d{4}-/, '');

/** Metric names the main run reports (accuracy, mae ...). */
function metricNames(run: RunData | undefined): string[] {
  const names = new Set<string>();
  for (const e of run?.epochs ?? []) for (const k of Object.keys(e.metrics)) names.add(k);
  for (const s of run?.steps ?? []) for (const k of Object.keys(s.metrics)) names.add(k);
  return [...names];
}

export function buildCharts(main: RunData | undefined, overlays: RunData[]): ChartSpec[] {
  const runs = main ? [main, ...overlays] : overlays;
  const charts: ChartSpec[] = [];

  // Loss per step: this batch's loss and the running mean of the epoch; overlays' running mean.
  charts.push({
    id: 'step-loss',
    title: 'Loss per step',
    xLabel: 'step',
    yLabel: 'loss',
    log: 'toggle',
    series: [
      ...(main ? [{ label: 'batch loss', color: 0, width: 1 }, { label: 'loss (epoch mean so far)', color: 1 }] : []),
      ...overlays.map((o) => ({ label: `loss · ${short(o.label)}`, color: 1, dashed: true })),
    ],
    data: join([
      ...(main ? [table(main.steps, (p) => p.step, [(p) => p.batchLoss, (p) => p.loss])] : []),
      ...overlays.map((o) => table(o.steps, (p) => p.step, [(p) => p.loss])),
    ]),
  });

  // Loss per epoch: training and validation.
  const withVal = (r: RunData) => r.epochs.some((e) => e.valLoss !== undefined);
  charts.push({
    id: 'epoch-loss',
    title: 'Loss per epoch',
    xLabel: 'epoch',
    yLabel: 'loss',
    log: 'toggle',
    series: runs.flatMap((r, i) => [
      { label: `train loss${i ? ` · ${short(r.label)}` : ''}`, color: 1, dashed: i > 0 },
      ...(withVal(r) ? [{ label: `val loss${i ? ` · ${short(r.label)}` : ''}`, color: 2, dashed: i > 0 }] : []),
    ]),
    data: join(runs.map((r) => table(r.epochs, (e) => e.epoch, [(e) => e.loss, ...(withVal(r) ? [(e: RunData['epochs'][number]) => e.valLoss] : [])]))),
  });

  // Each metric per epoch (train and validation), and per step (running mean) for the main run.
  for (const m of metricNames(main)) {
    charts.push({
      id: `epoch-${m}`,
      title: `${m} per epoch`,
      xLabel: 'epoch',
      yLabel: m,
      log: 'never',
      series: runs.flatMap((r, i) => [
        { label: `train ${m}${i ? ` · ${short(r.label)}` : ''}`, color: 3, dashed: i > 0 },
        ...(withVal(r) ? [{ label: `val ${m}${i ? ` · ${short(r.label)}` : ''}`, color: 4, dashed: i > 0 }] : []),
      ]),
      data: join(runs.map((r) => table(r.epochs, (e) => e.epoch, [(e) => e.metrics[m], ...(withVal(r) ? [(e: RunData['epochs'][number]) => e.valMetrics?.[m]] : [])]))),
    });
    if (main && main.steps.length) {
      charts.push({
        id: `step-${m}`,
        title: `${m} per step (epoch mean so far)`,
        xLabel: 'step',
        yLabel: m,
        log: 'never',
        series: runs.map((r, i) => ({ label: `${m}${i ? ` · ${short(r.label)}` : ''}`, color: 3, dashed: i > 0 })),
        data: join(runs.map((r) => table(r.steps, (p) => p.step, [(p) => p.metrics[m]]))),
      });
    }
  }

  charts.push({
    id: 'lr',
    title: 'Learning rate',
    xLabel: 'step',
    yLabel: 'lr',
    log: 'never',
    series: runs.map((r, i) => ({ label: `lr${i ? ` · ${short(r.label)}` : ''}`, color: 5, dashed: i > 0 })),
    data: join(runs.map((r) => table(r.steps, (p) => p.step, [(p) => p.lr]))),
  });

  charts.push({
    id: 'throughput',
    title: 'Throughput',
    xLabel: 'step',
    yLabel: 'samples/s',
    log: 'never',
    series: runs.map((r, i) => ({ label: `samples/s${i ? ` · ${short(r.label)}` : ''}`, color: 6, dashed: i > 0, width: 1 })),
    data: join(runs.map((r) => table(r.steps, (p) => p.step, [(p) => p.samplesPerSec]))),
  });

  // Gradient flow: one line per layer, log scale, so vanishing and exploding layers stand apart.
  const layers: string[] = [];
  for (const g of main?.grads ?? []) for (const l of Object.keys(g.layers)) if (!layers.includes(l)) layers.push(l);
  if (layers.length) {
    charts.push({
      id: 'grad-flow',
      title: 'Gradient flow: mean |gradient| per layer',
      xLabel: 'step',
      yLabel: 'mean |∇| (log)',
      log: 'always',
      series: layers.map((l, i) => ({ label: l, color: 7 + i })),
      data: join([table(main!.grads, (g) => g.step, layers.map((l) => (g) => (g.layers[l] > 0 ? g.layers[l] : undefined)))]),
    });
  }
  return charts.filter((c) => c.series.length > 0);
}
