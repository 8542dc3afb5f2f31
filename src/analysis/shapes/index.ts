// The shape rule of every layer kind, keyed by kind (the spelling in layers.json).
import { multiHeadAttentionRule, transformerEncoderBlockRule } from './attention';
import { conv1dRule, conv2dRule } from './conv';
import { denseRule, timeDistributedDenseRule } from './dense';
import { activationRule, dropoutRule, softmaxRule } from './elementwise';
import { embeddingRule, positionalEmbeddingRule } from './embedding';
import { inputRule } from './input';
import { addRule, concatRule } from './merge';
import { batchNormRule, layerNormRule } from './norm';
import { globalAvgPool1dRule, globalAvgPool2dRule, lastTokenPoolRule, pool2dRule } from './pool';
import { recurrentRule } from './recurrent';
import { flattenRule, reshapeRule } from './reshape';
import type { ShapeRule } from './rule';

export const shapeRules: Readonly<Record<string, ShapeRule>> = {
  Input: inputRule,
  Dense: denseRule,
  Conv1D: conv1dRule,
  Conv2D: conv2dRule,
  MaxPool2D: pool2dRule,
  AvgPool2D: pool2dRule,
  GlobalAvgPool2D: globalAvgPool2dRule,
  GlobalAvgPool1D: globalAvgPool1dRule,
  Flatten: flattenRule,
  Reshape: reshapeRule,
  Dropout: dropoutRule,
  BatchNorm: batchNormRule,
  LayerNorm: layerNormRule,
  Embedding: embeddingRule,
  SimpleRNN: recurrentRule,
  LSTM: recurrentRule,
  GRU: recurrentRule,
  MultiHeadAttention: multiHeadAttentionRule,
  TransformerEncoderBlock: transformerEncoderBlockRule,
  PositionalEmbedding: positionalEmbeddingRule,
  LastTokenPool: lastTokenPoolRule,
  TimeDistributedDense: timeDistributedDenseRule,
  Add: addRule,
  Concat: concatRule,
  ReLU: activationRule,
  LeakyReLU: activationRule,
  GELU: activationRule,
  Sigmoid: activationRule,
  Tanh: activationRule,
  Softmax: softmaxRule,
};

export type { ShapeContext, ShapeFail, ShapeOk, ShapeRule } from './rule';
export { isFail, fmtShape, numel, dtypeBytes } from './rule';
