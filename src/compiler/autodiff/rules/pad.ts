// Constant-mode Pad: dX = dY with the padding cut off again, i.e. Pad(dY, -pads).
import { getString } from '../../../onnx/ops/attrs';
import { knownNumbers } from '../../../onnx/ops/values';
import { CompileError, layerSuffix } from '../../errors';
import { ints } from '../emit';
import type { GradRule } from '../types';

export const pad: GradRule = ({ g, node, dy }) => {
  const mode = getString(node, 'mode')!;
  const pads = knownNumbers(g, node.inputs[1]);
  if (mode !== 'constant' || !pads || node.inputs[3]) {
    throw new CompileError(`no gradient rule for ONNX op 'Pad' with mode '${mode}'${pads ? '' : ' and non-constant pads'}${layerSuffix(node.layer)}`, { layer: node.layer, op: node.op });
  }
  return [g.op('Pad', [dy[0]!, ints(g, pads.map((p) => -p))])];
};
