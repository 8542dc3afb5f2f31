import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RunControl } from '../../src/engine/control';
import { readCheckpoint } from '../../src/engine/checkpoint';
import type { EngineEvent, TrainOptions, TrainResult } from '../../src/engine/protocol';
import { RunLength, train, type TrainTuning } from '../../src/engine/trainer';
import { stepMemoryBytes } from '../../src/engine/batch-plan';
import { setupRun } from '../../src/engine/run-setup';
import { FusedStepRunner, LoopStepRunner } from '../../src/engine/step-runner';
import { prepared, removeWorkspace, tempWorkspace, writeModel } from './helpers';

// Dropout, BatchNorm, a cosine schedule and a partial last batch: everything that could make a
// resumed run drift from an uninterrupted one.
const RESUMABLE = `
name: resumable
layers:
  - {id: x, type: Input, shape: [2]}
  - {id: h1, type: Dense, units: 16}
  - {id: bn, type: BatchNorm}
  - {type: ReLU}
  - {type: Dropout, rate: 0.3}
  - {id: out, type: Dense, units: 3}
loss: cross_entropy
metrics: [accuracy]
optimizer: {type: adam, lr: 0.01}
schedule: {type: cosine, warmup_epochs: 1}
training: {epochs: 4, batch_size: 16, seed: 5, validation_split: 0.25}
data: {source: blobs, samples: 150, classes: 3}
`;

interface Run {
  result: TrainResult;
  events: EngineEvent[];
}

async function run(file: string, text: string, options: TrainOptions, onEvent?: (e: EngineEvent, control: RunControl) => void, tuning?: TrainTuning): Promise<Run> {
  const control = new RunControl();
  const events: EngineEvent[] = [];
  const result = await train(
    { modelPath: file, text, options: { ...options } },
    {
      run: 1,
      control,
      emit: (e) => {
        events.push(e);
        onEvent?.(e, control);
      },
    },
    tuning,
  );
  return { result, events };
}

function paramsOf(file: string): Map<string, Float32Array> {
  return readCheckpoint(file).tensors;
}

function assertBitIdentical(a: Map<string, Float32Array>, b: Map<string, Float32Array>): void {
  assert.deepStrictEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [name, v] of a) assert.ok(Buffer.from(v.buffer).equals(Buffer.from(b.get(name)!.buffer)), `${name} differs`);
}

