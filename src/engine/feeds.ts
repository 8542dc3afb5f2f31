// Turns samples of a data set into the feature and label tensors a compiled graph takes, after
// checking once that the data fits the model's Input layer and loss.
import type { Tensor } from 'onnxruntime-node';
import type { FeatureInput, LabelInput } from '../compiler/types';
import type { Dataset } from './data/types';
import { shapeSize } from './data/types';
import { EngineError } from './errors';
import { ort } from './ort';

export type FeedMap = Record<string, Tensor>;

export interface Batch {
  feeds: FeedMap;
  samples: number;
}

/** How samples map onto the graph inputs; built by `planFeeds`, which has checked compatibility. */
export interface FeedPlan {
  feature: FeatureInput;
  label: LabelInput;
  featureSize: number;
  labelSize: number;
  /** Class indices become: int64 indices, float values (one logit), or one-hot rows. */
  labelMode: 'indices' | 'float-index' | 'one-hot' | 'float';
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * Checks that `data` fits the graph's inputs. Errors name the Input layer and say what to change;
 * `layerLine` gives the 1-based line of a layer for messages.
 */
export function planFeeds(features: FeatureInput[], label: LabelInput, data: Pick<Dataset, 'name' | 'x' | 'sampleShape' | 'y' | 'labelShape' | 'numClasses'>, layerLine: (id: string) => number | undefined, output?: { id: string; classes: number }): FeedPlan {
  if (features.length !== 1) {
    throw new EngineError('data_failed', `the model has ${features.length} Input layers (${features.map((f) => f.layer).join(', ')}) but data sources give one feature tensor per sample; use a single Input layer`);
  }
  const feature = features[0];
  const featureSize = shapeSize(feature.shape);
  const where = { layer: feature.layer, line: layerLine(feature.layer) };
  if (shapeSize(data.sampleShape) !== featureSize) {
    throw new EngineError(
      'data_failed',
      `Input '${feature.layer}' has shape ${fmt(feature.shape)} (${featureSize} values) but data '${data.name}' gives samples of shape ${fmt(data.sampleShape)} (${shapeSize(data.sampleShape)} values); set shape: ${fmt(data.sampleShape)}`,
      where,
    );
  }
  const intData = data.x instanceof BigInt64Array;
  if (intData !== (feature.dtype === 'int64')) {
    throw new EngineError(
      'data_failed',
      intData
        ? `data '${data.name}' gives token ids (int64) but Input '${feature.layer}' takes ${feature.dtype}; set dtype: int64 and feed it into an Embedding`
        : `Input '${feature.layer}' takes int64 token ids but data '${data.name}' gives real-valued features; remove dtype: int64`,
      where,
    );
  }
  const labelSize = shapeSize(label.shape);
  const classIndices = data.y instanceof Int32Array;
  let labelMode: FeedPlan['labelMode'];
  if (label.dtype === 'int64') {
    if (!classIndices) throw new EngineError('data_failed', `the loss takes class labels but data '${data.name}' gives real-valued targets of shape ${fmt(data.labelShape)}; use loss: mse (or huber) for regression`);
    if (shapeSize(data.labelShape) !== labelSize) throw new EngineError('data_failed', `the loss expects ${labelSize} class label(s) per sample (shape ${fmt(label.shape)}) but data '${data.name}' gives ${shapeSize(data.labelShape)}`);
    labelMode = 'indices';
  } else if (classIndices) {
    if (shapeSize(data.labelShape) === 1 && labelSize === 1) labelMode = 'float-index';
    else if (shapeSize(data.labelShape) === 1 && label.shape.length === 1 && data.numClasses !== undefined && label.shape[0] === data.numClasses) labelMode = 'one-hot';
    else throw new EngineError('data_failed', `the loss expects targets of shape ${fmt(label.shape)} per sample but data '${data.name}' gives class labels${data.numClasses ? ` (${data.numClasses} classes)` : ''}; for classification use loss: cross_entropy with a final layer of one unit per class`);
  } else {
    if (shapeSize(data.labelShape) !== labelSize) throw new EngineError('data_failed', `the loss expects targets of shape ${fmt(label.shape)} per sample but data '${data.name}' gives ${fmt(data.labelShape)}; make the output layer produce ${fmt(data.labelShape)}`);
    labelMode = 'float';
  }
  if (labelMode === 'indices' && output && data.numClasses !== undefined && data.numClasses > output.classes) {
    throw new EngineError('data_failed', `output layer '${output.id}' gives ${output.classes} class scores but data '${data.name}' has ${data.numClasses} classes; set units: ${data.numClasses}`, { layer: output.id, line: layerLine(output.id) });
  }
  return { feature, label, featureSize, labelSize, labelMode };
}

/** Tensors for the samples `indices[start, end)` of `data`. */
export function makeBatch(plan: FeedPlan, data: Pick<Dataset, 'x' | 'y'>, indices: ArrayLike<number>, start: number, end: number): Batch {
  const n = end - start;
  const fs = plan.featureSize;
  let x: Float32Array | Float64Array | BigInt64Array;
  if (data.x instanceof BigInt64Array) {
    const out = new BigInt64Array(n * fs);
    for (let i = 0; i < n; i++) {
      const s = indices[start + i];
      out.set(data.x.subarray(s * fs, (s + 1) * fs), i * fs);
    }
    x = out;
  } else {
    const out = plan.feature.dtype === 'float64' ? new Float64Array(n * fs) : new Float32Array(n * fs);
    for (let i = 0; i < n; i++) {
      const s = indices[start + i];
      out.set(data.x.subarray(s * fs, (s + 1) * fs), i * fs);
    }
    x = out;
  }
  const feeds: FeedMap = {
    [plan.feature.name]: new ort.Tensor(plan.feature.dtype, x, [n, ...plan.feature.shape]),
    [plan.label.name]: labelTensor(plan, data.y, indices, start, n),
  };
  return { feeds, samples: n };
}

/**
 * Every sample of `data` as the graph's feature and label tensors, [count, ...]: for runs that
 * draw their batches by row (the Loop model). The features are the data's own array where the
 * element types match (no copy); labels are converted once, as `makeBatch` converts a batch's.
 */
export function sampleTensors(plan: FeedPlan, data: Pick<Dataset, 'x' | 'y' | 'count'>): FeedMap {
  const n = data.count;
  const fs = plan.featureSize;
  const x = data.x instanceof BigInt64Array || plan.feature.dtype !== 'float64' ? data.x.subarray(0, n * fs) : Float64Array.from(data.x.subarray(0, n * fs));
  return {
    [plan.feature.name]: new ort.Tensor(plan.feature.dtype, x, [n, ...plan.feature.shape]),
    [plan.label.name]: labelTensor(plan, data.y, identityOrder(n), 0, n),
  };
}

function labelTensor(plan: FeedPlan, y: Int32Array | Float32Array, indices: ArrayLike<number>, start: number, n: number): Tensor {
  const { label, labelSize } = plan;
  const dims = [n, ...label.shape];
  const floatArray = (len: number) => (label.dtype === 'float64' ? new Float64Array(len) : new Float32Array(len));
  switch (plan.labelMode) {
    case 'indices': {
      const out = new BigInt64Array(n * labelSize);
      for (let i = 0; i < n; i++) {
        const s = indices[start + i];
        for (let j = 0; j < labelSize; j++) out[i * labelSize + j] = BigInt(y[s * labelSize + j]);
      }
      return new ort.Tensor('int64', out, dims);
    }
    case 'float-index': {
      const out = floatArray(n);
      for (let i = 0; i < n; i++) out[i] = y[indices[start + i]];
      return new ort.Tensor(label.dtype, out, dims);
    }
    case 'one-hot': {
      const out = floatArray(n * labelSize);
      for (let i = 0; i < n; i++) out[i * labelSize + y[indices[start + i]]] = 1;
      return new ort.Tensor(label.dtype, out, dims);
    }
    case 'float': {
      const out = floatArray(n * labelSize);
      for (let i = 0; i < n; i++) {
        const s = indices[start + i];
        out.set(y.subarray(s * labelSize, (s + 1) * labelSize), i * labelSize);
      }
      return new ort.Tensor(label.dtype, out, dims);
    }
  }
}

/** 0, 1, ..., n-1. */
export function identityOrder(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
