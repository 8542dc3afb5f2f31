// Every loss and metric against a JS reference, including extreme logits for stability.
import { strict as assert } from 'assert';
import '../../src/onnx/ops';
import { Graph } from '../../src/onnx/graph';
import { buildLoss, type LabelKind } from '../../src/compiler/losses';
import { buildMetric } from '../../src/compiler/metrics';
import type { LossConfig } from '../../src/compiler/types';
import type { LayerResult } from '../../src/compiler/lower/context';
import { runGraph, f32, i64, type Feed } from './run-graph';
import * as ref from './reference';

const softplus = (t: number) => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
const logSoftmaxRow = (row: number[]) => {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
};
const rows = (data: number[], width: number) => Array.from({ length: data.length / width }, (_, i) => data.slice(i * width, (i + 1) * width));
const argmax = (row: number[]) => row.indexOf(Math.max(...row));

interface Case {
  cfg: LossConfig;
  /** Per-sample output shape. */
  outShape: number[];
  z: ref.T;
  labels: Feed;
  labelKind: LabelKind;
  /** How the model output ends: plain logits, or a softmax/sigmoid whose input are the logits. */
  ending?: 'softmax' | 'sigmoid';
  metrics: string[];
  expectedLoss: number;
  expectedMetrics: Record<string, number>;
}

async function evaluate(c: Case): Promise<{ loss: number; metrics: Record<string, number> }> {
  const g = new Graph('loss');
  const z = g.input('z', 'float32', ['N', ...c.outShape]);
  const labels = g.input('labels', c.labels.dtype, ['N', ...c.labels.dims.slice(1)]);
  let out: LayerResult = { output: z };
  if (c.ending === 'softmax') out = { output: g.op('Softmax', [z], {}), logits: { value: z, activation: 'softmax' } };
  if (c.ending === 'sigmoid') out = { output: g.op('Sigmoid', [z]), logits: { value: z, activation: 'sigmoid' } };
  const loss = buildLoss(g, c.cfg, out, c.outShape, labels, c.labelKind, 'float32');
  g.output(loss);
  const metricValues = c.metrics.map((m) => buildMetric({ g, loss: c.cfg, out, outShape: c.outShape, labels, labelKind: c.labelKind, dtype: 'float32' }, m));
  metricValues.forEach((v) => g.output(v));
  const r = await runGraph(g, { z: f32(c.z.shape, c.z.data), labels: c.labels });
  return { loss: r[loss].data[0], metrics: Object.fromEntries(c.metrics.map((m, i) => [m, r[metricValues[i]].data[0]])) };
}

const cfg = (type: LossConfig['type'], extra: Partial<LossConfig> = {}): LossConfig => ({ type, labelSmoothing: 0, delta: 1, output: 'out', ...extra });

function crossEntropyCase(smoothing: number, ending?: 'softmax'): Case {
  const z = ref.randn([6, 5], 101, 2);
  const labels = [0, 4, 2, 2, 1, 3];
  const zRows = rows(z.data, 5);
  const loss = zRows.reduce((s, row, i) => {
    const lp = logSoftmaxRow(row);
    const target = lp.map((_, k) => (k === labels[i] ? 1 - smoothing : 0) + smoothing / 5);
    return s - target.reduce((t, p, k) => t + p * lp[k], 0);
  }, 0) / 6;
  const correct = zRows.filter((row, i) => argmax(row) === labels[i]).length;
  const top5 = 6; // five classes: every label is in the top five
  return {
    cfg: cfg('cross_entropy', { labelSmoothing: smoothing }), outShape: [5], z, labels: i64([6], labels), labelKind: 'indices', ending,
    metrics: ['accuracy', 'top5_accuracy'], expectedLoss: loss, expectedMetrics: { accuracy: correct, top5_accuracy: top5 },
  };
}

