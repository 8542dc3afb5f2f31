// dData[idx[j], ...] += dY[j, ...] along the gather axis: ScatterND into zeros with reduction
// add, so repeated indices (a token used twice) accumulate.
import { attr } from '../../../onnx/graph';
import { getInt, normAxis } from '../../../onnx/ops/attrs';
import { allStatic } from '../../../onnx/ops/dims';
import { ints, inversePerm, rankOf, shapeOf, shapeTensor, transpose, typedData, unsqueeze, zerosLike } from '../emit';
import type { GradRule } from '../types';

export const gather: GradRule = ({ g, node, dy, dtype }) => {
  const [data, indices] = node.inputs;
  const r = rankOf(g, data);
  const q = rankOf(g, indices);
  const axis = normAxis(getInt(node, 'axis')!, r);
  // Bring the gathered axis to the front: data view [V, before..., after...], dY view
  // [indices..., before..., after...], which is ScatterND's layout.
  const dataPerm = [axis, ...Array.from({ length: r }, (_, i) => i).filter((i) => i !== axis)];
  const dyPerm = [
    ...Array.from({ length: q }, (_, i) => axis + i),
    ...Array.from({ length: axis }, (_, i) => i),
    ...Array.from({ length: r - axis - 1 }, (_, i) => axis + q + i),
  ];
  const viewShape = dataPerm.map((p) => shapeOf(g, data)[p]);
  const zerosShape = allStatic(viewShape) ? ints(g, viewShape) : g.op('Gather', [shapeTensor(g, data), ints(g, dataPerm)]);
  const zeros = axis === 0 ? zerosLike(g, data) : g.op('ConstantOfShape', [zerosShape], { value: attr.tensor({ name: 'value', dtype, dims: [1], data: typedData(dtype, [0]) }) });
  const ix = unsqueeze(g, indices, [q]);
  const scattered = g.op('ScatterND', [zeros, ix, transpose(g, dy[0]!, dyPerm)], { reduction: attr.string('add') });
  return [transpose(g, scattered, inversePerm(dataPerm))];
};
