// Gradient cases for Conv and the pools (float32: onnxruntime's CPU Conv, ConvTranspose and
// AveragePool have no double kernels; MaxPool does).
import { attr } from '../../../src/onnx/graph';
import { v, type GradCase } from '../harness';

const { int, ints, string } = attr;

export const convCases: GradCase[] = [
  { op: 'Conv', inputs: [v([2, 3, 5, 5]), v([4, 3, 3, 3]), v([4])], dtype: 'float32' },
  { op: 'Conv', inputs: [v([1, 2, 6, 5]), v([3, 2, 3, 2])], attrs: { strides: ints([2, 2]), pads: ints([1, 0, 1, 1]) }, dtype: 'float32', label: 'stride, asymmetric pads' },
  { op: 'Conv', inputs: [v([1, 2, 5, 5]), v([2, 2, 2, 2])], attrs: { strides: ints([2, 2]) }, dtype: 'float32', label: 'input not covered by the last window' },
  { op: 'Conv', inputs: [v([1, 2, 7, 6]), v([2, 2, 3, 2]), v([2])], attrs: { dilations: ints([2, 3]), pads: ints([1, 1, 2, 1]) }, dtype: 'float32', label: 'dilation' },
  { op: 'Conv', inputs: [v([2, 4, 5, 5]), v([6, 2, 3, 3]), v([6])], attrs: { group: int(2), strides: ints([2, 1]), pads: ints([1, 1, 1, 1]) }, dtype: 'float32', label: 'groups' },
  { op: 'Conv', inputs: [v([1, 4, 5, 4]), v([6, 2, 3, 2]), v([6])], attrs: { group: int(2), dilations: ints([1, 2]), pads: ints([0, 1, 2, 1]) }, dtype: 'float32', label: 'groups, stride 1' },
  { op: 'Conv', inputs: [v([1, 2, 3, 3]), v([3, 2, 1, 1])], attrs: { pads: ints([1, 0, 1, 1]) }, dtype: 'float32', label: 'padding wider than the kernel' },
  { op: 'Conv', inputs: [v([1, 3, 4, 4]), v([3, 1, 3, 3])], attrs: { group: int(3), auto_pad: string('SAME_UPPER') }, dtype: 'float32', label: 'depthwise, SAME_UPPER' },
  { op: 'Conv', inputs: [v([2, 2, 5, 5]), v([2, 2, 2, 2])], attrs: { strides: ints([2, 2]), auto_pad: string('SAME_LOWER') }, dtype: 'float32', label: 'SAME_LOWER stride 2' },
  { op: 'Conv', inputs: [v([2, 3, 9]), v([4, 3, 3]), v([4])], attrs: { strides: ints([2]), dilations: ints([2]), pads: ints([2, 1]) }, dtype: 'float32', label: '1-D' },
  { op: 'Conv', inputs: [v([3, 2, 4, 4], { decl: ['N', 2, 4, 4] }), v([2, 2, 3, 3], { diff: false }), v([2])], attrs: { pads: ints([1, 1, 1, 1]) }, dtype: 'float32', env: { N: 3 }, label: 'symbolic batch' },
  // One input channel: dW is split over two row bands of dY (rowBands in the rule).
  { op: 'Conv', inputs: [v([2, 1, 6, 6]), v([3, 1, 3, 3]), v([3])], attrs: { pads: ints([1, 1, 1, 1]) }, dtype: 'float32', label: 'one input channel' },
  { op: 'Conv', inputs: [v([1, 1, 11, 7]), v([2, 1, 3, 2])], attrs: { strides: ints([2, 1]), dilations: ints([1, 2]), pads: ints([1, 0, 2, 1]) }, dtype: 'float32', label: 'one input channel, stride, dilation, asymmetric pads' },
  { op: 'Conv', inputs: [v([1, 1, 9, 9]), v([2, 1, 2, 2])], attrs: { strides: ints([2, 2]) }, dtype: 'float32', label: 'one input channel, input not covered by the last window' },
  { op: 'Conv', inputs: [v([2, 1, 10]), v([2, 1, 3]), v([2])], attrs: { pads: ints([1, 1]) }, dtype: 'float32', label: 'one input channel, 1-D' },
  { op: 'Conv', inputs: [v([3, 1, 6, 6], { decl: ['N', 1, 6, 6] }), v([2, 1, 3, 3]), v([2])], attrs: { pads: ints([1, 1, 1, 1]) }, dtype: 'float32', env: { N: 3 }, label: 'one input channel, symbolic odd batch' },
  { op: 'MaxPool', inputs: [v([2, 2, 4, 4], { gen: 'distinct' })], attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]) }, dtype: 'float64' },
  { op: 'MaxPool', inputs: [v([1, 2, 5, 5], { gen: 'distinct' })], attrs: { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) }, dtype: 'float64', label: 'overlapping windows' },
  { op: 'MaxPool', inputs: [v([1, 1, 6, 6], { gen: 'distinct' })], attrs: { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 0, 0]), ceil_mode: int(1) }, dtype: 'float64', label: 'ceil mode' },
  { op: 'MaxPool', inputs: [v([2, 2, 7], { gen: 'distinct' })], attrs: { kernel_shape: ints([3]), strides: ints([2]) }, dtype: 'float64', label: '1-D' },
  // Float windows that tile the input take the mask path, other disjoint ones MaxUnpool (float64
  // the scatter); some leave rows and columns in no window.
  { op: 'MaxPool', inputs: [v([2, 2, 5, 7], { gen: 'distinct' })], attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]) }, dtype: 'float32', label: 'disjoint, remainder' },
  { op: 'MaxPool', inputs: [v([1, 2, 8, 8], { gen: 'distinct' })], attrs: { kernel_shape: ints([2, 2]), strides: ints([3, 3]) }, dtype: 'float32', label: 'stride past the kernel' },
  { op: 'MaxPool', inputs: [v([2, 2, 7], { gen: 'distinct' })], attrs: { kernel_shape: ints([2]), strides: ints([2]) }, dtype: 'float32', label: '1-D disjoint' },
  { op: 'MaxPool', inputs: [v([2, 3, 6, 7], { gen: 'distinct' })], attrs: { kernel_shape: ints([3, 2]), strides: ints([3, 2]) }, dtype: 'float32', label: 'tiled, unequal window' },
  { op: 'MaxPool', inputs: [v([1, 2, 4, 4, 4], { gen: 'distinct' })], attrs: { kernel_shape: ints([2, 2, 2]), strides: ints([2, 2, 2]) }, dtype: 'float32', label: '3-D tiled' },
  { op: 'MaxPool', inputs: [v([2, 3, 4, 4], { gen: 'distinct', decl: ['N', 3, 4, 4] })], attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]) }, dtype: 'float32', env: { N: 2 }, label: 'symbolic batch' },
  { op: 'AveragePool', inputs: [v([2, 2, 4, 4])], attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]) }, dtype: 'float32' },
  { op: 'AveragePool', inputs: [v([1, 2, 5, 5])], attrs: { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) }, dtype: 'float32', label: 'overlap, pads excluded' },
  { op: 'AveragePool', inputs: [v([1, 2, 5, 5])], attrs: { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]), count_include_pad: int(1) }, dtype: 'float32', label: 'pads included' },
  { op: 'AveragePool', inputs: [v([1, 1, 6, 6])], attrs: { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 0, 0]), ceil_mode: int(1) }, dtype: 'float32', label: 'ceil mode' },
  { op: 'AveragePool', inputs: [v([1, 1, 6, 6])], attrs: { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 0, 0]), ceil_mode: int(1), count_include_pad: int(1) }, dtype: 'float32', label: 'ceil mode, pads included' },
  { op: 'AveragePool', inputs: [v([1, 1, 5, 5])], attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]), ceil_mode: int(1), count_include_pad: int(1) }, dtype: 'float32', label: 'ceil mode window past the edge, pads included' },
  { op: 'AveragePool', inputs: [v([1, 1, 5, 5])], attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]), ceil_mode: int(1) }, dtype: 'float32', label: 'ceil mode window past the edge' },
  { op: 'AveragePool', inputs: [v([2, 2, 7])], attrs: { kernel_shape: ints([2]), strides: ints([2]) }, dtype: 'float32', label: '1-D, leftover input' },
  { op: 'GlobalAveragePool', inputs: [v([2, 3, 3, 2], { decl: ['N', 3, 3, 2] })], dtype: 'float32', env: { N: 2 } },
  { op: 'GlobalAveragePool', inputs: [v([2, 3, 5])], dtype: 'float32', label: '1-D' },
  { op: 'GlobalMaxPool', inputs: [v([2, 3, 3, 2], { gen: 'distinct' })], dtype: 'float32' },
  { op: 'GlobalMaxPool', inputs: [v([2, 2, 6], { gen: 'distinct' })], dtype: 'float32', label: '1-D' },
];
