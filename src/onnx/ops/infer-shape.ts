// Type inference for shape-manipulating ops. Shape-valued inputs (Reshape's target, Slice's
// starts ...) are read from constants or from tracked Shape computations (values.ts); these
// inferers also track the results of int64 shape arithmetic (Shape, Concat, Gather, Slice ...)
// so that a Reshape to Shape(x) still has a static type.
import type { Dim, Graph, Node, TensorData, TypeInferer } from '../graph';
import { getInt, getInts, normAxis } from './attrs';
import { addDim, divDim, formatShape, isStatic, mulDim, productDims, subDim } from './dims';
import { broadcastShapes, inType, shapeError } from './infer-util';
import { fromTensor, knownDims, knownNumbers, knownValue, setKnownValue } from './values';

/** A Slice end at or beyond this means "to the end" (ONNX uses INT64_MAX, people use INT32_MAX). */
const TO_END = 2 ** 31 - 1;

export interface AxisSlice {
  axis: number;
  /** Normalised, clamped first index and exclusive end (for negative steps, end may be -1). */
  start: number;
  end: number;
  step: number;
  /** Number of elements taken. */
  length: number;
}

/** ONNX Slice semantics on one static extent: clamps start/end and counts the elements. */
function sliceOne(axis: number, d: number, start: number, end: number, step: number): AxisSlice {
  let s = start < 0 ? start + d : start;
  let e = end < 0 ? end + d : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), d);
    e = Math.min(Math.max(e, 0), d);
    return { axis, start: s, end: e, step, length: Math.max(0, Math.ceil((e - s) / step)) };
  }
  s = Math.min(Math.max(s, 0), d - 1);
  e = Math.min(Math.max(e, -1), d - 1);
  return { axis, start: s, end: e, step, length: Math.max(0, Math.ceil((s - e) / -step)) };
}

interface SliceParams {
  starts: number[];
  ends: number[];
  axes: number[];
  steps: number[];
}

function sliceParams(node: Node, g: Graph, rank: number): SliceParams | undefined {
  const starts = knownNumbers(g, node.inputs[1]);
  const ends = knownNumbers(g, node.inputs[2]);
  if (!starts || !ends) return undefined;
  const axes = node.inputs[3] ? knownNumbers(g, node.inputs[3]) : starts.map((_, i) => i);
  const steps = node.inputs[4] ? knownNumbers(g, node.inputs[4]) : starts.map(() => 1);
  if (!axes || !steps || steps.includes(0)) return undefined;
  return { starts, ends, axes: axes.map((a) => normAxis(a, rank)), steps };
}

/** Normalised per-axis parameters of a Slice whose sliced extents are static, else undefined. */
export function sliceAxes(node: Node, g: Graph, shape: Dim[]): AxisSlice[] | undefined {
  const p = sliceParams(node, g, shape.length);
  if (!p) return undefined;
  const out: AxisSlice[] = [];
  for (let i = 0; i < p.axes.length; i++) {
    const d = shape[p.axes[i]];
    if (!isStatic(d)) return undefined;
    out.push(sliceOne(p.axes[i], d, p.starts[i], p.ends[i], p.steps[i]));
  }
  return out;
}

/** Slice length along a symbolic extent for the usual cases (x[a:], x[-a:], x[a:-b]). */
function symbolicSliceLength(d: Dim, start: number, end: number, step: number): Dim | undefined {
  if (step !== 1) return undefined;
  const toEnd = end >= TO_END;
  if (start >= 0 && toEnd) return subDim(d, start);
  if (start < 0 && toEnd) return -start;
  if (start >= 0 && end < 0) return subDim(d, start - end);
  return undefined;
}

function sliceShape(node: Node, g: Graph, shape: Dim[]): Dim[] | undefined {
  const p = sliceParams(node, g, shape.length);
  if (!p) return undefined;
  const out = [...shape];
  for (let i = 0; i < p.axes.length; i++) {
    const d = shape[p.axes[i]];
    const len = isStatic(d) ? sliceOne(p.axes[i], d, p.starts[i], p.ends[i], p.steps[i]).length : symbolicSliceLength(d, p.starts[i], p.ends[i], p.steps[i]);
    if (len === undefined) return undefined;
    out[p.axes[i]] = len;
  }
  return out;
}

