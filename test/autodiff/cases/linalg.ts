// Gradient cases for MatMul and Gemm: 2-D, batched with broadcasting, 1-D operands, weights
// shared across a batch (the Gemm fast path), transposes and scaling.
import { attr } from '../../../src/onnx/graph';
import { v, type GradCase } from '../harness';

export const linalgCases: GradCase[] = [
  { op: 'MatMul', inputs: [v([2, 3]), v([3, 4])], dtype: 'float64' },
  { op: 'MatMul', inputs: [v([3, 2, 3], { decl: ['N', 2, 3] }), v([3, 4])], dtype: 'float64', env: { N: 3 }, label: 'batch x weight' },
  { op: 'MatMul', inputs: [v([2, 2, 3]), v([2, 3, 2])], dtype: 'float64' },
  { op: 'MatMul', inputs: [v([2, 1, 2, 3]), v([3, 3, 2])], dtype: 'float64', label: 'broadcast batch' },
  { op: 'MatMul', inputs: [v([3]), v([3, 2])], dtype: 'float64', label: '1-D left' },
  { op: 'MatMul', inputs: [v([2, 3, 4]), v([4])], dtype: 'float64', label: '1-D right' },
  { op: 'MatMul', inputs: [v([3]), v([2, 3, 2])], dtype: 'float64', label: '1-D left, batched right' },
  { op: 'MatMul', inputs: [v([4]), v([4])], dtype: 'float64', label: 'dot' },
  { op: 'MatMul', inputs: [v([2, 3]), v([2, 3, 2])], dtype: 'float64', label: 'matrix x batch' },
  { op: 'MatMul', inputs: [v([3, 2], { decl: ['N', 2] }), v([2, 4], { diff: false })], dtype: 'float32', env: { N: 3 } },
  { op: 'Gemm', inputs: [v([2, 3]), v([3, 4]), v([4])], dtype: 'float64' },
  { op: 'Gemm', inputs: [v([3, 2]), v([3, 4]), v([2, 1])], attrs: { transA: attr.int(1), alpha: attr.float(0.5), beta: attr.float(2) }, dtype: 'float64' },
  { op: 'Gemm', inputs: [v([2, 3]), v([4, 3]), v([1, 4])], attrs: { transB: attr.int(1) }, dtype: 'float64' },
  { op: 'Gemm', inputs: [v([3, 2]), v([4, 3])], attrs: { transA: attr.int(1), transB: attr.int(1), alpha: attr.float(-1.5) }, dtype: 'float64' },
  { op: 'Gemm', inputs: [v([4, 3], { decl: ['N', 3] }), v([3, 2]), v([2])], dtype: 'float32', env: { N: 4 } },
];
