// LastTokenPool: [T, D] -> [D], the features at the last time step (Gather with a scalar index
// drops the time axis; its gradient scatters into that step only).
import type { Lowering } from './context';
import { attr } from '../../onnx/graph';

export const sequencePoolLowerings: Record<string, Lowering> = {
  LastTokenPool: (ctx) => {
    const steps = ctx.layer.inputs[0].shape[0];
    return { output: ctx.g.op('Gather', [ctx.inputs[0], ctx.g.ints([steps - 1], true)], { axis: attr.int(1) }) };
  },
};
