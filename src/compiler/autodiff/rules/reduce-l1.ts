// dX = dY·sign(X), dY broadcast over the reduced axes.
import { keptDims } from '../emit';
import type { GradRule } from '../types';

export const reduceL1: GradRule = ({ g, node, dy }) => [g.op('Mul', [g.op('Sign', [node.inputs[0]]), keptDims(g, node, dy[0]!).kept])];
