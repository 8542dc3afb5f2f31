// Add (element-wise, with NumPy broadcasting) and Concat (along one axis).
import { fmtShape, numel } from './rule';
import type { ShapeContext, ShapeFail, ShapeRule } from './rule';
import type { TensorType } from '../types';

function listShapes(inputs: TensorType[], ctx: ShapeContext): string {
  return inputs.map((t, i) => `\`${ctx.sources[i]}\` gives ${fmtShape(t.shape)}`).join(', ');
}

function sameDtype(inputs: TensorType[], ctx: ShapeContext): ShapeFail | undefined {
  const odd = inputs.findIndex((t) => t.dtype !== inputs[0].dtype);
  if (odd < 0) return undefined;
  return {
    error: `${ctx.kind} inputs must share a dtype but \`${ctx.sources[0]}\` is ${inputs[0].dtype} and \`${ctx.sources[odd]}\` is ${inputs[odd].dtype}; embed the token ids first.`,
    code: 'dtype-mismatch',
    input: odd,
  };
}

/** Right-aligned broadcast of two shapes, or undefined when a pair of sizes clashes. */
function broadcast(a: number[], b: number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(Math.max(x, y));
  }
  return out;
}

export const addRule: ShapeRule = (_attrs, inputs, ctx) => {
  const bad = sameDtype(inputs, ctx);
  if (bad) return bad;
  let shape = inputs[0].shape;
  for (let i = 1; i < inputs.length; i++) {
    const next = broadcast(shape, inputs[i].shape);
    if (!next) {
      return {
        error: `Add needs equal (or broadcastable) shapes but ${listShapes(inputs, ctx)}; make the branches end in the same shape, e.g. with a Dense layer on the narrower one.`,
        input: i,
      };
    }
    shape = next;
  }
  return {
    output: { shape: [...shape], dtype: inputs[0].dtype },
    params: [],
    flops: (inputs.length - 1) * numel(shape),
  };
};

export const concatRule: ShapeRule = (attrs, inputs, ctx) => {
  const bad = sameDtype(inputs, ctx);
  if (bad) return bad;
  const rank = inputs[0].shape.length;
  const odd = inputs.findIndex((t) => t.shape.length !== rank);
  if (odd >= 0) {
    return {
      error: `Concat needs inputs with the same number of axes but ${listShapes(inputs, ctx)}; Flatten or Reshape them to the same rank first.`,
      input: odd,
    };
  }
  const written = attrs.axis as number;
  if (written < -rank || written >= rank) {
    return {
      error: `Concat axis ${written} is outside the ${rank} axes of its inputs; use an axis from ${-rank} to ${rank - 1}.`,
      code: 'invalid-param',
      param: 'axis',
    };
  }
  const axis = written < 0 ? written + rank : written;
  const shape = [...inputs[0].shape];
  for (let i = 1; i < inputs.length; i++) {
    const s = inputs[i].shape;
    if (s.some((d, k) => k !== axis && d !== shape[k])) {
      return {
        error: `Concat along axis ${written} needs every other axis to match but ${listShapes(inputs, ctx)}; make those sizes equal.`,
        input: i,
      };
    }
    shape[axis] += s[axis];
  }
  return { output: { shape, dtype: inputs[0].dtype }, params: [], flops: 0, resolved: { axis } };
};
