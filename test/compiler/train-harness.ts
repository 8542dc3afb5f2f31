// Compiles model text and drives the resulting train-step / eval models, for integration tests.
import { strict as assert } from 'assert';
import { analyzeModel } from '../../src/analysis/analyze';
import { compileModel } from '../../src/compiler/compile';
import { initParams } from '../../src/compiler/init';
import type { CompiledModel, CompileOptions } from '../../src/compiler/types';
import { session, type Feed, type Result } from './run-graph';

export function compileText(text: string, options: CompileOptions = {}): CompiledModel {
  const a = analyzeModel(text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 0, `model does not analyse cleanly: ${errors.map((d) => d.message).join('; ')}`);
  return compileModel(a.summary!, a.model!, options);
}

export type Values = Map<string, number[]>;

export interface Batch {
  /** Features by Input layer id, batched. */
  x: Record<string, Feed>;
  y: Feed;
}

/** Initial params (seeded) and optimizer state of a compiled model. */
export function initialValues(c: CompiledModel, seed: number): { params: Values; state: Values } {
  const init = initParams(c.params, seed);
  const params: Values = new Map([...init].map(([k, v]) => [k, Array.from(v)]));
  const state: Values = new Map(c.state.map((s) => [s.name, new Array(s.shape.reduce((a, b) => a * b, 1)).fill(s.fill)]));
  return { params, state };
}

export interface Trainer {
  /** Runs one step on `batch`; returns every output. Does not change `params`/`state`. */
  run(params: Values, state: Values, batch: Batch, lr: number, step: number, seed: number): Promise<Record<string, Result>>;
  /** Runs one step and replaces params/state with the carried values; returns the outputs. */
  step(params: Values, state: Values, batch: Batch, lr: number, step: number, seed: number): Promise<Record<string, Result>>;
}

export async function trainer(c: CompiledModel): Promise<Trainer> {
  const run = await session(c.train);
  const io = c.trainIO;
  const dtype = c.source.options.precision ?? 'float32';
  const shapes = new Map<string, number[]>([...c.params.map((p) => [p.name, p.shape] as const), ...c.state.map((s) => [s.name, s.shape] as const)]);
  const feeds = (params: Values, state: Values, batch: Batch, lr: number, step: number, seed: number) => {
    const f: Record<string, Feed> = { ...batch.x, [io.labels.name]: batch.y };
    for (const [k, v] of [...params, ...state]) f[k] = { dtype, dims: shapes.get(k)!, data: v };
    f[io.lr] = { dtype, dims: [], data: [lr] };
    f[io.step] = { dtype: 'int64', dims: [], data: [step] };
    f[io.seed] = { dtype: 'int64', dims: [], data: [seed] };
    return f;
  };
  const t: Trainer = {
    run: (params, state, batch, lr, step, seed) => run(feeds(params, state, batch, lr, step, seed)),
    step: async (params, state, batch, lr, step, seed) => {
      const out = await t.run(params, state, batch, lr, step, seed);
      for (const carry of io.carries) (params.has(carry.input) ? params : state).set(carry.input, out[carry.output].data);
      return out;
    },
  };
  return t;
}

export async function evaluator(c: CompiledModel): Promise<(params: Values, batch: Batch) => Promise<Record<string, Result>>> {
  const run = await session(c.eval);
  const dtype = c.source.options.precision ?? 'float32';
  return (params, batch) => {
    const f: Record<string, Feed> = { ...batch.x, [c.evalIO.labels.name]: batch.y };
    for (const p of c.params) f[p.name] = { dtype, dims: p.shape, data: params.get(p.name)! };
    return run(f);
  };
}

export interface GradientProbe {
  /** Every output of the SGD step the gradients were read from. */
  outputs: Record<string, Result>;
  /** The train step's gradient of a param, read off an SGD step with lr 1: g = w − w_new. */
  gradient(name: string): number[];
  /** The loss with one element of one param moved by `delta` (for central differences). */
  lossAt(name: string, index: number, delta: number): Promise<number>;
}

/** What whole-model gradient checks compare: the graph's gradients and the loss around a point. */
export async function gradientProbe(t: Trainer, c: CompiledModel, params: Values, state: Values, batch: Batch, seed = 99): Promise<GradientProbe> {
  const out = await t.run(params, state, batch, 1, 1, seed);
  const after = new Map(c.trainIO.carries.map((k) => [k.input, out[k.output].data]));
  return {
    outputs: out,
    gradient: (name) => params.get(name)!.map((v, i) => v - after.get(name)![i]),
    lossAt: async (name, index, delta) => {
      const moved: Values = new Map(params);
      const v = params.get(name)!.slice();
      v[index] += delta;
      moved.set(name, v);
      return (await t.run(moved, state, batch, 1, 1, seed))[c.trainIO.loss].data[0];
    },
  };
}
