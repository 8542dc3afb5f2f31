// Helpers shared by the type inferers: input type lookup, broadcasting, shape errors.
import { CompileError, layerSuffix } from '../../compiler/errors';
import type { Dim, ElemType, Graph, Node, ValueInfo } from '../graph';
import { formatShape, isStatic, sameDim } from './dims';

export type OutType = Omit<ValueInfo, 'name'>;

/** Type of input `i`, or undefined when it is absent ('') or untyped. */
export function inType(node: Node, g: Graph, i: number): OutType | undefined {
  const name = node.inputs[i];
  return name ? g.typeOf(name) : undefined;
}

/** A shape error found while building the graph: names the op and the layer it came from. */
export function shapeError(node: Node, message: string): CompileError {
  return new CompileError(`${node.op}${layerSuffix(node.layer)}: ${message}`, { layer: node.layer, op: node.op });
}

/** Numpy-style broadcast of several shapes; a static extent > 1 wins over a symbol. */
export function broadcastShapes(node: Node, shapes: Dim[][]): Dim[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let k = 1; k <= rank; k++) {
    let dim: Dim = 1;
    for (const s of shapes) {
      const d = s.length >= k ? s[s.length - k] : 1;
      if (d === 1 || sameDim(d, dim)) continue;
      if (dim === 1) dim = d;
      else if (isStatic(d) && isStatic(dim)) {
        throw shapeError(node, `cannot broadcast shapes ${shapes.map(formatShape).join(' and ')}`);
      } else if (isStatic(d)) dim = d;
    }
    out.unshift(dim);
  }
  return out;
}

/** ONNX TensorProto.DataType codes for the element types the graph builder knows. */
const FROM_ONNX: Record<number, ElemType> = { 1: 'float32', 2: 'uint8', 6: 'int32', 7: 'int64', 9: 'bool', 11: 'float64' };
export const TO_ONNX: Record<ElemType, number> = { float32: 1, uint8: 2, int32: 6, int64: 7, bool: 9, float64: 11 };

export function elemFromOnnx(node: Node, code: number): ElemType {
  const t = FROM_ONNX[code];
  if (!t) throw shapeError(node, `unsupported element type code ${code}`);
  return t;
}

export function isFloat(dtype: ElemType | undefined): boolean {
  return dtype === 'float32' || dtype === 'float64';
}
