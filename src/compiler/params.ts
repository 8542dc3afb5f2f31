// The model's parameter tensors and the optimizer's state tensors, named as the graphs name them.
import type { LayerInfo, ModelSummary } from '../analysis/types';
import type { OptimizerConfig, ParamTensor, StateTensor } from './types';
import { optimizers } from './optimizers';

const RELU_LAYERS = new Set(['ReLU', 'LeakyReLU']);

/**
 * True when a linear layer's output goes only into a ReLU-family layer (directly or through a
 * BatchNorm), so its weights should get He initialisation like `activation: relu` does.
 */
function feedsRelu(layer: LayerInfo, consumers: Map<string, LayerInfo[]>): boolean {
  const next = consumers.get(layer.spec.id) ?? [];
  if (next.length === 0) return false;
  return next.every((n) => RELU_LAYERS.has(n.kind) || (n.kind === 'BatchNorm' && feedsRelu(n, consumers)));
}

export function paramTensors(summary: ModelSummary): ParamTensor[] {
  const consumers = new Map<string, LayerInfo[]>();
  for (const l of summary.layers) {
    for (const r of l.spec.inputs) consumers.set(r.id, [...(consumers.get(r.id) ?? []), l]);
  }
  const out: ParamTensor[] = [];
  for (const layer of summary.layers) {
    const linear = (layer.attrs.activation ?? 'linear') === 'linear';
    for (const p of layer.params) {
      const init = p.init === 'glorot_uniform' && p.name === 'weight' && linear && feedsRelu(layer, consumers) ? 'he_normal' : p.init;
      out.push({
        name: `${layer.spec.id}.${p.name}`,
        layer: layer.spec.id,
        param: p.name,
        shape: p.shape,
        trainable: p.trainable,
        init,
        fanIn: p.fanIn,
        fanOut: p.fanOut,
      });
    }
  }
  return out;
}

export function stateTensors(params: ParamTensor[], cfg: OptimizerConfig): StateTensor[] {
  const slots = optimizers[cfg.type].slots(cfg);
  return params
    .filter((p) => p.trainable)
    .flatMap((p) => slots.map((s) => ({ name: `opt.${p.name}.${s.slot}`, param: p.name, slot: s.slot, shape: p.shape, fill: s.fill })));
}

/** Weight decay applies to weights and kernels (rank >= 2), not to biases or norm parameters. */
export function decays(p: ParamTensor): boolean {
  return p.shape.length >= 2;
}
