// How a layer's tensor type reads in hovers, outline labels and completion details: the same
// notation as the CLI summary table (`[32, 8, 8]`, with ` int64` for token ids).
import { fmtShape } from '../analysis/shapes';
import type { TensorType } from '../analysis/types';

export function formatShape(t: TensorType): string {
  return fmtShape(t.shape) + (t.dtype === 'int64' ? ' int64' : '');
}
