// Pure pieces of the engine: batch planning, monitoring, provider choice, the training section,
// and the per-position seeds.
import * as assert from 'assert';
import { microBatches, planBatches, stepMemoryBytes } from '../../src/engine/batch-plan';
import { makeBatch, sampleTensors, type FeedPlan } from '../../src/engine/feeds';
import { Monitor, monitorValue } from '../../src/engine/monitor';
import { chooseProvider, providerAvailability, type Availability, type ConcreteProvider } from '../../src/engine/providers';
import { resolveRunConfig } from '../../src/engine/run-config';
import { epochOrder, stepSeed } from '../../src/engine/seeds';
import { EngineError } from '../../src/engine/errors';
import { prepared } from './helpers';

const MLP = `
layers:
  - {id: x, type: Input, shape: [100]}
  - {id: h, type: Dense, units: 50}
  - {id: out, type: Dense, units: 10}
optimizer: adam
training: {batch_size: 64, accumulate: 2, seed: 3, early_stopping: {monitor: val_accuracy, patience: 2}}
data: {source: digits}
`;

describe('engine/planning', () => {
  it('keeps the written batch when it fits and splits it evenly when it does not', () => {
    const p = prepared(MLP);
    const perSampleMb = (stepMemoryBytes(p.summary, p.compiled, 1) - stepMemoryBytes(p.summary, p.compiled, 0)) / 2 ** 20;
    const fixedMb = stepMemoryBytes(p.summary, p.compiled, 0) / 2 ** 20;
    const roomy = planBatches(p.summary, p.compiled, 64, 2, 2048);
    assert.deepStrictEqual([roomy.updateSize, roomy.microBatch, roomy.accumulate, roomy.autoSplit], [128, 64, 2, undefined]);
    const tight = planBatches(p.summary, p.compiled, 64, 2, fixedMb + perSampleMb * 30);
    assert.strictEqual(tight.updateSize, 128, 'the effective batch is kept');
    assert.ok(tight.microBatch <= 30 && tight.microBatch >= 20, `micro ${tight.microBatch}`);
    assert.strictEqual(tight.accumulate, Math.ceil(128 / tight.microBatch));
    assert.deepStrictEqual(tight.autoSplit, { from: 64, to: tight.microBatch });
    assert.ok(!tight.overBudget);
    const hopeless = planBatches(p.summary, p.compiled, 64, 1, fixedMb / 2);
    assert.strictEqual(hopeless.microBatch, 1);
    assert.ok(hopeless.overBudget);
  });

  it('gives a split as sample tensors whose rows are exactly the samples makeBatch copies, features not copied', () => {
    const x = Float32Array.from({ length: 6 * 2 }, (_, i) => i);
    const y = Int32Array.from([0, 2, 1, 2, 0, 1]);
    for (const labelMode of ['indices', 'one-hot', 'float-index'] as const) {
      const plan: FeedPlan = {
        feature: { name: 'x', layer: 'x', dtype: 'float32', shape: [2] },
        label: labelMode === 'indices' ? { name: 'y', dtype: 'int64', shape: [] } : { name: 'y', dtype: 'float32', shape: labelMode === 'one-hot' ? [3] : [1] },
        featureSize: 2,
        labelSize: labelMode === 'one-hot' ? 3 : 1,
        labelMode,
      };
      const all = sampleTensors(plan, { x, y, count: 6 });
      assert.strictEqual((all.x.data as Float32Array).buffer, x.buffer, `${labelMode}: the features are the data's own array`);
      assert.deepStrictEqual(all.x.dims, [6, 2]);
      const order = Int32Array.from([5, 3, 1, 0, 2, 4]);
      const batch = makeBatch(plan, { x, y }, order, 0, 6);
      const perLabel = plan.labelSize;
      order.forEach((row, i) => {
        assert.deepStrictEqual(Array.from((all.x.data as Float32Array).subarray(row * 2, row * 2 + 2)), Array.from((batch.feeds.x.data as Float32Array).subarray(i * 2, i * 2 + 2)), `${labelMode}: features of row ${row}`);
        const labels = all.y.data as ArrayLike<number | bigint>;
        const copied = batch.feeds.y.data as ArrayLike<number | bigint>;
        for (let j = 0; j < perLabel; j++) assert.strictEqual(Number(labels[row * perLabel + j]), Number(copied[i * perLabel + j]), `${labelMode}: label ${j} of row ${row}`);
      });
      assert.deepStrictEqual(all.y.dims.slice(1), batch.feeds.y.dims.slice(1));
    }
  });

  it('spreads an update over even micro-batches that cover it exactly', () => {
    assert.deepStrictEqual(microBatches(0, 10, 4), [[0, 3], [3, 6], [6, 10]]);
    assert.deepStrictEqual(microBatches(100, 164, 32), [[100, 132], [132, 164]]);
    assert.deepStrictEqual(microBatches(5, 6, 32), [[5, 6]]);
  });

  it('tracks the best epoch and patience in either direction', () => {
    const m = new Monitor('val_accuracy', 'max', 0.01);
    assert.ok(m.update(1, 0.5));
    assert.ok(!m.update(2, 0.505), 'below min_delta');
    assert.ok(!m.exhausted(2));
    assert.ok(!m.update(3, 0.4));
    assert.ok(m.exhausted(2));
    assert.ok(m.update(4, 0.6));
    assert.deepStrictEqual(m.snapshot, { best: 0.6, bestEpoch: 4, epochsWithoutImprovement: 0 });
    const restored = new Monitor('loss', 'min', 0, { best: 1, bestEpoch: 1, epochsWithoutImprovement: 1 });
    assert.ok(!restored.update(2, 1));
    assert.ok(restored.exhausted(2));
    assert.strictEqual(monitorValue('val_accuracy', { loss: 1, metrics: { accuracy: 0.2 }, valLoss: 2, valMetrics: { accuracy: 0.3 } }), 0.3);
    assert.strictEqual(monitorValue('accuracy', { loss: 1, metrics: { accuracy: 0.2 } }), 0.2);
  });

  it('resolves the training section with defaults and the early-stopping mode', () => {
    const c = resolveRunConfig(prepared(MLP).model);
    assert.deepStrictEqual(
      { ...c, earlyStopping: c.earlyStopping },
      { epochs: 10, batchSize: 64, seed: 3, validationSplit: 0.2, testSplit: 0, accumulate: 2, earlyStopping: { monitor: 'val_accuracy', patience: 2, minDelta: 0, mode: 'max' } },
    );
    assert.strictEqual(resolveRunConfig(prepared(MLP.replace('monitor: val_accuracy, ', '')).model).earlyStopping!.mode, 'min');
  });

  it('picks providers: cpu by default, the best available for auto, errors for unavailable ones', () => {
    const only = (...ok: ConcreteProvider[]) => (p: ConcreteProvider): Availability => ({ available: ok.includes(p), reason: ok.includes(p) ? `${p} found` : `${p} missing` });
    assert.deepStrictEqual(chooseProvider(undefined, only('cpu', 'cuda')), { provider: 'cpu', reason: 'the default provider' });
    const auto = chooseProvider('auto', only('cpu', 'cuda'));
    assert.strictEqual(auto.provider, 'cuda');
    assert.match(auto.reason, /auto: cuda found/);
    const cpuOnly = chooseProvider('auto', only('cpu'));
    assert.strictEqual(cpuOnly.provider, 'cpu');
    assert.match(cpuOnly.reason, /no GPU provider.*cuda missing/);
    assert.throws(() => chooseProvider('dml', only('cpu')), (e: unknown) => e instanceof EngineError && /dml missing/.test(e.message));
    assert.ok(!providerAvailability('cuda', 'linux', 'x64', '/nonexistent').available);
    assert.ok(!providerAvailability('dml', 'linux', 'x64').available);
    assert.ok(providerAvailability('coreml', 'darwin', 'arm64').available);
  });

  it('derives shuffles and dropout seeds from the position in the run only', () => {
    assert.deepStrictEqual(epochOrder(1, 3, 50), epochOrder(1, 3, 50));
    assert.notDeepStrictEqual(epochOrder(1, 3, 50), epochOrder(1, 4, 50));
    assert.notDeepStrictEqual(epochOrder(1, 3, 50), epochOrder(2, 3, 50));
    assert.strictEqual(stepSeed(7, 10, 1), stepSeed(7, 10, 1));
    const seeds = new Set([stepSeed(7, 10, 0), stepSeed(7, 10, 1), stepSeed(7, 11, 0), stepSeed(8, 10, 0)]);
    assert.strictEqual(seeds.size, 4);
    assert.ok(stepSeed(7, 10) >= 0n && stepSeed(7, 10) < 2n ** 48n);
  });
});
