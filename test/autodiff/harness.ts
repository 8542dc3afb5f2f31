// Finite-difference gradient checks for single-op graphs. For op(inputs) the harness builds
// loss = Σ_outputs ReduceSum(y * R) with fixed random R, gets the analytic gradients from
// addBackward and compares them with central differences of the same forward graph, all run in
// onnxruntime-node. Inputs are quantised to a binary grid and the step is a power of two, so
// x ± h is exact and the differences see exactly the step they divide by.
import * as ort from 'onnxruntime-node';
import { attr, Graph, serializeModel, type Attr, type Dim, type ElemType } from '../../src/onnx/graph';
import '../../src/onnx/ops';
import { evalDim } from '../../src/onnx/ops/dims';
import { addBackward } from '../../src/compiler/autodiff/backward';
import { mulberry32 } from '../../src/compiler/random';

/** Seeded uniform floats in [0, 1): the compiler's own PRNG. */
export const prng = mulberry32;

/** How to draw the elements of a variable input. */
export type Gen =
  | 'uniform' // [-1, 1)
  | 'awayFromZero' // ±[0.2, 1): keeps Relu/Abs/Sign-like kinks farther than the step
  | 'positive' // [0.5, 2): Log, Sqrt, Div denominators, Pow bases
  | 'distinct' // a shuffled grid with spacing 0.05: no ties for Max/MaxPool/ReduceMax
  | ((rng: () => number, index: number) => number);

export interface VarInput {
  kind: 'var';
  /** Actual extents fed to the graph. */
  shape: number[];
  /** Declared extents (may hold symbols, e.g. 'N'); `shape` when absent. */
  decl?: Dim[];
  gen: Gen;
  /** False: fed as data but not differentiated. */
  diff: boolean;
}

export interface ConstInput {
  kind: 'const';
  dtype: 'int64' | 'bool' | 'float';
  dims: number[];
  values: number[];
}

export type InputSpec = VarInput | ConstInput | null;

export const v = (shape: number[], opts: { decl?: Dim[]; gen?: Gen; diff?: boolean } = {}): VarInput => ({
  kind: 'var',
  shape,
  decl: opts.decl,
  gen: opts.gen ?? 'uniform',
  diff: opts.diff ?? true,
});
export const ints = (values: number[], dims: number[] = [values.length]): ConstInput => ({ kind: 'const', dtype: 'int64', dims, values });
export const scalarInt = (value: number): ConstInput => ({ kind: 'const', dtype: 'int64', dims: [], values: [value] });
export const bools = (values: number[], dims: number[]): ConstInput => ({ kind: 'const', dtype: 'bool', dims, values });
export const floats = (values: number[], dims: number[] = [values.length]): ConstInput => ({ kind: 'const', dtype: 'float', dims, values });
/** An absent optional input. */
export const none = null;

export interface GradCase {
  /** The op under test, or a name for a composite `build`. */
  op: string;
  /** Builds a composite graph instead of the single node `op`; returns the values the loss weighs. */
  build?: (g: Graph, inputs: string[]) => string[];
  inputs: InputSpec[];
  attrs?: Record<string, Attr>;
  /** Number of op outputs (Split); 1 by default. */
  outputs?: number;
  /** The outputs that enter the loss (default: every float output). */
  lossOutputs?: number[];
  dtype: 'float64' | 'float32';
  seed?: number;
  /** Overrides of the default step and tolerances for this dtype. */
  tol?: { rtol?: number; atol?: number };
  /** Values for symbolic dimensions in `decl` shapes. */
  env?: Record<string, number>;
  label?: string;
}

const DEFAULTS = {
  float64: { step: 2 ** -20, grid: 2 ** -30, rtol: 1e-6, atol: 1e-7 },
  float32: { step: 2 ** -7, grid: 2 ** -12, rtol: 1e-2, atol: 2e-3 },
};

