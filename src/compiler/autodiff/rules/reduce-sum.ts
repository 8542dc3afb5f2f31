// dX = dY broadcast back over the reduced axes.
import { expandTo, keptDims } from '../emit';
import type { GradRule } from '../types';

export const reduceSum: GradRule = ({ g, node, dy }) => [expandTo(g, keptDims(g, node, dy[0]!).kept, node.inputs[0])];
