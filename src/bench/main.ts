// `npm run bench`: speed and memory targets, each printed as a ratio against a peer measured in
// the same run (PyTorch eager for training throughput, the working set for memory, the budget
// for validation). Never used as a timed assertion in tests.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { analyzeModel } from '../analysis/analyze';
import { compileModel } from '../compiler/compile';
import { initParams } from '../compiler/init';
import { findPackageRoot } from '../engine/data/dataDir';
import { ort, ortVersion } from '../engine/ort';
import { coreCount, createSession } from '../engine/providers';
import { FusedStepRunner } from '../engine/step-runner';
import { cnn, generatedModel, mlp, type BenchNetwork } from './networks';
import { formatTable, median, ratioRow, type BenchRow } from './report';

interface Prepared {
  runner: FusedStepRunner;
  feeds: Record<string, Tensor>;
  batch: number;
  /** Milliseconds spent inside session.run since the last reset. */
  insideMs: { value: number };
  workingSetBytes: number;
}

async function prepare(net: BenchNetwork, threads: number): Promise<Prepared> {
  const analysis = analyzeModel(net.text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (!analysis.model || !analysis.summary || errors.length) throw new Error(`bench model ${net.id} is invalid: ${errors.map((e) => e.message).join('; ')}`);
  const compiled = compileModel(analysis.summary, analysis.model);
  const params = initParams(compiled.params, 1);
  const state = new Map(compiled.state.map((s) => [s.name, new Float32Array(s.shape.reduce((a, b) => a * b, 1)).fill(s.fill)]));
  const { session } = await createSession(compiled.train, { provider: 'cpu', threads }, 'train step');
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
  const runner = new FusedStepRunner(compiled, timed, params, state);
  const feature = compiled.trainIO.features[0];
  const x = new Float32Array(net.batch * feature.shape.reduce((a, b) => a * b, 1));
  let s = 12345;
  for (let i = 0; i < x.length; i++) x[i] = ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const y = BigInt64Array.from({ length: net.batch }, (_, i) => BigInt(i % 10));
  const feeds = {
    [feature.name]: new ort.Tensor('float32', x, [net.batch, ...feature.shape]),
    [compiled.trainIO.labels.name]: new ort.Tensor('int64', y, [net.batch]),
  };
  const paramCount = compiled.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  const stateCount = compiled.state.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  // Weights + gradients + optimizer state, plus the activations of a batch kept for backward.
  const workingSetBytes = 4 * (2 * paramCount + stateCount) + 2 * analysis.summary.totalActivationBytes * net.batch;
  return { runner, feeds, batch: net.batch, insideMs, workingSetBytes };
}

async function runSteps(p: Prepared, steps: number, firstStep: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    const r = await p.runner.step([{ feeds: p.feeds, samples: p.batch }], 1e-3, firstStep + i, [BigInt(firstStep + i)]);
    if (r.nonFinite) throw new Error(`bench step went non-finite at ${r.nonFinite.where}`);
  }
}

/** Best samples/s over `repeats` timed runs of `steps` steps, and the share of time outside ORT. */
async function measureOurs(net: BenchNetwork, threads: number, steps: number, repeats: number): Promise<{ samplesPerSec: number; outsideShare: number }> {
  const p = await prepare(net, threads);
  await runSteps(p, 5, 1);
  let best = 0;
  let outsideShare = 0;
  for (let r = 0; r < repeats; r++) {
    p.insideMs.value = 0;
    const t0 = performance.now();
    await runSteps(p, steps, 10 + r * steps);
    const wall = performance.now() - t0;
    const rate = (steps * p.batch) / (wall / 1000);
    if (rate > best) {
      best = rate;
      outsideShare = Math.max(0, wall - p.insideMs.value) / wall;
    }
  }
  return { samplesPerSec: best, outsideShare };
}