function draw(gen: Gen, rng: () => number, n: number, grid: number): Float64Array {
  const out = new Float64Array(n);
  if (gen === 'distinct') {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    order.forEach((k, i) => (out[i] = (k - n / 2) * 0.05));
    return out;
  }
  for (let i = 0; i < n; i++) {
    let x: number;
    if (gen === 'uniform') x = 2 * rng() - 1;
    else if (gen === 'awayFromZero') x = (rng() < 0.5 ? -1 : 1) * (0.2 + 0.8 * rng());
    else if (gen === 'positive') x = 0.5 + 1.5 * rng();
    else x = gen(rng, i);
    out[i] = Math.round(x / grid) * grid;
  }
  return out;
}

const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

interface Built {
  g: Graph;
  vars: { name: string; spec: VarInput }[];
  rs: string[];
  loss: string;
}

/** The forward graph: the op, then loss = Σ ReduceSum(cast64(y_i) * r_i) over float outputs. */
function buildForward(c: GradCase, declared: boolean): Built {
  const g = new Graph('gradcheck');
  g.layer = 'case';
  const vars: Built['vars'] = [];
  const ins = c.inputs.map((spec, i) => {
    if (!spec) return '';
    if (spec.kind === 'var') {
      const name = g.input(`x${i}`, c.dtype, declared ? spec.decl ?? spec.shape : spec.shape);
      vars.push({ name, spec });
      return name;
    }
    if (spec.dtype === 'int64') return g.constant(BigInt64Array.from(spec.values.map(BigInt)), spec.dims, `k${i}`);
    if (spec.dtype === 'bool') return g.initializer(`k${i}`, 'bool', spec.dims, Uint8Array.from(spec.values));
    return g.constant(c.dtype === 'float64' ? Float64Array.from(spec.values) : Float32Array.from(spec.values), spec.dims, `k${i}`);
  });
  const ys = c.build ? c.build(g, ins) : g.addNode(c.op, ins, c.attrs ?? {}, c.outputs ?? 1);
  const terms: string[] = [];
  const rs: string[] = [];
  ys.forEach((y, i) => {
    const t = g.typeOf(y);
    if (!t) throw new Error(`no inferred type for output ${i} of ${c.op}`);
    if ((t.dtype !== 'float32' && t.dtype !== 'float64') || (c.lossOutputs && !c.lossOutputs.includes(i))) return;
    const r = g.input(`r${i}`, 'float64', t.shape);
    rs.push(r);
    const y64 = t.dtype === 'float64' ? y : g.op('Cast', [y], { to: attr.int(11) });
    terms.push(g.op('ReduceSum', [g.op('Mul', [y64, r])], { keepdims: attr.int(0) }));
  });
  const loss = terms.length === 1 ? terms[0] : g.op('Sum', terms);
  return { g, vars, rs, loss };
}

function tensor(dtype: ElemType, data: Float64Array, dims: number[]): ort.Tensor {
  return dtype === 'float64' ? new ort.Tensor('float64', data, dims) : new ort.Tensor('float32', Float32Array.from(data), dims);
}

const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'disabled',
  logSeverityLevel: 3,
};

function describe(c: GradCase): string {
  const shapes = c.inputs.map((s) => (!s ? '-' : s.kind === 'var' ? `[${(s.decl ?? s.shape).join(',')}]` : `const[${s.dims.join(',')}]=${JSON.stringify(s.values)}`));
  const attrs = Object.entries(c.attrs ?? {}).map(([k, a]) => `${k}=${JSON.stringify(a.v)}`);
  return `${c.op}(${shapes.join(', ')})${attrs.length ? ' {' + attrs.join(', ') + '}' : ''} ${c.dtype} seed=${c.seed ?? 1}`;
}

export function caseName(c: GradCase): string {
  return c.label ? `${c.label}: ${describe(c)}` : describe(c);
}

