// ONNX element-type codes for Cast's `to` attribute.
import type { ElemType } from '../../onnx/graph';

const CODES: Record<ElemType, number> = { float32: 1, uint8: 2, int32: 6, int64: 7, bool: 9, float64: 11 };

export function onnxType(t: ElemType): number {
  return CODES[t];
}
