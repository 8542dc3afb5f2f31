// What a layer lowering gets to work with and what it gives back. Each lowering appends the
// ONNX nodes for one layer to the shared graph; values carry the batch as a leading symbolic dim.
import type { Graph } from '../../onnx/graph';
import type { LayerInfo } from '../../analysis/types';

export type Mode = 'train' | 'eval';
export type FloatType = 'float32' | 'float64';

export interface LayerResult {
  /** Value name of the layer's output, shape [N, ...layer.output.shape]. */
  output: string;
  /**
   * When the layer ends in softmax or sigmoid: the value just before it. Losses on logits use
   * it so that a model written with a softmax output still gets a numerically stable loss.
   */
  logits?: { value: string; activation: 'softmax' | 'sigmoid' };
}

export interface LowerContext {
  g: Graph;
  layer: LayerInfo;
  mode: Mode;
  /** Element type of float activations and parameters. */
  dtype: FloatType;
  /** Value names of the layer's inputs, in `inputs:` order. */
  inputs: string[];
  /** Value name of one of the layer's parameters, by short name (`weight`, `bias` ...). */
  param(name: string): string;
  /** Records the new value of a non-trainable parameter (running statistics), train mode only. */
  updateParam(name: string, value: string): void;
  /** int64 scalar seed of this step; undefined in eval mode. */
  seed: string | undefined;
  /** Position of the layer in forward order; salts per-layer random streams. */
  index: number;
  /** The graph input of an Input layer. */
  feature(layerId: string): string;
  /** A scalar constant in the activation element type. */
  scalar(v: number): string;
}

/** Lowers one layer kind. */
export type Lowering = (ctx: LowerContext) => LayerResult;