function findPython(): string | undefined {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(candidate, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return undefined;
}

function measureTorch(python: string, net: BenchNetwork, threads: number, steps: number, repeats: number): { samplesPerSec: number; version: string } {
  const root = findPackageRoot(__dirname) ?? process.cwd();
  const script = path.join(root, 'src', 'bench', 'torch_peer.py');
  const cfg = JSON.stringify({ network: net.id, threads, batch: net.batch, warmup: 5, steps, repeats });
  const out = execFileSync(python, [script, cfg], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) } });
  const parsed = JSON.parse(out.trim().split('\n').pop()!) as { samplesPerSec: number; torch: string };
  return { samplesPerSec: parsed.samplesPerSec, version: parsed.torch };
}

/** Child-process mode: trains the MLP briefly and prints peak RSS growth against its working set. */
async function memoryChild(): Promise<void> {
  void ort.Tensor; // load the native module before the baseline is read
  const loaded = process.memoryUsage().rss;
  const p = await prepare(mlp, coreCount());
  // The runtime's fixed cost (compiled graphs, sessions, thread pools) is reported apart from
  // what training itself adds on top, which is what scales with the model and the batch.
  const ready = process.resourceUsage().maxRSS * 1024;
  await runSteps(p, 40, 1);
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ growth: peak - ready, fixed: ready - loaded, workingSet: p.workingSetBytes }) + '\n');
}

function measureMemory(): { growth: number; fixed: number; workingSet: number } {
  const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1], '--memory-child'], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { growth: number; fixed: number; workingSet: number };
}

async function main(): Promise<void> {
  if (process.argv.includes('--memory-child')) return memoryChild();
  const threads = coreCount();
  const rows: BenchRow[] = [];
  const python = findPython();
  let torchVersion = 'unavailable';
  const notes: string[] = [];

  for (const [net, target] of [[mlp, 3], [cnn, 1.5]] as const) {
    const ours = await measureOurs(net, threads, net.id === 'mlp' ? 60 : 40, 5);
    if (python) {
      const peer = measureTorch(python, net, threads, net.id === 'mlp' ? 60 : 40, 5);
      torchVersion = peer.version;
      rows.push(ratioRow(`train step, ${net.title} (samples/s)`, ours.samplesPerSec, `PyTorch eager`, peer.samplesPerSec, target));
    } else {
      rows.push({ name: `train step, ${net.title} (samples/s)`, ours: ours.samplesPerSec, peerName: 'PyTorch eager', peer: undefined, ratio: undefined, target, note: 'peer unavailable: apt-get install python3-torch libopenblas0-pthread' });
    }
    notes.push(`${net.id}: ${(100 * ours.outsideShare).toFixed(1)} % of step time is spent outside onnxruntime (feeds, JavaScript)`);
  }

  const mem = measureMemory();
  notes.push(`memory: compiling and creating the MLP's sessions costs ${(mem.fixed / 2 ** 20).toFixed(1)} MiB before the first step (not counted in the row above)`);
  rows.push({ name: 'peak memory added by training steps (MiB, MLP)', ours: mem.growth / 2 ** 20, peerName: 'model + batch working set', peer: mem.workingSet / 2 ** 20, ratio: mem.growth / mem.workingSet, target: 2, lowerIsBetter: true });

  const text = generatedModel(200);
  const times: number[] = [];
  for (let i = 0; i < 25; i++) {
    const t0 = performance.now();
    analyzeModel(text);
    times.push(performance.now() - t0);
  }
  const validationMs = median(times.slice(5));
  rows.push({ name: 'validate a 200-layer model (ms, median)', ours: validationMs, peerName: 'budget', peer: 50, ratio: validationMs / 50, target: 1, lowerIsBetter: true });

  process.stdout.write(formatTable(rows) + '\n\n' + notes.join('\n') + '\n');
  process.stdout.write(`\nmachine: ${threads} cores; onnxruntime-node ${ortVersion()}; torch ${torchVersion}; ${threads} threads on both sides\n`);
  const outDir = path.join(process.cwd(), 'test-artifacts');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'bench-results.json'), JSON.stringify({ rows, notes, threads, ort: ortVersion(), torch: torchVersion }, null, 2));
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
