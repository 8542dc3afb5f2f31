// dX = Σ over the copies: view dY as [r₀, d₀, r₁, d₁, ...] and sum the r axes.
import { isStatic } from '../../../onnx/ops/dims';
import { knownNumbers } from '../../../onnx/ops/values';
import { CompileError, layerSuffix } from '../../errors';
import { ints, reduceSum, shapeOf } from '../emit';
import type { GradRule } from '../types';

export const tile: GradRule = ({ g, node, dy }) => {
  const shape = shapeOf(g, node.inputs[0]);
  const reps = knownNumbers(g, node.inputs[1])!;
  if (reps.every((r) => r === 1)) return [dy[0]];
  const spec: number[] = [];
  const axes: number[] = [];
  let open = 0;
  shape.forEach((d, i) => {
    if (reps[i] !== 1) {
      axes.push(spec.length);
      spec.push(reps[i]);
    }
    if (isStatic(d)) spec.push(d);
    else {
      open++;
      spec.push(-1);
    }
  });
  if (open > 1) throw new CompileError(`Tile${layerSuffix(node.layer)}: gradient needs at most one symbolic dimension`, { layer: node.layer, op: node.op });
  return [reduceSum(g, g.op('Reshape', [dy[0]!, ints(g, spec)]), axes, false)];
};