/** Element indices a 1-D slice picks, for tracking sliced shape values. */
function sliceIndices(s: AxisSlice): number[] {
  const idx: number[] = [];
  for (let i = 0, p = s.start; i < s.length; i++, p += s.step) idx.push(p);
  return idx;
}

function constantTensor(node: Node): TensorData | undefined {
  const a = node.attrs;
  const name = node.outputs[0];
  if (a.value?.t === 'tensor') return { ...a.value.v, name };
  if (a.value_float?.t === 'float') return { name, dtype: 'float32', dims: [], data: Float32Array.of(a.value_float.v) };
  if (a.value_floats?.t === 'floats') return { name, dtype: 'float32', dims: [a.value_floats.v.length], data: Float32Array.from(a.value_floats.v) };
  if (a.value_int?.t === 'int') return { name, dtype: 'int64', dims: [], data: BigInt64Array.of(BigInt(a.value_int.v)) };
  if (a.value_ints?.t === 'ints') return { name, dtype: 'int64', dims: [a.value_ints.v.length], data: BigInt64Array.from(a.value_ints.v.map(BigInt)) };
  return undefined;
}

export const shapeInferers: Record<string, TypeInferer> = {
  Reshape: (node, g) => {
    const t = inType(node, g, 0);
    const target = knownDims(g, node.inputs[1]);
    if (!t || !target) return [];
    const out = target.map((d, i) => (d === 0 && !getInt(node, 'allowzero', 0) ? t.shape[i] : d));
    const hole = out.indexOf(-1);
    if (hole >= 0) {
      const rest = productDims(out.filter((_, i) => i !== hole));
      const d = divDim(productDims(t.shape), rest);
      if (d === undefined) throw shapeError(node, `cannot reshape ${formatShape(t.shape)} to ${formatShape(target)}`);
      out[hole] = d;
    } else if (allKnownProductsDiffer(t.shape, out)) {
      throw shapeError(node, `cannot reshape ${formatShape(t.shape)} (${productDims(t.shape)} elements) to ${formatShape(out)}`);
    }
    const kv = knownValue(g, node.inputs[0]);
    if (kv) setKnownValue(g, node.outputs[0], { dims: out.filter(isStatic), values: kv.values });
    return [{ dtype: t.dtype, shape: out }];
  },

  Flatten: (node, g) => {
    const t = inType(node, g, 0);
    if (!t) return [];
    const axis = normAxis(getInt(node, 'axis')!, t.shape.length);
    return [{ dtype: t.dtype, shape: [productDims(t.shape.slice(0, axis)), productDims(t.shape.slice(axis))] }];
  },

  Transpose: (node, g) => {
    const t = inType(node, g, 0);
    if (!t) return [];
    const perm = getInts(node, 'perm') ?? t.shape.map((_, i) => t.shape.length - 1 - i);
    if (perm.length !== t.shape.length) throw shapeError(node, `perm ${JSON.stringify(perm)} does not fit rank ${t.shape.length}`);
    return [{ dtype: t.dtype, shape: perm.map((p) => t.shape[p]) }];
  },

  Squeeze: (node, g) => {
    const t = inType(node, g, 0);
    if (!t) return [];
    let axes: number[] | undefined;
    if (node.inputs[1]) {
      axes = knownNumbers(g, node.inputs[1])?.map((a) => normAxis(a, t.shape.length));
      if (!axes) return [];
    } else axes = t.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    for (const a of axes) {
      if (isStatic(t.shape[a]) && t.shape[a] !== 1) throw shapeError(node, `cannot squeeze axis ${a} of ${formatShape(t.shape)}`);
    }
    const out = t.shape.filter((_, i) => !axes!.includes(i));
    const kv = knownValue(g, node.inputs[0]);
    if (kv) setKnownValue(g, node.outputs[0], { dims: out.filter(isStatic), values: kv.values });
    return [{ dtype: t.dtype, shape: out }];
  },

  Unsqueeze: (node, g) => {
    const t = inType(node, g, 0);
    const axesIn = knownNumbers(g, node.inputs[1]);
    if (!t || !axesIn) return [];
    const rank = t.shape.length + axesIn.length;
    const axes = axesIn.map((a) => normAxis(a, rank));
    const out: Dim[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : t.shape[k++]);
    const kv = knownValue(g, node.inputs[0]);
    if (kv) setKnownValue(g, node.outputs[0], { dims: out.filter(isStatic), values: kv.values });
    return [{ dtype: t.dtype, shape: out }];
  },

  Concat: (node, g) => {
    const ts = node.inputs.map((_, i) => inType(node, g, i));
    if (ts.some((t) => !t)) return [];
    const rank = ts[0]!.shape.length;
    const axis = normAxis(getInt(node, 'axis', 0)!, rank);
    const out = [...ts[0]!.shape];
    out[axis] = ts.map((t) => t!.shape[axis]).reduce((a, b) => addDim(a, b), 0);
    for (const t of ts) {
      if (t!.shape.length !== rank) throw shapeError(node, `inputs differ in rank: ${ts.map((x) => formatShape(x!.shape)).join(', ')}`);
      t!.shape.forEach((d, i) => {
        if (i !== axis && isStatic(d) && isStatic(out[i]) && d !== out[i]) {
          throw shapeError(node, `inputs differ outside axis ${axis}: ${ts.map((x) => formatShape(x!.shape)).join(', ')}`);
        }
      });
    }
    const kvs = node.inputs.map((n) => knownValue(g, n));
    if (rank === 1 && kvs.every((v) => v)) {
      const values = kvs.flatMap((v) => v!.values);
      setKnownValue(g, node.outputs[0], { dims: [values.length], values });
    }
    return [{ dtype: ts[0]!.dtype, shape: out }];
  },

  Split: (node, g) => {
    const t = inType(node, g, 0);
    if (!t) return [];
    const axis = normAxis(getInt(node, 'axis')!, t.shape.length);
    const n = node.outputs.length;
    let sizes: Dim[] | undefined = node.inputs[1] ? knownDims(g, node.inputs[1]) : undefined;
    if (!sizes) {
      if (node.inputs[1]) return [];
      const each = divDim(t.shape[axis], n);
      if (each === undefined) throw shapeError(node, `cannot split extent ${t.shape[axis]} into ${n} equal parts`);
      sizes = new Array<Dim>(n).fill(each);
    }
    return sizes.map((s) => {
      const shape = [...t.shape];
      shape[axis] = s;
      return { dtype: t.dtype, shape };
    });
  },

  Slice: (node, g) => {
    const t = inType(node, g, 0);
    if (!t) return [];
    const out = sliceShape(node, g, t.shape);
    if (!out) return [];
    const kv = knownValue(g, node.inputs[0]);
    if (kv && t.shape.length === 1) {
      const s = sliceAxes(node, g, [kv.values.length]);
      if (s) {
        const values = sliceIndices(s[0]).map((i) => kv.values[i]);
        setKnownValue(g, node.outputs[0], { dims: [values.length], values });
      }
    }
    return [{ dtype: t.dtype, shape: out }];
  },

  Gather: (node, g) => {
    const t = inType(node, g, 0);
    const ix = inType(node, g, 1);
    if (!t || !ix) return [];
    const axis = normAxis(getInt(node, 'axis')!, t.shape.length);
    const kv = knownValue(g, node.inputs[0]);
    const idx = knownNumbers(g, node.inputs[1]);
    if (kv && idx && t.shape.length === 1) {
      const n = kv.values.length;
      setKnownValue(g, node.outputs[0], { dims: ix.shape.filter(isStatic), values: idx.map((i) => kv.values[i < 0 ? i + n : i]) });
    }
    return [{ dtype: t.dtype, shape: [...t.shape.slice(0, axis), ...ix.shape, ...t.shape.slice(axis + 1)] }];
  },

  GatherElements: (node, g) => {
    const t = inType(node, g, 0);
    const ix = inType(node, g, 1);
    return [t && ix && { dtype: t.dtype, shape: ix.shape }];
  },

  Expand: (node, g) => {
    const t = inType(node, g, 0);
    const target = knownDims(g, node.inputs[1]);
    if (!t || !target) return [];
    return [{ dtype: t.dtype, shape: broadcastShapes(node, [t.shape, target]) }];
  },

  // Only with its output_shape input (how the MaxPool gradient uses it): the shape is that value.
  MaxUnpool: (node, g) => {
    const t = inType(node, g, 0);
    const target = node.inputs[2] ? knownDims(g, node.inputs[2]) : undefined;
    if (!t || !target) return [];
    return [{ dtype: t.dtype, shape: target }];
  },

  Tile: (node, g) => {
    const t = inType(node, g, 0);
    const reps = knownNumbers(g, node.inputs[1]);
    if (!t || !reps) return [];
    if (reps.length !== t.shape.length) throw shapeError(node, `repeats ${JSON.stringify(reps)} do not fit rank ${t.shape.length}`);
    return [{ dtype: t.dtype, shape: t.shape.map((d, i) => mulDim(d, reps[i])) }];
  },

  Pad: (node, g) => {
    const t = inType(node, g, 0);
    const pads = knownNumbers(g, node.inputs[1]);
    if (!t || !pads) return [];
    const r = t.shape.length;
    return [{ dtype: t.dtype, shape: t.shape.map((d, i) => addDim(d, pads[i] + pads[i + r])) }];
  },

  Shape: (node, g) => {
    const t = inType(node, g, 0);
    if (!t) return [];
    const r = t.shape.length;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
    const values = t.shape.slice(clamp(getInt(node, 'start', 0)!), clamp(getInt(node, 'end', r)!));
    setKnownValue(g, node.outputs[0], { dims: [values.length], values });
    return [{ dtype: 'int64', shape: [values.length] }];
  },

  Size: (node, g) => {
    const t = inType(node, g, 0);
    if (!t) return [];
    setKnownValue(g, node.outputs[0], { dims: [], values: [productDims(t.shape)] });
    return [{ dtype: 'int64', shape: [] }];
  },

  ConstantOfShape: (node, g) => {
    const shape = knownDims(g, node.inputs[0]);
    const v = node.attrs.value;
    const dtype = v?.t === 'tensor' ? v.v.dtype : 'float32';
    if (shape && shape.every(isStatic) && v?.t === 'tensor' && productDims(shape) as number <= 64) {
      const fill = fromTensor(v.v).values[0];
      setKnownValue(g, node.outputs[0], { dims: shape as number[], values: new Array<Dim>(productDims(shape) as number).fill(fill) });
    }
    return [shape && { dtype, shape }];
  },

  Constant: (node, g) => {
    const t = constantTensor(node);
    if (!t) return [];
    if (t.data.length <= 1 << 16) setKnownValue(g, node.outputs[0], fromTensor(t));
    return [{ dtype: t.dtype, shape: t.dims }];
  },

  Range: (node, g) => {
    const t = inType(node, g, 0);
    if (!t) return [];
    const [start, limit, delta] = [0, 1, 2].map((i) => knownDims(g, node.inputs[i])?.[0]);
    let n: Dim = `(range:${node.outputs[0]})`;
    if (isStatic(start!) && isStatic(limit!) && isStatic(delta!) && delta !== 0) n = Math.max(0, Math.ceil((limit - start) / delta));
    // Range(0, Size(x), 1) and the like: as many elements as the (symbolic) limit.
    else if (start === 0 && delta === 1 && limit !== undefined) n = limit;
    return [{ dtype: t.dtype, shape: [n] }];
  },

  OneHot: (node, g) => {
    const ix = inType(node, g, 0);
    const depth = knownNumbers(g, node.inputs[1])?.[0];
    const values = inType(node, g, 2);
    if (!ix || depth === undefined || !values) return [];
    const out = [...ix.shape];
    out.splice(normAxis(getInt(node, 'axis')!, ix.shape.length + 1), 0, depth);
    return [{ dtype: values.dtype, shape: out }];
  },
};

/** True when both shapes are fully static and hold different element counts. */
function allKnownProductsDiffer(a: Dim[], b: Dim[]): boolean {
  const pa = productDims(a);
  const pb = productDims(b);
  return isStatic(pa) && isStatic(pb) && pa !== pb;
}