/** Builds, runs and compares; throws an Error describing the worst mismatch. Resolves to the gradient graph. */
export async function checkGradients(c: GradCase): Promise<Graph> {
  const d = { ...DEFAULTS[c.dtype], ...c.tol };
  const rng = prng(c.seed ?? 1);
  const fwd = buildForward(c, true);
  const shapesStatic = buildForward(c, false);

  // Inputs and the loss weights R.
  const values = fwd.vars.map(({ spec }) => draw(spec.gen, rng, size(spec.shape), d.grid));
  const feeds: Record<string, ort.Tensor> = {};
  fwd.vars.forEach(({ name, spec }, k) => (feeds[name] = tensor(c.dtype, values[k], spec.shape)));
  shapesStatic.rs.forEach((r, k) => {
    const dims = shapesStatic.g.shapeOf(r) as number[];
    feeds[fwd.rs[k]] = new ort.Tensor('float64', draw('uniform', rng, size(dims), 2 ** -20), dims);
  });

  // Analytic gradients, plus every intermediate value to check inferred shapes against ORT.
  const grad = buildForward(c, true);
  const targets = grad.vars.filter((x) => x.spec.diff).map((x) => x.name);
  const found = addBackward(grad.g, grad.loss, targets);
  // Graph outputs must be computed values: give constant gradients (e.g. a seed) an Identity.
  const grads = new Map([...found].map(([w, dw]) => [w, grad.g.typeOf(dw) && !grad.g.nodes.some((n) => n.outputs.includes(dw)) ? grad.g.op('Identity', [dw]) : dw]));
  const declared = new Set([...grad.g.inputs.map((i) => i.name), ...grad.g.initializers.map((i) => i.name)]);
  const inspect = [...grad.g.types.keys()].filter((n) => !declared.has(n));
  for (const n of inspect) grad.g.output(n);
  const gradSession = await ort.InferenceSession.create(serializeModel(grad.g), SESSION_OPTIONS);
  const out = await gradSession.run(feeds);
  const env = c.env ?? {};
  for (const n of inspect) {
    const want = grad.g.shapeOf(n).map((x) => evalDim(x, env));
    const got = out[n].dims;
    if (want.length !== got.length || want.some((x, i) => x !== undefined && x !== got[i])) {
      throw new Error(`${describe(c)}: value '${n}' inferred as [${grad.g.shapeOf(n).join(', ')}] but ORT gives [${got.join(', ')}]`);
    }
  }

  // Central differences of the forward graph.
  fwd.g.output(fwd.loss);
  const session = await ort.InferenceSession.create(serializeModel(fwd.g), SESSION_OPTIONS);
  const lossAt = async (): Promise<number> => Number((await session.run(feeds))[fwd.loss].data[0]);
  let worst: { excess: number; msg: string } | undefined;
  for (let k = 0; k < fwd.vars.length; k++) {
    const { name, spec } = fwd.vars[k];
    if (!spec.diff) continue;
    const analytic = out[grads.get(grad.vars[k].name)!];
    if (analytic.dims.join() !== spec.shape.join()) {
      throw new Error(`${describe(c)}: gradient of input ${name} has shape [${analytic.dims.join(', ')}], expected [${spec.shape.join(', ')}]`);
    }
    const x = values[k];
    for (let j = 0; j < x.length; j++) {
      const keep = x[j];
      x[j] = keep + d.step;
      feeds[name] = tensor(c.dtype, x, spec.shape);
      const up = await lossAt();
      x[j] = keep - d.step;
      feeds[name] = tensor(c.dtype, x, spec.shape);
      const down = await lossAt();
      x[j] = keep;
      const numeric = (up - down) / (2 * d.step);
      const a = Number(analytic.data[j]);
      const excess = Math.abs(a - numeric) - (d.atol + d.rtol * Math.max(Math.abs(a), Math.abs(numeric)));
      if (!(excess <= 0) && (!worst || excess > worst.excess || Number.isNaN(excess))) {
        worst = { excess, msg: `input ${name} element ${j} (value ${keep}): analytic ${a}, finite difference ${numeric}` };
      }
    }
    feeds[name] = tensor(c.dtype, x, spec.shape);
  }
  if (worst) throw new Error(`gradient mismatch for ${describe(c)}: ${worst.msg} (rtol ${d.rtol}, atol ${d.atol})`);
  return grad.g;
}
