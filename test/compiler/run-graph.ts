// Runs a Graph on onnxruntime-node (CPU) and returns plain arrays, for the compiler tests.
import * as ort from 'onnxruntime-node';
import type { Graph } from '../../src/onnx/graph';
import { serializeModel } from '../../src/onnx/graph';

export type Feed = { dtype: 'float32' | 'float64' | 'int64'; dims: number[]; data: ArrayLike<number> };

export function f32(dims: number[], data: ArrayLike<number>): Feed {
  return { dtype: 'float32', dims, data };
}
export function f64(dims: number[], data: ArrayLike<number>): Feed {
  return { dtype: 'float64', dims, data };
}
export function i64(dims: number[], data: ArrayLike<number>): Feed {
  return { dtype: 'int64', dims, data };
}

function tensor(f: Feed): ort.Tensor {
  if (f.dtype === 'int64') return new ort.Tensor('int64', BigInt64Array.from(Array.from(f.data, (v) => BigInt(v))), f.dims);
  if (f.dtype === 'float64') return new ort.Tensor('float64', Float64Array.from(f.data), f.dims);
  return new ort.Tensor('float32', Float32Array.from(f.data), f.dims);
}

export interface Result {
  data: number[];
  dims: number[];
}

/** A session over serialised model bytes, with feeds as plain arrays. */
export async function session(bytes: Uint8Array): Promise<(feeds: Record<string, Feed>) => Promise<Record<string, Result>>> {
  const s = await ort.InferenceSession.create(bytes);
  return async (feeds) => {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) inputs[k] = tensor(v);
    const out = await s.run(inputs);
    const res: Record<string, Result> = {};
    for (const [k, t] of Object.entries(out)) {
      res[k] = { data: Array.from(t.data as ArrayLike<number | bigint | boolean>, (v) => Number(v)), dims: [...t.dims] };
    }
    return res;
  };
}

export async function runGraph(g: Graph, feeds: Record<string, Feed>): Promise<Record<string, Result>> {
  return (await session(serializeModel(g)))(feeds);
}
