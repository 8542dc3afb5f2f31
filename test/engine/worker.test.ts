// The host/worker protocol through a real forked worker (run from source with tsx).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { EngineClient, type CrashInfo } from '../../src/engine/client';
import { readCheckpoint } from '../../src/engine/checkpoint';
import type { EngineEvent } from '../../src/engine/protocol';
import { REPO_ROOT, TSX_IMPORT, removeWorkspace, tempWorkspace, writeModel } from './helpers';

const WORKER = path.join(REPO_ROOT, 'src', 'engine', 'worker.ts');

const MODEL = `
name: worker-test
layers:
  - {id: x, type: Input, shape: [2]}
  - {id: h, type: Dense, units: 32, activation: tanh}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
metrics: [accuracy]
optimizer: {type: adam, lr: 0.01}
training: {epochs: 3, batch_size: 8, seed: 2, validation_split: 0.2}
data: {source: moons, samples: 400}
`;

function client(): EngineClient {
  return new EngineClient({ workerPath: WORKER, execArgv: TSX_IMPORT, env: { OMP_NUM_THREADS: '1' } });
}

function waitFor<T extends EngineEvent['type']>(c: EngineClient, type: T, pred: (e: Extract<EngineEvent, { type: T }>) => boolean = () => true): Promise<Extract<EngineEvent, { type: T }>> {
  return new Promise((resolve) => {
    const on = (e: EngineEvent) => {
      if (e.type === type && pred(e as Extract<EngineEvent, { type: T }>)) {
        c.off('event', on);
        resolve(e as Extract<EngineEvent, { type: T }>);
      }
    };
    c.on('event', on);
  });
}

describe('engine/worker protocol', function () {
  this.timeout(60000);
  let ws: string;
  let file: string;
  let c: EngineClient;
  beforeEach(() => {
    ws = tempWorkspace();
    file = writeModel(ws, 'worker-test', MODEL);
    c = client();
  });
  afterEach(async () => {
    await c.dispose();
    removeWorkspace(ws);
  });

  it('round-trips a training run: ready, started, steps, epochs, checkpoints, done, response', async () => {
    const events: EngineEvent[] = [];
    c.on('event', (e) => events.push(e));
    const out = await c.request({ type: 'train', modelPath: file, text: MODEL, options: { workspace: ws, runDir: 'r', threads: 1 } });
    assert.ok(out.ok, JSON.stringify(!out.ok && out.error));
    assert.strictEqual(out.result.reason, 'completed');
    const types = events.map((e) => e.type);
    assert.strictEqual(types[0], 'ready');
    assert.strictEqual(types[1], 'started');
    assert.strictEqual(types.filter((t) => t === 'epochEnd').length, 3);
    assert.ok(types.includes('step') && types.includes('checkpoint'));
    assert.strictEqual(types[types.length - 1], 'done');
    // Bad requests come back as structured errors, not crashes.
    const bad = await c.request({ type: 'eval', modelPath: file, text: MODEL, checkpoint: 'missing.ckpt', split: 'validation', options: { workspace: ws } });
    assert.ok(!bad.ok);
    assert.strictEqual(bad.error.code, 'checkpoint_invalid');
    const invalid = await c.request({ type: 'train', modelPath: file, text: 'layers: [{type: Dense}]', options: { workspace: ws } });
    assert.ok(!invalid.ok);
    assert.strictEqual(invalid.error.code, 'invalid_model');
    assert.ok(invalid.error.problems!.length > 0 && invalid.error.problems![0].line >= 1);
  });

  it('pause holds the run, resume continues it, stop ends it with a last checkpoint', async () => {
    const text = MODEL.replace('epochs: 3', 'epochs: 200');
    const running = c.request({ type: 'train', modelPath: file, text, options: { workspace: ws, runDir: 'p', threads: 1, maxStepEventsPerSecond: 50 } });
    await waitFor(c, 'step');
    // Listen before asking: the event may arrive in the same IPC read as the response.
    const pausedEvent = waitFor(c, 'paused');
    assert.deepStrictEqual(await c.request({ type: 'pause' }), { ok: true, result: { applied: true } });
    const paused = await pausedEvent;
    let stepsWhilePaused = 0;
    const count = (e: EngineEvent) => {
      if (e.type === 'step') stepsWhilePaused++;
    };
    c.on('event', count);
    await new Promise((r) => setTimeout(r, 400));
    c.off('event', count);
    assert.strictEqual(stepsWhilePaused, 0);
    const resumedEvent = waitFor(c, 'resumed');
    const stepAfter = waitFor(c, 'step', (e) => e.step > paused.step);
    await c.request({ type: 'resume' });
    assert.strictEqual((await resumedEvent).step, paused.step);
    await stepAfter;
    await c.request({ type: 'stop' });
    const out = await running;
    assert.ok(out.ok);
    assert.strictEqual(out.result.reason, 'stopped');
    assert.ok(fs.existsSync(out.result.last!));
    assert.ok(readCheckpoint(out.result.last!).header.progress.step > paused.step);
  });

  it('a worker killed mid-training is reported as crashed; the last checkpoint is intact and the next run works', async () => {
    const text = MODEL.replace('epochs: 3', 'epochs: 500');
    const crashed = new Promise<CrashInfo>((r) => c.once('crashed', r));
    const running = c.request({ type: 'train', modelPath: file, text, options: { workspace: ws, runDir: 'k', threads: 1 } });
    await waitFor(c, 'checkpoint', (e) => e.kind === 'last' && e.epoch >= 2);
    const pid = c.pid!;
    process.kill(pid, 'SIGKILL');
    const info = await crashed;
    assert.strictEqual(info.signal, 'SIGKILL');
    assert.match(info.message, /killed by SIGKILL/);
    const out = await running;
    assert.ok(!out.ok);
    assert.strictEqual(out.error.code, 'worker_crashed');
    const last = path.join(ws, 'k', 'last.ckpt');
    const ck = readCheckpoint(last);
    assert.ok(ck.header.progress.epoch >= 2);
    // A fresh worker picks up the next request: evaluate the checkpoint the dead one left.
    const ev = await c.request({ type: 'eval', modelPath: file, text, checkpoint: last, split: 'validation', options: { workspace: ws, threads: 1 } });
    assert.ok(ev.ok, JSON.stringify(!ev.ok && ev.error));
    assert.ok(c.pid !== pid);
    assert.ok(ev.result.metrics.accuracy > 0.5);
  });

  it('never throws: a worker that cannot start or does not answer becomes a failed outcome', async () => {
    const missing = new EngineClient({ workerPath: path.join(ws, 'no-such-worker.js') });
    const crashed = new Promise<CrashInfo>((r) => missing.once('crashed', r));
    const out = await missing.request({ type: 'pause' });
    assert.ok(!out.ok && out.error.code === 'worker_crashed');
    assert.match((await crashed).stderr, /Cannot find module/);
    await missing.dispose();

    const silent = path.join(ws, 'silent-worker.js');
    fs.writeFileSync(silent, "process.on('message', () => undefined);\n");
    const mute = new EngineClient({ workerPath: silent, timeouts: { eval: 300, shutdown: 300 } });
    const late = await mute.request({ type: 'eval', modelPath: 'm.nn.yaml', text: '', checkpoint: 'c', split: 'validation', options: {} });
    assert.ok(!late.ok && late.error.code === 'timeout', JSON.stringify(late));
    await mute.dispose(300);
    assert.ok(!mute.running);
  });
});
