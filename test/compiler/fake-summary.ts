// Hand-built analysis summaries for unit tests of the lowering, independent of the analyser.
import type { LayerInfo, ModelSummary, ParamInfo } from '../../src/analysis/types';
import type { LayerSpec } from '../../src/model/types';

const at = { start: 0, end: 0 };

export interface FakeLayer {
  id: string;
  kind: string;
  attrs?: Record<string, unknown>;
  inputs?: string[];
  /** Output per-sample shape. */
  out: number[];
  dtype?: 'float32' | 'int64';
  params?: { name: string; shape: number[]; trainable?: boolean; init?: ParamInfo['init'] }[];
}

/** A summary with the given layers (inputs' shapes are looked up from earlier layers). */
export function fakeSummary(layers: FakeLayer[], outputs?: string[]): ModelSummary {
  const byId = new Map<string, LayerInfo>();
  const infos = layers.map((l, index) => {
    const spec: LayerSpec = {
      id: l.id,
      idWritten: true,
      idRange: at,
      kind: l.kind,
      kindRange: at,
      inputs: (l.inputs ?? []).map((id) => ({ id, range: at })),
      implicitInputs: false,
      params: {},
      range: at,
      index,
    };
    const info: LayerInfo = {
      spec,
      kind: l.kind,
      attrs: l.attrs ?? {},
      inputs: (l.inputs ?? []).map((id) => byId.get(id)!.output!),
      output: { shape: l.out, dtype: l.dtype ?? 'float32' },
      params: (l.params ?? []).map((p) => ({
        name: p.name,
        shape: p.shape,
        trainable: p.trainable ?? true,
        init: p.init ?? (p.shape.length > 1 ? 'glorot_uniform' : 'zeros'),
        fanIn: p.shape.length > 1 ? p.shape.slice(1).reduce((a, b) => a * b, 1) : p.shape[0],
        fanOut: p.shape[0],
      })),
      paramCount: 0,
      flops: 0,
      activationBytes: 0,
    };
    byId.set(l.id, info);
    return info;
  });
  const consumed = new Set(layers.flatMap((l) => l.inputs ?? []));
  return {
    layers: infos,
    outputs: outputs ?? layers.filter((l) => !consumed.has(l.id)).map((l) => l.id),
    totalParams: 0,
    trainableParams: 0,
    totalFlops: 0,
    totalActivationBytes: 0,
    paramBytes: 0,
  };
}
