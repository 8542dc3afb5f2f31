// `npm run bench`: speed and memory targets, each printed as a ratio against a peer measured in
// the same run (PyTorch eager for training throughput, the unfused step for fused steps, the
// working set for memory, the budget for validation). Never used as a timed assertion in tests.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { analyzeModel } from '../analysis/analyze';
import { compileModel } from '../compiler/compile';
import { buildFusedTrainModel } from '../compiler/fused';
import { initParams } from '../compiler/init';
import type { CompiledModel } from '../compiler/types';
import { findPackageRoot } from '../engine/data/dataDir';
import { ort, ortVersion } from '../engine/ort';
import { coreCount, createSession, sessionOptions } from '../engine/providers';
import { FusedLoopRunner, stackFeeds } from './fused-runner';
import { batchesByRow, buildLoopModel, FusedStepRunner, LoopStepRunner, type StackedBatch } from '../engine/step-runner';
import { cnn, generatedModel, lstm, mlp, transformer, type BenchNetwork } from './networks';
import { parseTrace, summariseTrace, type RunProfile } from './profile';
import { formatTable, median, ratioRow, type BenchRow } from './report';
import { hostLagNote, measureHostLag } from './host-lag';
import { MEMORY_MODES, MEMORY_UPDATES, measureMemory, memoryChild, workingSetBytes, type MemoryMode, type MemoryResult } from './memory';
import { collectYoungGarbage } from '../engine/young-gc';

/** Steps per timed repeat, repeats, and the K of the fused rows; sized for ~3 minutes on 2 cores. */
const PLAN = { mlp: { steps: 64, repeats: 5 }, cnn: { steps: 48, repeats: 5 }, lstm: { steps: 24, repeats: 4 }, transformer: { steps: 24, repeats: 4 }, fusedK: 16, rounds: 2 } as const;
/** Each network with the speed-up over PyTorch eager it should reach. */
const SPEED_TARGETS: [BenchNetwork, number][] = [[mlp, 3], [cnn, 1.5], [lstm, 1], [transformer, 1]];
const PEER_MISSING = 'peer unavailable: apt-get install python3-torch libopenblas0-pthread';

