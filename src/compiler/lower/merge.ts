// Merges: element-wise sum (broadcasting) and concatenation along a per-sample axis.
import { attr } from '../../onnx/graph';
import type { Lowering } from './context';
import { intAttr, outputShape } from './attrs';
import { layerError } from '../fail';

export const mergeLowerings: Record<string, Lowering> = {
  Add: (ctx) => ({ output: ctx.inputs.slice(1).reduce((sum, x) => ctx.g.op('Add', [sum, x]), ctx.inputs[0]) }),
  Concat: (ctx) => {
    const rank = outputShape(ctx.layer).length;
    const axis = intAttr(ctx.layer, 'axis', -1);
    const a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) throw layerError(ctx.layer, `axis ${axis} is out of range for inputs of rank ${rank}`);
    // +1: the per-sample axis counted with the batch in front.
    return { output: ctx.g.op('Concat', ctx.inputs, { axis: attr.int(a + 1) }) };
  },
};
