// Embedding (Gather rows of the [vocab, dim] table by token id; the Gather gradient scatters
// back into the used rows) and PositionalEmbedding (adds a per-position code to [T, D]).
import type { Lowering } from './context';
import type { FloatType } from './context';
import { outputShape, stringAttr } from './attrs';
import { attr } from '../../onnx/graph';
import { layerError } from '../fail';

/** The fixed sine/cosine code of Vaswani et al.: even columns sin, odd columns cos. */
export function sinusoidalTable(steps: number, width: number, dtype: FloatType): Float32Array | Float64Array {
  const table = dtype === 'float64' ? new Float64Array(steps * width) : new Float32Array(steps * width);
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < width; j++) {
      const freq = Math.pow(10000, -(2 * Math.floor(j / 2)) / width);
      table[t * width + j] = j % 2 === 0 ? Math.sin(t * freq) : Math.cos(t * freq);
    }
  }
  return table;
}

export const embeddingLowerings: Record<string, Lowering> = {
  Embedding: (ctx) => ({ output: ctx.g.op('Gather', [ctx.param('weight'), ctx.inputs[0]], { axis: attr.int(0) }) }),

  PositionalEmbedding: (ctx) => {
    const { g, layer } = ctx;
    const [steps, width] = outputShape(layer);
    const mode = stringAttr(layer, 'mode', 'learned');
    let code: string;
    if (mode === 'sinusoidal') {
      code = g.constant(sinusoidalTable(steps, width, ctx.dtype), [steps, width], 'positions');
    } else if (mode === 'learned') {
      // Rows 0..T-1 of the [max_length, D] table; rows past T get no gradient.
      code = g.op('Slice', [ctx.param('position_table'), g.ints([0]), g.ints([steps]), g.ints([0])]);
    } else {
      throw layerError(layer, `mode '${mode}' is not one of learned, sinusoidal`);
    }
    return { output: g.op('Add', [ctx.inputs[0], code]) };
  },
};
