// The model's tensor values as the engine holds them (params and optimizer state by name):
// fresh ones, ones from a checkpoint (checked against the model), and the checkpoint entries.
import type { CompiledModel } from '../compiler/types';
import { EngineError } from './errors';

export type Values = Map<string, Float32Array>;

export interface ModelValues {
  params: Values;
  state: Values;
}

/** Initial optimizer state: every element at its slot's fill value. */
export function initialState(compiled: CompiledModel): Values {
  const out: Values = new Map();
  for (const s of compiled.state) out.set(s.name, new Float32Array(s.shape.reduce((a, b) => a * b, 1)).fill(s.fill));
  return out;
}

/** Params and state from a checkpoint, checked against the compiled model's tensors. */
export function valuesFromCheckpoint(compiled: CompiledModel, tensors: Map<string, Float32Array>, file: string, withState = true): ModelValues {
  const take = (name: string, shape: number[], what: string): Float32Array => {
    const t = tensors.get(name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (!t) throw new EngineError('checkpoint_mismatch', `${file} has no ${what} '${name}'; it was saved from a different model (or optimizer). Train from scratch, or pick a checkpoint of this model.`, { file });
    if (t.length !== size) throw new EngineError('checkpoint_mismatch', `${file}: ${what} '${name}' has ${t.length} values but the model now needs [${shape.join(', ')}] = ${size}; the layer changed since the checkpoint was saved.`, { file });
    return t;
  };
  const params: Values = new Map(compiled.params.map((p) => [p.name, take(p.name, p.shape, 'parameter')]));
  const state: Values = withState ? new Map(compiled.state.map((s) => [s.name, take(s.name, s.shape, 'optimizer state')])) : new Map();
  return { params, state };
}

export function checkpointTensors(compiled: CompiledModel, values: ModelValues) {
  return [
    ...compiled.params.map((p) => ({ name: p.name, group: 'param' as const, shape: p.shape, data: values.params.get(p.name)! })),
    ...compiled.state.map((s) => ({ name: s.name, group: 'state' as const, shape: s.shape, data: values.state.get(s.name)! })),
  ];
}