interface Compiled {
  compiled: CompiledModel;
  params: Map<string, Float32Array>;
  state: Map<string, Float32Array>;
  /** One synthetic batch: features and labels by input name. */
  feeds: Record<string, Tensor>;
  workingSetBytes: number;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Parse → analyse → compile, exactly as a user's model file goes, plus initial values and a batch. */
function compileNetwork(net: BenchNetwork): Compiled {
  const analysis = analyzeModel(net.text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (!analysis.model || !analysis.summary || errors.length) throw new Error(`bench model ${net.id} is invalid: ${errors.map((e) => e.message).join('; ')}`);
  const compiled = compileModel(analysis.summary, analysis.model);
  const params = initParams(compiled.params, 1);
  const state = new Map(compiled.state.map((s) => [s.name, new Float32Array(size(s.shape)).fill(s.fill)]));
  const feature = compiled.trainIO.features[0];
  const count = net.batch * size(feature.shape);
  let s = 12345;
  const uniform = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const vocab = net.sequence?.vocab;
  const x = vocab ? BigInt64Array.from({ length: count }, () => BigInt(Math.floor(uniform() * vocab))) : Float32Array.from({ length: count }, () => uniform() * 2 - 1);
  const y = BigInt64Array.from({ length: net.batch }, (_, i) => BigInt(i % 10));
  const feeds = {
    [feature.name]: x instanceof BigInt64Array ? new ort.Tensor('int64', x, [net.batch, ...feature.shape]) : new ort.Tensor('float32', x, [net.batch, ...feature.shape]),
    [compiled.trainIO.labels.name]: new ort.Tensor('int64', y, [net.batch]),
  };
  return { compiled, params, state, feeds, workingSetBytes: workingSetBytes(analysis.summary, compiled, net.batch) };
}

interface Stepper {
  runner: FusedStepRunner;
  /** Milliseconds spent inside session.run since the last reset. */
  insideMs: { value: number };
}

async function stepper(c: Compiled, session: InferenceSession): Promise<Stepper> {
  const insideMs = { value: 0 };
  // Times every session.run so the step loop's time outside ORT can be told apart.
  const timed = {
    run: async (feeds: Record<string, Tensor>) => {
      const t0 = performance.now();
      const out = await session.run(feeds);
      insideMs.value += performance.now() - t0;
      return out;
    },
  } as unknown as InferenceSession;
  return { runner: new FusedStepRunner(c.compiled, timed, c.params, c.state), insideMs };
}

async function runSteps(s: Stepper, c: Compiled, batch: number, steps: number, firstStep: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    const r = await s.runner.step([{ feeds: c.feeds, samples: batch }], 1e-3, firstStep + i, [BigInt(firstStep + i)]);
    if (r.nonFinite) throw new Error(`bench step went non-finite at ${r.nonFinite.where}`);
  }
}

interface OursResult {
  samplesPerSec: number;
  /** (wall time of the step loop − time inside session.run) / wall time, for the best repeat. */
  outsideShare: number;
  /** Mean ms of one session.run in the best repeat. */
  runMs: number;
}

/** Best samples/s over `repeats` timed runs of `steps` single steps, after warm-up. */
async function measureOurs(net: BenchNetwork, threads: number, steps: number, repeats: number): Promise<OursResult> {
  const c = compileNetwork(net);
  const { session } = await createSession(c.compiled.train, { provider: 'cpu', threads }, 'train step');
  const s = await stepper(c, session);
  await runSteps(s, c, net.batch, 5, 1);
  let best: OursResult = { samplesPerSec: 0, outsideShare: NaN, runMs: NaN };
  for (let r = 0; r < repeats; r++) {
    s.insideMs.value = 0;
    const t0 = performance.now();
    await runSteps(s, c, net.batch, steps, 10 + r * steps);
    const wall = performance.now() - t0;
    const rate = (steps * net.batch) / (wall / 1000);
    if (rate > best.samplesPerSec) best = { samplesPerSec: rate, outsideShare: Math.max(0, wall - s.insideMs.value) / wall, runMs: s.insideMs.value / steps };
  }
  await session.release();
  return best;
}

/**
 * Best samples/s over `repeats` timings of about `steps` updates made `k` at a time by
 * `run(numbers)` (1-based update numbers), after one warm-up run.
 */
async function bestLoopRate(run: (numbers: number[]) => Promise<void>, k: number, batch: number, steps: number, repeats: number): Promise<number> {
  let next = 1;
  const once = () => {
    const numbers = Array.from({ length: k }, (_, i) => next + i);
    next += k;
    return run(numbers);
  };
  await once();
  const runs = Math.max(1, Math.round(steps / k));
  let best = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await once();
    best = Math.max(best, (runs * k * batch) / ((performance.now() - t0) / 1000));
  }
  return best;
}

/** Best samples/s of K steps fused into one Loop run, same batch, same thread count. */
async function measureFused(net: BenchNetwork, threads: number, k: number, steps: number, repeats: number): Promise<number> {
  const c = compileNetwork(net);
  const fused = buildFusedTrainModel(c.compiled);
  const { session } = await createSession(fused.model, { provider: 'cpu', threads }, 'fused train steps');
  const runner = new FusedLoopRunner(c.compiled, fused.io, session, c.params, c.state);
  const stacked = stackFeeds(Array.from({ length: k }, () => c.feeds));
  const lrs = Array.from({ length: k }, () => 1e-3);
  const best = await bestLoopRate(async (numbers) => {
    const r = await runner.run(stacked, lrs, numbers, numbers.map((n) => BigInt(n)));
    if (r.nonFinite) throw new Error(`bench fused run went non-finite at step ${r.nonFinite.step}`);
  }, k, net.batch, steps, repeats);
  await session.release();
  return best;
}

