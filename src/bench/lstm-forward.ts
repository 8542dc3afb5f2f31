// `npx tsx src/bench/lstm-forward.ts`: why recurrent layers are unrolled. Times one LSTM forward
// pass (batch 64, 32 steps, 32 inputs, 64 units) three ways on the same data: onnxruntime's fused
// `LSTM` op, a `Scan` running one cell per iteration, and the unrolled graph Layerwise trains
// (its eval model). Only the unrolled one has a gradient here: the fused op has none in the
// inference runtime, and a Scan body would need autodiff through the loop (a reverse Scan over
// per-step saved states). Forward only, so it bounds what a loop lowering could gain.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { analyzeModel } from '../analysis/analyze';
import { compileModel } from '../compiler/compile';
import { initParams } from '../compiler/init';
import { attr, Graph, serializeModel } from '../onnx/graph';
import { ort } from '../engine/ort';
import { coreCount, createSession } from '../engine/providers';

const N = 64;
const T = 32;
const D = 32;
const U = 64;

const wave = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
const tensor = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);

/** Best mean milliseconds per run over 5 repeats of 20 runs, after 5 warm-up runs. */
async function time(session: InferenceSession, feeds: Record<string, Tensor>): Promise<number> {
  for (let i = 0; i < 5; i++) await session.run(feeds);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) await session.run(feeds);
    best = Math.min(best, (performance.now() - t0) / 20);
  }
  return best;
}

/** onnxruntime's LSTM op on X [T, N, D]. */
function fusedOp(): Uint8Array {
  const g = new Graph('lstm_op');
  g.input('X', 'float32', [T, N, D]);
  g.input('W', 'float32', [1, 4 * U, D]);
  g.input('R', 'float32', [1, 4 * U, U]);
  g.input('B', 'float32', [1, 8 * U]);
  const [, last] = g.addNode('LSTM', ['X', 'W', 'R', 'B'], { hidden_size: attr.int(U) }, ['Y', 'Y_h']);
  g.output(last, 'float32', [1, N, U]);
  return serializeModel(g);
}

/** The input projection outside, one cell per Scan iteration (state h, c; scan input x_t W^T). */
function scanned(): Uint8Array {
  const g = new Graph('lstm_scan');
  g.input('X', 'float32', [N, T, D]);
  g.input('Wt', 'float32', [D, 4 * U]);
  g.input('Rt', 'float32', [U, 4 * U]);
  g.input('H0', 'float32', [N, U]);
  const projected = g.op('MatMul', ['X', 'Wt']);
  const body = g.subgraph('cell');
  body.input('h', 'float32', [N, U]);
  body.input('c', 'float32', [N, U]);
  body.input('xt', 'float32', [N, 4 * U]);
  const z = body.op('Add', ['xt', body.op('MatMul', ['h', 'Rt'])]);
  const gate = (k: number) => body.op('Slice', [z, body.ints([k * U]), body.ints([(k + 1) * U]), body.ints([1])]);
  const [i, o, f] = [0, 1, 2].map((k) => body.op('Sigmoid', [gate(k)]));
  const c = body.op('Add', [body.op('Mul', [f, 'c']), body.op('Mul', [i, body.op('Tanh', [gate(3)])])]);
  body.addNode('Identity', [body.op('Mul', [o, body.op('Tanh', [c])])], {}, ['h_out']);
  body.addNode('Identity', [c], {}, ['c_out']);
  body.output('h_out', 'float32', [N, U]);
  body.output('c_out', 'float32', [N, U]);
  const [last] = g.addNode('Scan', ['H0', 'H0', projected], { body: attr.graph(body), num_scan_inputs: attr.int(1), scan_input_axes: attr.ints([1]) }, ['h_T', 'c_T']);
  g.output(last, 'float32', [N, U]);
  return serializeModel(g);
}

async function main(): Promise<void> {
  const threads = coreCount();
  const open = async (bytes: Uint8Array) => (await createSession(bytes, { provider: 'cpu', threads }, 'lstm forward')).session;
  const x = wave(N * T * D, Math.sin);
  const w = wave(4 * U * D, (i) => 0.05 * Math.cos(i));
  const r = wave(4 * U * U, (i) => 0.05 * Math.sin(0.7 * i));

  const op = await time(await open(fusedOp()), { X: tensor(x, [T, N, D]), W: tensor(w, [1, 4 * U, D]), R: tensor(r, [1, 4 * U, U]), B: tensor(new Float32Array(8 * U), [1, 8 * U]) });
  const scan = await time(await open(scanned()), { X: tensor(x, [N, T, D]), Wt: tensor(w, [D, 4 * U]), Rt: tensor(r, [U, 4 * U]), H0: tensor(new Float32Array(N * U), [N, U]) });

  const analysis = analyzeModel(`name: lstm-forward\nlayers:\n  - {id: x, type: Input, shape: [${T}, ${D}]}\n  - {id: lstm, type: LSTM, units: ${U}}\nloss: mse\n`);
  if (!analysis.model || !analysis.summary) throw new Error('the LSTM model does not validate');
  const compiled = compileModel(analysis.summary, analysis.model);
  const params = initParams(compiled.params, 1);
  const feeds: Record<string, Tensor> = { x: tensor(x, [N, T, D]), [compiled.evalIO.labels.name]: tensor(new Float32Array(N * U), [N, U]) };
  for (const p of compiled.params) feeds[p.name] = tensor(params.get(p.name)!, p.shape);
  const unrolled = await time(await open(compiled.eval), feeds);

  const ms = (v: number) => `${v.toFixed(2)} ms`;
  process.stdout.write(
    `LSTM forward, batch ${N}, ${T} steps, ${D} -> ${U}, ${threads} threads:\n` +
      `  onnxruntime LSTM op  ${ms(op)}  (no gradient)\n` +
      `  Scan, one cell/step  ${ms(scan)}  (no gradient without loop autodiff)\n` +
      `  unrolled (trained)   ${ms(unrolled)}  = ${(unrolled / op).toFixed(2)}x the op, ${(unrolled / scan).toFixed(2)}x the Scan\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