describe('compiler losses', () => {
  it('cross_entropy from logits with integer labels (seed 101)', async () => {
    const c = crossEntropyCase(0);
    const r = await evaluate(c);
    assert.ok(Math.abs(r.loss - c.expectedLoss) < 1e-5, `loss ${r.loss} vs ${c.expectedLoss}`);
    assert.deepEqual(r.metrics, c.expectedMetrics);
  });

  it('cross_entropy with label_smoothing 0.1 (seed 101)', async () => {
    const c = crossEntropyCase(0.1);
    const r = await evaluate(c);
    assert.ok(Math.abs(r.loss - c.expectedLoss) < 1e-5, `loss ${r.loss} vs ${c.expectedLoss}`);
  });

  it('cross_entropy on a softmax output uses the logits before it (seed 101)', async () => {
    const c = crossEntropyCase(0, 'softmax');
    const r = await evaluate(c);
    assert.ok(Math.abs(r.loss - c.expectedLoss) < 1e-5, `loss ${r.loss} vs ${c.expectedLoss}`);
    assert.deepEqual(r.metrics, c.expectedMetrics);
  });

  it('cross_entropy with soft probability labels, and top-5 among 8 classes (seed 102)', async () => {
    const z = ref.randn([4, 8], 102, 2);
    const p = ref.randn([4, 8], 103);
    const target = rows(p.data, 8).flatMap((row) => { const e = row.map(Math.exp); const s = e.reduce((a, b) => a + b); return e.map((v) => v / s); });
    const zRows = rows(z.data, 8);
    const tRows = rows(target, 8);
    const loss = -zRows.reduce((s, row, i) => s + logSoftmaxRow(row).reduce((t, lp, k) => t + lp * tRows[i][k], 0), 0) / 4;
    const top5 = zRows.filter((row, i) => {
      const label = argmax(tRows[i]);
      return row.filter((v) => v > row[label]).length < 5;
    }).length;
    const acc = zRows.filter((row, i) => argmax(row) === argmax(tRows[i])).length;
    const r = await evaluate({ cfg: cfg('cross_entropy'), outShape: [8], z, labels: f32([4, 8], target), labelKind: 'probabilities', metrics: ['accuracy', 'top5_accuracy', 'mae'], expectedLoss: loss, expectedMetrics: {} });
    assert.ok(Math.abs(r.loss - loss) < 1e-5, `loss ${r.loss} vs ${loss}`);
    assert.equal(r.metrics.accuracy, acc);
    assert.equal(r.metrics.top5_accuracy, top5);
    const mae = zRows.reduce((s, row, i) => { const e = row.map((v) => Math.exp(v - Math.max(...row))); const t = e.reduce((a, b) => a + b); return s + e.reduce((u, v, k) => u + Math.abs(v / t - tRows[i][k]), 0) / 8; }, 0);
    assert.ok(Math.abs(r.metrics.mae - mae) < 1e-5, `mae ${r.metrics.mae} vs ${mae}`);
  });

  it('cross_entropy over positions ([T, C] outputs) averages over every position (seed 104)', async () => {
    const z = ref.randn([2, 3, 4], 104);
    const labels = [0, 1, 3, 2, 2, 0];
    const zRows = rows(z.data, 4);
    const loss = -zRows.reduce((s, row, i) => s + logSoftmaxRow(row)[labels[i]], 0) / 6;
    const correctPerSample = [0, 1].map((s) => zRows.slice(3 * s, 3 * s + 3).filter((row, t) => argmax(row) === labels[3 * s + t]).length / 3);
    const r = await evaluate({ cfg: cfg('cross_entropy'), outShape: [3, 4], z, labels: i64([2, 3], labels), labelKind: 'indices', metrics: ['accuracy'], expectedLoss: loss, expectedMetrics: {} });
    assert.ok(Math.abs(r.loss - loss) < 1e-5, `loss ${r.loss} vs ${loss}`);
    assert.ok(Math.abs(r.metrics.accuracy - (correctPerSample[0] + correctPerSample[1])) < 1e-6, `accuracy sum ${r.metrics.accuracy}`);
  });

  for (const smoothing of [0, 0.2]) {
    it(`binary_cross_entropy is stable for logits of +-100 (label_smoothing ${smoothing})`, async () => {
      const zData = [-100, -3, -0.5, 0.2, 4, 100, 100, -100];
      const y = [0, 1, 0, 1, 1, 1, 0, 1];
      const ys = y.map((v) => v * (1 - smoothing) + 0.5 * smoothing);
      const loss = zData.reduce((s, z, i) => s + ys[i] * softplus(-z) + (1 - ys[i]) * softplus(z), 0) / 8;
      const acc = zData.filter((z, i) => (z > 0 ? 1 : 0) === y[i]).length;
      for (const ending of [undefined, 'sigmoid'] as const) {
        const r = await evaluate({ cfg: cfg('binary_cross_entropy', { labelSmoothing: smoothing }), outShape: [1], z: { shape: [8, 1], data: zData }, labels: f32([8, 1], y), labelKind: 'probabilities', ending, metrics: ['accuracy'], expectedLoss: loss, expectedMetrics: {} });
        assert.ok(Number.isFinite(r.loss) && Math.abs(r.loss - loss) / loss < 1e-5, `loss ${r.loss} vs ${loss} (${ending ?? 'logits'} output)`);
        assert.equal(r.metrics.accuracy, acc);
      }
    });
  }

  it('mse and huber against targets, with mae and mse metrics (seed 105)', async () => {
    const p = ref.randn([5, 3], 105, 2);
    const t = ref.randn([5, 3], 106);
    const d = p.data.map((v, i) => v - t.data[i]);
    const mse = d.reduce((s, v) => s + v * v, 0) / 15;
    const delta = 0.7;
    const huber = d.reduce((s, v) => s + (Math.abs(v) <= delta ? 0.5 * v * v : delta * (Math.abs(v) - 0.5 * delta)), 0) / 15;
    const maeSum = rows(d, 3).reduce((s, row) => s + row.reduce((u, v) => u + Math.abs(v), 0) / 3, 0);
    const mseSum = rows(d, 3).reduce((s, row) => s + row.reduce((u, v) => u + v * v, 0) / 3, 0);
    const labels = f32([5, 3], t.data);
    const a = await evaluate({ cfg: cfg('mse'), outShape: [3], z: p, labels, labelKind: 'probabilities', metrics: ['mae', 'mse'], expectedLoss: mse, expectedMetrics: {} });
    assert.ok(Math.abs(a.loss - mse) < 1e-5, `mse ${a.loss} vs ${mse}`);
    assert.ok(Math.abs(a.metrics.mae - maeSum) < 1e-5, `mae sum ${a.metrics.mae} vs ${maeSum}`);
    assert.ok(Math.abs(a.metrics.mse - mseSum) < 1e-4, `mse sum ${a.metrics.mse} vs ${mseSum}`);
    const h = await evaluate({ cfg: cfg('huber', { delta }), outShape: [3], z: p, labels, labelKind: 'probabilities', metrics: [], expectedLoss: huber, expectedMetrics: {} });
    assert.ok(Math.abs(h.loss - huber) < 1e-5, `huber ${h.loss} vs ${huber}`);
  });
});