/**
 * Best samples/s of the trainer's own Loop runs: `buildLoopModel` (with the gradient
 * statistics of each run's last update) through `LoopStepRunner`, K updates per run.
 */
async function measureTrainerLoop(net: BenchNetwork, threads: number, k: number, steps: number, repeats: number): Promise<number> {
  const c = compileNetwork(net);
  const loop = buildLoopModel(c.compiled);
  const { session } = await createSession(loop.model, { provider: 'cpu', threads }, 'Loop of train steps');
  const runner = new LoopStepRunner(c.compiled, loop, session, c.params, c.state);
  // The one synthetic batch as the data set, its rows K times over, as the trainer passes its
  // training split and the epoch order's rows.
  const order = Array.from({ length: k * net.batch }, (_, i) => i % net.batch);
  const stacked: StackedBatch = batchesByRow(c.feeds, order, 0, k, net.batch);
  const best = await bestLoopRate(async (numbers) => {
    const r = await runner.steps(stacked, numbers.map(() => 1e-3), numbers, numbers.map((n) => BigInt(n)));
    collectYoungGarbage(); // as the trainer does after every run
    if (r.nonFinite) throw new Error(`bench Loop run went non-finite in ${r.nonFinite.where}`);
  }, k, net.batch, steps, repeats);
  await session.release();
  return best;
}

/** A short separate run with onnxruntime's profiler on: the share of model_run that is not kernel time. */
async function profileSteps(net: BenchNetwork, threads: number, steps: number): Promise<RunProfile & { meanRunMs: number }> {
  const c = compileNetwork(net);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-bench-profile-'));
  try {
    const session = await ort.InferenceSession.create(c.compiled.train, { ...sessionOptions({ provider: 'cpu', threads }), enableProfiling: true, profileFilePrefix: path.join(dir, 'trace') });
    const s = await stepper(c, session);
    await runSteps(s, c, net.batch, steps + 1, 1);
    session.endProfiling();
    await session.release();
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.json'));
    const events = file ? parseTrace(fs.readFileSync(path.join(dir, file), 'utf8')) : undefined;
    if (!events) throw new Error(`onnxruntime wrote no profile trace into ${dir}`);
    return { ...summariseTrace(events, 1), meanRunMs: s.insideMs.value / (steps + 1) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function findPython(): string | undefined {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(candidate, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return undefined;
}

/** PyTorch's peak RSS growth over the memory child's MLP updates (fresh batches, after its runtime's one-time cost). */
function measureTorchMemory(python: string, threads: number): number {
  const root = findPackageRoot(__dirname) ?? process.cwd();
  const script = path.join(root, 'src', 'bench', 'torch_peer.py');
  const cfg = JSON.stringify({ network: mlp.id, threads, batch: mlp.batch, updates: MEMORY_UPDATES });
  const out = execFileSync(python, [script, cfg], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) } });
  return (JSON.parse(out.trim().split('\n').pop()!) as { peakDelta: number }).peakDelta;
}

function measureTorch(python: string, net: BenchNetwork, threads: number, steps: number, repeats: number): { samplesPerSec: number; version: string } {
  const root = findPackageRoot(__dirname) ?? process.cwd();
  const script = path.join(root, 'src', 'bench', 'torch_peer.py');
  const cfg = JSON.stringify({ network: net.id, threads, batch: net.batch, warmup: 5, steps, repeats, ...(net.sequence ? { vocab: net.sequence.vocab, tokens: net.sequence.steps } : {}) });
  const out = execFileSync(python, [script, cfg], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) } });
  const parsed = JSON.parse(out.trim().split('\n').pop()!) as { samplesPerSec: number; torch: string };
  return { samplesPerSec: parsed.samplesPerSec, version: parsed.torch };
}

const pct = (share: number) => `${(100 * share).toFixed(1)} %`;

