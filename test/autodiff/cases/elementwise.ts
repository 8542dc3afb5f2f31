// Gradient cases for elementwise ops, including broadcasting between inputs of different
// shapes and ranks, and inputs kept away from kinks.
import { attr, type Dim } from '../../../src/onnx/graph';
import { bools, floats, none, scalarInt, v, type Gen, type GradCase } from '../harness';

const binaryShapes: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[4, 3], [3]],
  [[2, 1, 4], [3, 1]],
  [[1], [2, 3]],
];

function binary(op: string, gen: 'uniform' | 'positive' = 'uniform', genB = gen): GradCase[] {
  return binaryShapes.map(([a, b], i) => ({ op, inputs: [v(a, { gen }), v(b, { gen: genB })], dtype: 'float64', seed: i + 1 }));
}

/** Uniform in [-1, 1) but at least 0.1 away from the clip bounds ±0.5. */
const awayFromBounds = (rng: () => number) => {
  const x = 2 * rng() - 1;
  return Math.abs(Math.abs(x) - 0.5) < 0.1 ? x + 0.2 * Math.sign(x) : x;
};

/** Unary ops, each checked on several shapes (one with a symbolic batch). */
const unary: [string, Gen, 'float64' | 'float32'][] = [
  ['Identity', 'uniform', 'float64'],
  ['Neg', 'uniform', 'float64'],
  ['Abs', 'awayFromZero', 'float64'],
  ['Sqrt', 'positive', 'float64'],
  ['Reciprocal', 'positive', 'float64'],
  ['Exp', 'uniform', 'float64'],
  ['Log', 'positive', 'float64'],
  ['Relu', 'awayFromZero', 'float64'],
  ['LeakyRelu', 'awayFromZero', 'float64'],
  ['Sigmoid', 'uniform', 'float64'],
  ['Tanh', 'uniform', 'float64'],
  ['Erf', 'uniform', 'float32'],
  ['Softplus', 'uniform', 'float32'],
  ['Sin', 'uniform', 'float64'],
  ['Cos', 'uniform', 'float64'],
];
const unaryShapes: { shape: number[]; decl?: Dim[] }[] = [{ shape: [5] }, { shape: [3, 4] }, { shape: [2, 1, 3] }, { shape: [3, 2], decl: ['N', 2] }];

