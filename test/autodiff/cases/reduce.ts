// Gradient cases for reductions: axes as input (ReduceSum) or attribute (others), keepdims on
// and off, all axes, negative axes, and a symbolic batch.
import { attr } from '../../../src/onnx/graph';
import { ints, v, type GradCase } from '../harness';

export const reduceCases: GradCase[] = [
  { op: 'ReduceSum', inputs: [v([2, 3, 4]), ints([1])], dtype: 'float64' },
  { op: 'ReduceSum', inputs: [v([2, 3, 4]), ints([0, -1])], attrs: { keepdims: attr.int(0) }, dtype: 'float64' },
  { op: 'ReduceSum', inputs: [v([2, 3])], attrs: { keepdims: attr.int(0) }, dtype: 'float64', label: 'all axes' },
  { op: 'ReduceSum', inputs: [v([3, 4], { decl: ['N', 4] }), ints([0])], attrs: { keepdims: attr.int(0) }, dtype: 'float64', env: { N: 3 } },
  { op: 'ReduceMean', inputs: [v([2, 3, 4])], attrs: { axes: attr.ints([1]) }, dtype: 'float64' },
  { op: 'ReduceMean', inputs: [v([2, 3, 4])], attrs: { axes: attr.ints([0, 2]), keepdims: attr.int(0) }, dtype: 'float64' },
  { op: 'ReduceMean', inputs: [v([3, 4], { decl: ['N', 4] })], attrs: { axes: attr.ints([0]) }, dtype: 'float64', env: { N: 3 }, label: 'symbolic count' },
  { op: 'ReduceMax', inputs: [v([3, 4], { gen: 'distinct' })], attrs: { axes: attr.ints([1]) }, dtype: 'float64' },
  { op: 'ReduceMax', inputs: [v([2, 3, 2], { gen: 'distinct' })], attrs: { axes: attr.ints([0, 2]), keepdims: attr.int(0) }, dtype: 'float64' },
  { op: 'ReduceMin', inputs: [v([3, 4], { gen: 'distinct' })], attrs: { axes: attr.ints([-1]) }, dtype: 'float64' },
  { op: 'ReduceMin', inputs: [v([2, 3, 2], { gen: 'distinct' })], attrs: { axes: attr.ints([0, 1]), keepdims: attr.int(0) }, dtype: 'float64' },
  { op: 'ReduceMax', inputs: [v([2, 3], { gen: 'distinct' })], attrs: { keepdims: attr.int(0) }, dtype: 'float64', label: 'all axes' },
  { op: 'ReduceL1', inputs: [v([3, 4], { gen: 'awayFromZero' })], attrs: { axes: attr.ints([1]) }, dtype: 'float64' },
  { op: 'ReduceL1', inputs: [v([2, 3, 2], { gen: 'awayFromZero' })], attrs: { keepdims: attr.int(0) }, dtype: 'float64' },
  { op: 'ReduceL2', inputs: [v([3, 4])], attrs: { axes: attr.ints([1]), keepdims: attr.int(0) }, dtype: 'float64' },
  { op: 'ReduceL2', inputs: [v([2, 3, 2])], dtype: 'float64' },
  { op: 'ReduceSumSquare', inputs: [v([3, 4])], attrs: { axes: attr.ints([0]) }, dtype: 'float64' },
  { op: 'ReduceSumSquare', inputs: [v([2, 3, 2])], attrs: { axes: attr.ints([1, 2]), keepdims: attr.int(0) }, dtype: 'float64' },
  { op: 'ReduceLogSumExp', inputs: [v([3, 4])], attrs: { axes: attr.ints([1]), keepdims: attr.int(0) }, dtype: 'float64' },
  { op: 'ReduceLogSumExp', inputs: [v([2, 3, 2])], attrs: { axes: attr.ints([0, 2]) }, dtype: 'float64' },
];
