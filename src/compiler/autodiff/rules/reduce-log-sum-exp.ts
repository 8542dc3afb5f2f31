// dX = dY·exp(X - Y) (the softmax of X over the reduced axes), dY and Y broadcast back.
import { keptDims } from '../emit';
import type { GradRule } from '../types';

export const reduceLogSumExp: GradRule = ({ g, node, dy }) => {
  const x = node.inputs[0];
  const weights = g.op('Exp', [g.op('Sub', [x, keptDims(g, node, node.outputs[0]).kept])]);
  return [g.op('Mul', [weights, keptDims(g, node, dy[0]!).kept])];
};