describe('engine/trainer', function () {
  this.timeout(60000);
  let ws: string;
  let file: string;
  beforeEach(() => {
    ws = tempWorkspace();
    file = writeModel(ws, 'resumable', RESUMABLE);
  });
  afterEach(() => removeWorkspace(ws));

  it('writes config.json, metrics.jsonl, best and last checkpoints and reports events in order', async () => {
    const { result, events } = await run(file, RESUMABLE, { workspace: ws, runDir: 'run' });
    assert.strictEqual(result.reason, 'completed');
    assert.strictEqual(result.epochs, 4);
    const dir = path.join(ws, 'run');
    for (const f of ['config.json', 'metrics.jsonl', 'best.ckpt', 'last.ckpt']) assert.ok(fs.existsSync(path.join(dir, f)), f);
    const lines = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepStrictEqual(lines.map((l) => l.epoch), [1, 2, 3, 4]);
    const types = events.map((e) => e.type);
    assert.strictEqual(types[0], 'started');
    assert.strictEqual(types[types.length - 1], 'done');
    assert.strictEqual(types.filter((t) => t === 'epochEnd').length, 4);
    assert.ok(types.includes('step') && types.includes('gradStats'));
    const started = events[0] as Extract<EngineEvent, { type: 'started' }>;
    assert.strictEqual(started.trainSamples + started.validationSamples, 150);
    assert.strictEqual(started.provider, 'cpu');
    const epochEnd = events.find((e) => e.type === 'epochEnd') as Extract<EngineEvent, { type: 'epochEnd' }>;
    assert.ok(epochEnd.valLoss! > 0 && epochEnd.valMetrics!.accuracy >= 0 && epochEnd.valMetrics!.accuracy <= 1);
    assert.strictEqual(readCheckpoint(path.join(dir, 'last.ckpt')).header.progress.epoch, 4);
  });

  it('stop after 2 epochs + resume gives bit-identical weights to 4 uninterrupted epochs', async () => {
    const full = await run(file, RESUMABLE, { workspace: ws, runDir: 'full' });
    assert.strictEqual(full.result.reason, 'completed');
    const first = await run(file, RESUMABLE, { workspace: ws, runDir: 'split' }, (e, control) => {
      if (e.type === 'epochEnd' && e.epoch === 2) control.stop();
    });
    assert.strictEqual(first.result.reason, 'stopped');
    assert.strictEqual(first.result.epochs, 2);
    const last = path.join(ws, 'split', 'last.ckpt');
    assert.strictEqual(readCheckpoint(last).header.progress.epoch, 2);
    const second = await run(file, RESUMABLE, { workspace: ws, resume: last });
    assert.strictEqual(second.result.reason, 'completed');
    assert.strictEqual((second.events[0] as Extract<EngineEvent, { type: 'started' }>).startEpoch, 3);
    assertBitIdentical(paramsOf(path.join(ws, 'full', 'last.ckpt')), paramsOf(last));
    const metrics = (dir: string) => fs.readFileSync(path.join(ws, dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepStrictEqual(metrics('split').map((m) => m.epoch), [1, 2, 3, 4]);
    assert.deepStrictEqual(metrics('split').map((m) => m.valLoss), metrics('full').map((m) => m.valLoss));
    // Resuming again from epoch 2's state redoes epochs 3 and 4 and keeps the file consistent.
    fs.copyFileSync(path.join(ws, 'full', 'last.ckpt'), path.join(ws, 'split', 'at4.ckpt'));
    await run(file, RESUMABLE, { workspace: ws, resume: path.join('split', 'at4.ckpt'), epochs: 5 });
    assert.deepStrictEqual(metrics('split').map((m) => m.epoch), [1, 2, 3, 4, 5]);
  });

  it('resumes bit-identically with convolutions, pooling and several threads', async () => {
    const text = `
name: conv-resume
layers:
  - {id: image, type: Input, shape: [1, 8, 8]}
  - {id: conv, type: Conv2D, filters: 8, kernel_size: 3, padding: same}
  - {id: bn, type: BatchNorm}
  - {type: ReLU}
  - {type: MaxPool2D, pool_size: 2}
  - {type: Flatten}
  - {type: Dropout, rate: 0.25}
  - {id: logits, type: Dense, units: 10}
loss: cross_entropy
optimizer: {type: sgd, lr: 0.05, momentum: 0.9, nesterov: true}
schedule: {type: step, step_size: 1, gamma: 0.5}
training: {epochs: 3, batch_size: 20, seed: 9, validation_split: 0.8}
data: {source: digits}
`;
    const f = writeModel(ws, 'conv-resume', text);
    await run(f, text, { workspace: ws, runDir: 'full', threads: 2 });
    const first = await run(f, text, { workspace: ws, runDir: 'split', threads: 2 }, (e, control) => {
      if (e.type === 'epochEnd' && e.epoch === 1) control.stop();
    });
    assert.strictEqual(first.result.reason, 'stopped');
    await run(f, text, { workspace: ws, resume: path.join('split', 'last.ckpt'), threads: 2 });
    assertBitIdentical(paramsOf(path.join(ws, 'full', 'last.ckpt')), paramsOf(path.join(ws, 'split', 'last.ckpt')));
  });

  it('a stop in the middle of an epoch resumes bit-identically too', async () => {
    const full = await run(file, RESUMABLE, { workspace: ws, runDir: 'full', epochs: 2 });
    let stopAt = 0;
    // One update per run, so that a step event comes after every update whatever this machine's
    // speed (runs sized to the event interval could span the whole epoch); runs of several
    // updates have the next test.
    const first = await run(
      file,
      RESUMABLE,
      { workspace: ws, runDir: 'split', epochs: 2, maxStepEventsPerSecond: 1e6 },
      (e, control) => {
        if (e.type === 'step' && e.epoch === 2 && !stopAt && e.stepInEpoch >= 3) {
          stopAt = e.stepInEpoch;
          control.stop();
        }
      },
      { stepsPerRun: 1 },
    );
    assert.strictEqual(first.result.reason, 'stopped');
    const last = path.join(ws, 'split', 'last.ckpt');
    assert.strictEqual(readCheckpoint(last).header.progress.batchInEpoch, stopAt);
    assert.ok(stopAt < 6, 'stopped inside the epoch');
    const second = await run(file, RESUMABLE, { workspace: ws, resume: last, epochs: 2 });
    assertBitIdentical(paramsOf(path.join(ws, 'full', 'last.ckpt')), paramsOf(last));
    const a = full.events.filter((e) => e.type === 'epochEnd').pop() as Extract<EngineEvent, { type: 'epochEnd' }>;
    const b = second.events.filter((e) => e.type === 'epochEnd').pop() as Extract<EngineEvent, { type: 'epochEnd' }>;
    assert.strictEqual(a.loss, b.loss, 'the resumed epoch carries the partial sums over');
    assert.strictEqual(a.valLoss, b.valLoss);
  });

  it('runs of several updates (events K at a time) stop mid-epoch and resume bit-identically to single steps', async () => {
    const single = await run(file, RESUMABLE, { workspace: ws, runDir: 'single', epochs: 2, maxStepEventsPerSecond: 1e6 }, undefined, { stepsPerRun: 1 });
    let stopAt = 0;
    const first = await run(
      file,
      RESUMABLE,
      { workspace: ws, runDir: 'grouped', epochs: 2, maxStepEventsPerSecond: 1e6 },
      (e, control) => {
        if (e.type === 'step' && e.epoch === 2 && !stopAt) {
          stopAt = e.stepInEpoch;
          control.stop();
        }
      },
      { stepsPerRun: 3 },
    );
    const started = first.events[0] as Extract<EngineEvent, { type: 'started' }>;
    const full = Math.floor(started.trainSamples / started.batchSize);
    // Runs of 3 while full batches remain, the partial last batch on its own; one step event per run.
    const expected: number[] = [];
    for (let u = 0; u < full; u += 3) expected.push(Math.min(u + 3, full));
    if (started.stepsPerEpoch > full) expected.push(started.stepsPerEpoch);
    assert.ok(expected.length >= 3, `several runs in an epoch: ${expected}`);
    const inEpoch1 = first.events.filter((e) => e.type === 'step' && e.epoch === 1).map((e) => (e as Extract<EngineEvent, { type: 'step' }>).stepInEpoch);
    assert.deepStrictEqual(inEpoch1, expected);
    assert.strictEqual(stopAt, 3);
    const last = path.join(ws, 'grouped', 'last.ckpt');
    assert.strictEqual(readCheckpoint(last).header.progress.batchInEpoch, 3);
    await run(file, RESUMABLE, { workspace: ws, resume: last, epochs: 2 }, undefined, { stepsPerRun: 4 });
    assertBitIdentical(paramsOf(path.join(ws, 'single', 'last.ckpt')), paramsOf(last));
    const metrics = (dir: string) => fs.readFileSync(path.join(ws, dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepStrictEqual(metrics('grouped').map((m) => [m.loss, m.valLoss]), metrics('single').map((m) => [m.loss, m.valLoss]));
    assert.strictEqual(single.result.reason, 'completed');
  });

  it('a budget too small for the Loop trains on single steps, to the same bits', async () => {
    const p = prepared(RESUMABLE);
    // Room for one step, not for the Loop's extra copies of the params and optimizer state.
    const tight = (1.05 * stepMemoryBytes(p.summary, p.compiled, p.run.batchSize)) / 2 ** 20;
    const runnerOf = async (memoryBudgetMb?: number) => (await setupRun({ modelPath: file, text: RESUMABLE, options: { workspace: ws, runDir: 'probe', memoryBudgetMb } }, () => undefined)).runner;
    assert.ok((await runnerOf()) instanceof LoopStepRunner);
    assert.ok((await runnerOf(tight)) instanceof FusedStepRunner);
    await run(file, RESUMABLE, { workspace: ws, runDir: 'loop', epochs: 2 });
    const single = await run(file, RESUMABLE, { workspace: ws, runDir: 'single', epochs: 2, memoryBudgetMb: tight });
    assert.ok(!single.events.some((e) => e.type === 'warning' && e.code === 'accumulation'), 'the batch itself is not split');
    assertBitIdentical(paramsOf(path.join(ws, 'loop', 'last.ckpt')), paramsOf(path.join(ws, 'single', 'last.ckpt')));
  });

  it('sizes runs to the step-event interval from measured update times', () => {
    const length = new RunLength(16, 100);
    assert.strictEqual(length.next(), 1, 'nothing measured yet');
    length.record(1, 40);
    assert.strictEqual(length.next(), 2);
    length.record(2, 4);
    assert.strictEqual(length.next(), 4, 'the mean of 40 and 2 ms per update');
    for (let i = 0; i < 20; i++) length.record(4, 4);
    assert.strictEqual(length.next(), 16, 'at most the limit');
    const slow = new RunLength(16, 100);
    slow.record(1, 500);
    assert.strictEqual(slow.next(), 1, 'never below one');
    assert.strictEqual(new RunLength(5, 100, 8).next(), 5, 'a fixed length stays within the limit');
  });

  it('stops on NaN/Inf, names the layer and advises a lower learning rate', async () => {
    const text = RESUMABLE.replace('optimizer: {type: adam, lr: 0.01}', 'optimizer: {type: sgd, lr: 1.0e+30}').replace('schedule: {type: cosine, warmup_epochs: 1}', '');
    const f = writeModel(ws, 'exploding', text);
    const { result, events } = await run(f, text, { workspace: ws, runDir: 'nan' });
    assert.strictEqual(result.reason, 'nonfinite');
    const done = events.find((e) => e.type === 'done') as Extract<EngineEvent, { type: 'done' }>;
    assert.ok(done.layer && ['h1', 'bn', 'out', 'relu_1', 'dropout_1'].includes(done.layer), `layer ${done.layer}`);
    assert.match(done.message, /NaN or infinite values appeared in .*'/);
    assert.match(done.message, /lower it/);
    // The last checkpoint holds the last finite values.
    for (const [, v] of paramsOf(path.join(ws, 'nan', 'last.ckpt'))) assert.ok(v.every(Number.isFinite));
  });

  it('early stopping ends the run when the monitor stops improving', async () => {
    const text = RESUMABLE.replace('training: {epochs: 4,', 'training: {epochs: 30, early_stopping: {monitor: val_loss, patience: 2, min_delta: 100},');
    const f = writeModel(ws, 'early', text);
    const { result, events } = await run(f, text, { workspace: ws, runDir: 'early' });
    assert.strictEqual(result.reason, 'early_stopping');
    assert.strictEqual(result.epochs, 3, 'epoch 1 sets the best, 2 and 3 do not improve by 100');
    assert.strictEqual(result.best!.epoch, 1);
    assert.strictEqual(events.filter((e) => e.type === 'epochEnd').length, 3);
  });

  it('splits batches over the memory budget into accumulated micro-batches and says so', async () => {
    const text = RESUMABLE.replace('training: {epochs: 4,', 'training: {epochs: 1, memory_budget_mb: 0.0095,');
    const f = writeModel(ws, 'budget', text);
    const { result, events } = await run(f, text, { workspace: ws, runDir: 'budget' });
    assert.strictEqual(result.reason, 'completed');
    const warning = events.find((e) => e.type === 'warning' && e.code === 'accumulation') as Extract<EngineEvent, { type: 'warning' }>;
    assert.ok(warning, 'an accumulation warning');
    assert.match(warning.message, /micro-batches of at most \d+/);
    const started = events.find((e) => e.type === 'started') as Extract<EngineEvent, { type: 'started' }>;
    assert.strictEqual(started.batchSize, 16);
    assert.ok(started.accumulate > 1 && started.microBatch < 16);
  });

  it('refuses paths outside the workspace', async () => {
    await assert.rejects(run(file, RESUMABLE, { workspace: ws, runDir: '../elsewhere' }), /outside the workspace/);
  });
});