export const elementwiseCases: GradCase[] = [
  ...unary.flatMap(([op, gen, dtype]) => unaryShapes.map(({ shape, decl }, i): GradCase => ({ op, inputs: [v(shape, { gen, decl })], dtype, seed: i + 1, env: { N: 3 } }))),
  { op: 'Relu', inputs: [v([2, 5], { gen: 'awayFromZero', decl: ['N', 5] })], dtype: 'float32', env: { N: 2 } },
  ...binary('Add'),
  { op: 'Add', inputs: [v([3, 3], { decl: ['N', 3] }), v([3])], dtype: 'float64', env: { N: 3 }, label: 'symbolic batch + bias' },
  ...binary('Sub'),
  ...binary('Mul'),
  { op: 'Mul', inputs: [v([2, 3]), v([2, 3], { diff: false })], dtype: 'float64', label: 'one constant side' },
  ...binary('Div', 'uniform', 'positive'),
  { op: 'Softmax', inputs: [v([3, 4])], dtype: 'float64' },
  { op: 'Softmax', inputs: [v([3, 2, 4], { decl: ['N', 2, 4] })], attrs: { axis: attr.int(-1) }, dtype: 'float32', env: { N: 3 } },
  { op: 'Softmax', inputs: [v([2, 3, 4])], attrs: { axis: attr.int(1) }, dtype: 'float64' },
  { op: 'LogSoftmax', inputs: [v([3, 4])], dtype: 'float64' },
  { op: 'LogSoftmax', inputs: [v([5, 3], { decl: ['N', 3] })], attrs: { axis: attr.int(1) }, dtype: 'float32', env: { N: 5 } },
  { op: 'LogSoftmax', inputs: [v([2, 3, 2])], attrs: { axis: attr.int(0) }, dtype: 'float64' },
  { op: 'LeakyRelu', inputs: [v([3, 4], { gen: 'awayFromZero' })], attrs: { alpha: attr.float(0.2) }, dtype: 'float64' },
  { op: 'Clip', inputs: [v([3, 4], { gen: awayFromBounds }), floats([-0.5], []), floats([0.5], [])], dtype: 'float64' },
  { op: 'Clip', inputs: [v([3, 4], { gen: awayFromBounds }), none, floats([0.5], [])], dtype: 'float64', label: 'max only' },
  { op: 'Trilu', inputs: [v([2, 3, 3])], dtype: 'float64' },
  { op: 'Trilu', inputs: [v([3, 4]), scalarInt(1)], attrs: { upper: attr.int(0) }, dtype: 'float64' },
  { op: 'CumSum', inputs: [v([3, 4]), scalarInt(1)], dtype: 'float64' },
  { op: 'CumSum', inputs: [v([3, 4]), scalarInt(0)], attrs: { exclusive: attr.int(1), reverse: attr.int(1) }, dtype: 'float64' },
  { op: 'Dropout', inputs: [v([3, 4])], dtype: 'float32', label: 'inference mode' },
  { op: 'Pow', inputs: [v([3, 4], { gen: 'positive' }), floats([2], [])], dtype: 'float64' },
  { op: 'Pow', inputs: [v([3, 4], { gen: 'positive' }), floats([3], [])], dtype: 'float64' },
  { op: 'Pow', inputs: [v([3, 4], { gen: 'positive' }), floats([-0.5], [])], dtype: 'float64' },
  { op: 'Pow', inputs: [v([3, 4], { gen: 'positive' }), v([4])], dtype: 'float64', label: 'variable exponent' },
  { op: 'PRelu', inputs: [v([2, 3, 2], { gen: 'awayFromZero' }), v([3, 1])], dtype: 'float64' },
  { op: 'PRelu', inputs: [v([4, 3], { gen: 'awayFromZero', decl: ['N', 3] }), v([3])], dtype: 'float64', env: { N: 4 } },
  { op: 'Max', inputs: [v([3, 4]), v([4])], dtype: 'float64' },
  { op: 'Max', inputs: [v([2, 3]), v([2, 3]), v([3])], dtype: 'float64', seed: 2 },
  { op: 'Min', inputs: [v([3, 4]), v([3, 1])], dtype: 'float64' },
  { op: 'Min', inputs: [v([2, 3]), v([1, 3], { diff: false }), v([2, 1])], dtype: 'float64' },
  { op: 'Sum', inputs: [v([2, 3]), v([3]), v([2, 1])], dtype: 'float64' },
  { op: 'Sum', inputs: [v([4])], dtype: 'float64', label: 'single input' },
  { op: 'Mean', inputs: [v([2, 3]), v([3])], dtype: 'float32' },
  { op: 'Mean', inputs: [v([2, 1, 2]), v([3, 1]), v([2])], dtype: 'float32' },
  { op: 'Where', inputs: [bools([1, 0, 1, 0, 0, 1], [2, 3]), v([2, 3]), v([3])], dtype: 'float64' },
  { op: 'Where', inputs: [bools([1, 0, 0], [3]), v([2, 1]), v([2, 3])], dtype: 'float64' },
  { op: 'Cast', inputs: [v([2, 3])], attrs: { to: attr.int(11) }, dtype: 'float32', label: 'float32 to float64' },
  { op: 'Cast', inputs: [v([2, 3])], attrs: { to: attr.int(1) }, dtype: 'float64', label: 'float64 to float32' },
  { op: 'Cast', inputs: [v([2, 3])], attrs: { to: attr.int(11) }, dtype: 'float64', label: 'same type' },
  { op: 'CastLike', inputs: [v([2, 3]), floats([0], [1])], dtype: 'float64' },
  { op: 'CastLike', inputs: [v([4, 2], { decl: ['N', 2] }), v([1], { diff: false })], dtype: 'float32', env: { N: 4 } },
];
