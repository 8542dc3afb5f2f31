// Gradient rule per ONNX op. An op missing here cannot lie on a gradient path (the backward
// driver reports it as a CompileError naming the op and its layer).
import { abs } from './rules/abs';
import { add } from './rules/add';
import { averagePool } from './rules/average-pool';
import { cast } from './rules/cast';
import { castLike } from './rules/cast-like';
import { clip } from './rules/clip';
import { concat } from './rules/concat';
import { conv } from './rules/conv';
import { cos } from './rules/cos';
import { cumSum } from './rules/cum-sum';
import { div } from './rules/div';
import { dropout } from './rules/dropout';
import { erf } from './rules/erf';
import { exp } from './rules/exp';
import { expand } from './rules/expand';
import { flatten } from './rules/flatten';
import { gather } from './rules/gather';
import { gatherElements } from './rules/gather-elements';
import { gemm } from './rules/gemm';
import { globalAveragePool } from './rules/global-average-pool';
import { globalMaxPool } from './rules/global-max-pool';
import { identity } from './rules/identity';
import { leakyRelu } from './rules/leaky-relu';
import { log } from './rules/log';
import { logSoftmax } from './rules/log-softmax';
import { matmul } from './rules/matmul';
import { max } from './rules/max';
import { maxPool } from './rules/max-pool';
import { mean } from './rules/mean';
import { min } from './rules/min';
import { mul } from './rules/mul';
import { neg } from './rules/neg';
import { pad } from './rules/pad';
import { pow } from './rules/pow';
import { prelu } from './rules/prelu';
import { reciprocal } from './rules/reciprocal';
import { reduceL1 } from './rules/reduce-l1';
import { reduceL2 } from './rules/reduce-l2';
import { reduceLogSumExp } from './rules/reduce-log-sum-exp';
import { reduceMax } from './rules/reduce-max';
import { reduceMean } from './rules/reduce-mean';
import { reduceMin } from './rules/reduce-min';
import { reduceSum } from './rules/reduce-sum';
import { reduceSumSquare } from './rules/reduce-sum-square';
import { relu } from './rules/relu';
import { reshape } from './rules/reshape';
import { sigmoid } from './rules/sigmoid';
import { sin } from './rules/sin';
import { slice } from './rules/slice';
import { softmax } from './rules/softmax';
import { softplus } from './rules/softplus';
import { split } from './rules/split';
import { sqrt } from './rules/sqrt';
import { squeeze } from './rules/squeeze';
import { sub } from './rules/sub';
import { sum } from './rules/sum';
import { tanh } from './rules/tanh';
import { tile } from './rules/tile';
import { transpose } from './rules/transpose';
import { trilu } from './rules/trilu';
import { unsqueeze } from './rules/unsqueeze';
import { where } from './rules/where';
import type { GradRule } from './types';

const rules: Record<string, GradRule> = {
  Abs: abs,
  Add: add,
  AveragePool: averagePool,
  Cast: cast,
  CastLike: castLike,
  Clip: clip,
  Concat: concat,
  Conv: conv,
  Cos: cos,
  CumSum: cumSum,
  Div: div,
  Dropout: dropout,
  Erf: erf,
  Exp: exp,
  Expand: expand,
  Flatten: flatten,
  Gather: gather,
  GatherElements: gatherElements,
  Gemm: gemm,
  GlobalAveragePool: globalAveragePool,
  GlobalMaxPool: globalMaxPool,
  Identity: identity,
  LeakyRelu: leakyRelu,
  Log: log,
  LogSoftmax: logSoftmax,
  MatMul: matmul,
  Max: max,
  MaxPool: maxPool,
  Mean: mean,
  Min: min,
  Mul: mul,
  Neg: neg,
  PRelu: prelu,
  Pad: pad,
  Pow: pow,
  Reciprocal: reciprocal,
  ReduceL1: reduceL1,
  ReduceL2: reduceL2,
  ReduceLogSumExp: reduceLogSumExp,
  ReduceMax: reduceMax,
  ReduceMean: reduceMean,
  ReduceMin: reduceMin,
  ReduceSum: reduceSum,
  ReduceSumSquare: reduceSumSquare,
  Relu: relu,
  Reshape: reshape,
  Sigmoid: sigmoid,
  Sin: sin,
  Slice: slice,
  Softmax: softmax,
  Softplus: softplus,
  Split: split,
  Sqrt: sqrt,
  Squeeze: squeeze,
  Sub: sub,
  Sum: sum,
  Tanh: tanh,
  Tile: tile,
  Transpose: transpose,
  Trilu: trilu,
  Unsqueeze: unsqueeze,
  Where: where,
};

export function gradRule(op: string): GradRule | undefined {
  return Object.prototype.hasOwnProperty.call(rules, op) ? rules[op] : undefined;
}

export function opsWithGradients(): string[] {
  return Object.keys(rules).sort();
}