async function main(): Promise<void> {
  const memoryArg = process.argv.indexOf('--memory-child');
  if (memoryArg >= 0) return memoryChild(MEMORY_MODES.find((m) => m === process.argv[memoryArg + 1]) ?? 'trainer');
  if (process.argv.includes('--host-lag')) return void process.stdout.write(hostLagNote(await measureHostLag()) + '\n');
  const started = performance.now();
  const threads = coreCount();
  const rows: BenchRow[] = [];
  const python = findPython();
  let torchVersion = 'unavailable';
  const notes: string[] = [];
  const shares: Record<string, unknown> = {};

  // `--only lstm,transformer` measures just those networks' speed rows (and skips memory, validation and lag).
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg >= 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',')) : undefined;
  for (const [net, target] of SPEED_TARGETS.filter(([n]) => !only || only.has(n.id))) {
    const { steps, repeats } = PLAN[net.id];
    // Rounds alternate the contenders so that load from other processes hits them alike; best wins.
    let ours: OursResult | undefined;
    let fused = 0;
    let trainerLoop = 0;
    let peer: { samplesPerSec: number; version: string } | undefined;
    for (let round = 0; round < PLAN.rounds; round++) {
      const o = await measureOurs(net, threads, steps, repeats);
      if (!ours || o.samplesPerSec > ours.samplesPerSec) ours = o;
      fused = Math.max(fused, await measureFused(net, threads, PLAN.fusedK, steps, repeats));
      trainerLoop = Math.max(trainerLoop, await measureTrainerLoop(net, threads, PLAN.fusedK, steps, repeats));
      if (python) {
        const p = measureTorch(python, net, threads, steps, repeats);
        if (!peer || p.samplesPerSec > peer.samplesPerSec) peer = p;
      }
    }
    if (!ours) throw new Error('internal: no measurement rounds');
    const name = `train step, ${net.title} (samples/s)`;
    if (peer) {
      torchVersion = peer.version;
      rows.push(ratioRow(name, ours.samplesPerSec, 'PyTorch eager', peer.samplesPerSec, target));
    } else {
      rows.push({ name, ours: ours.samplesPerSec, peerName: 'PyTorch eager', peer: undefined, ratio: undefined, target, note: PEER_MISSING });
    }
    rows.push(ratioRow(`${PLAN.fusedK} steps fused in one Loop run, ${net.id.toUpperCase()} (samples/s)`, fused, 'single steps', ours.samplesPerSec));
    // The trainer's own Loop runs (with the gradient statistics it reports): what a user gets.
    const loopName = `the trainer's Loop runs of ${PLAN.fusedK} (with the statistics of each run's last update), ${net.id.toUpperCase()} (samples/s)`;
    rows.push(peer ? ratioRow(loopName, trainerLoop, 'PyTorch eager', peer.samplesPerSec, target) : { name: loopName, ours: trainerLoop, peerName: 'PyTorch eager', peer: undefined, ratio: undefined, target, note: PEER_MISSING });

    const prof = await profileSteps(net, threads, 10);
    const modelRunMs = prof.runUs / 1000 / prof.runs;
    // session.run as seen from JavaScript also covers the binding: wrapping inputs, copying outputs out.
    const bindingShare = prof.meanRunMs > 0 ? Math.max(0, prof.meanRunMs - modelRunMs) / prof.meanRunMs : NaN;
    const top = prof.byOp.slice(0, 4).map((o) => `${o.op} ${pct(o.us / prof.kernelUs)}`).join(', ');
    notes.push(
      `${net.id}: ${pct(ours.outsideShare)} of the step loop's wall time is outside session.run (feeds, JavaScript); ` +
        `with the profiler on, ${pct(bindingShare)} of session.run (${prof.meanRunMs.toFixed(2)} ms) is the Node binding (tensor wrapping, output copies) and ` +
        `${pct(prof.overheadShare)} of onnxruntime's model_run (${modelRunMs.toFixed(2)} ms) is not kernel time; kernels: ${top}`,
    );
    shares[net.id] = { outsideSessionRun: ours.outsideShare, binding: bindingShare, ortNonKernel: prof.overheadShare, meanRunMs: prof.meanRunMs, modelRunMs, topKernels: prof.byOp.slice(0, 8) };
  }

  if (only) {
    process.stdout.write(formatTable(rows) + '\n\n' + notes.join('\n') + '\n');
    return;
  }
  const memory = Object.fromEntries(MEMORY_MODES.map((m) => [m, measureMemory(m)])) as Record<MemoryMode, MemoryResult>;
  const { trainer: loopRun, single } = memory;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const parts = (m: MemoryResult) => `session ${mib(m.session)}, first run ${mib(m.firstRun - m.session)}, the rest ${mib(m.peakDelta - m.firstRun)}`;
  notes.push(
    `memory: onnxruntime's one-time environment (thread pools, kernel registry) costs ${mib(loopRun.runtime)} with a process's first session, whatever its model; ` +
      `that is the runtime's cost, not the run's, so the bench pays it first with a trivial 2-unit Dense model's session and counts the run's growth after it. ` +
      `The MLP's ${MEMORY_UPDATES} updates as the trainer runs them (Loop runs of ${loopRun.stepsPerRun}): ${mib(loopRun.peakDelta)} (${parts(loopRun)}); ` +
      `without the trainer's minor GC after every run ${mib(memory['trainer-nogc'].peakDelta)}, as V8 collects onnxruntime-node's output copies late; ` +
      `on single train steps (the trainer's choice under a tight memory budget): ${mib(single.peakDelta)} (${parts(single)})`,
  );
  const rowName = `peak RSS growth of a ${MEMORY_UPDATES}-update MLP training run, the trainer's Loop runs (MiB)`;
  rows.push({ name: rowName, ours: loopRun.peakDelta / 2 ** 20, peerName: 'model + batch working set', peer: loopRun.workingSet / 2 ** 20, ratio: loopRun.peakDelta / loopRun.workingSet, target: 2, lowerIsBetter: true });
  if (python) {
    const peer = measureTorchMemory(python, threads);
    rows.push({ name: `the same ${MEMORY_UPDATES} updates against PyTorch eager (MiB)`, ours: loopRun.peakDelta / 2 ** 20, peerName: 'PyTorch eager', peer: peer / 2 ** 20, ratio: loopRun.peakDelta / peer, lowerIsBetter: true });
  }
  rows.push({ name: 'the same on single train steps (MiB)', ours: single.peakDelta / 2 ** 20, peerName: 'model + batch working set', peer: single.workingSet / 2 ** 20, ratio: single.peakDelta / single.workingSet, target: 2, lowerIsBetter: true });

  const text = generatedModel(200);
  const times: number[] = [];
  for (let i = 0; i < 25; i++) {
    const t0 = performance.now();
    analyzeModel(text);
    times.push(performance.now() - t0);
  }
  const validationMs = median(times.slice(5));
  rows.push({ name: 'validate a 200-layer model (ms, median of 20)', ours: validationMs, peerName: 'budget', peer: 50, ratio: validationMs / 50, target: 1, lowerIsBetter: true });

  const lag = await measureHostLag();
  notes.push(hostLagNote(lag));
  rows.push({ name: 'extension-host event-loop lag while training digits-mlp, p99 (ms)', ours: lag.p99Ms, peerName: 'budget', peer: 50, ratio: lag.p99Ms / 50, target: 1, lowerIsBetter: true });

  const machine = `machine: ${threads} cores; onnxruntime-node ${ortVersion()}; torch ${torchVersion}; ${threads} threads on both sides; bench took ${((performance.now() - started) / 1000).toFixed(0)} s`;
  process.stdout.write(formatTable(rows) + '\n\n' + notes.join('\n') + '\n\n' + machine + '\n');
  const outDir = path.join(findPackageRoot(__dirname) ?? process.cwd(), 'test-artifacts');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'bench-results.json'), JSON.stringify({ rows, notes, shares, memory, threads, ort: ortVersion(), torch: torchVersion }, null, 2));
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
