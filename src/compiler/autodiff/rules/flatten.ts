// dX = dY reshaped to X's shape.
import { reshapeTo, shapeOf } from '../emit';
import type { GradRule } from '../types';

export const flatten: GradRule = ({ g, node, dy }) => [reshapeTo(g, dy[0]!, shapeOf(g, node.inputs[0]), node.inputs[0])];
