// What the graph editor shows of a model: the analyser's per-layer summary (kinds, written
// parameters, output shapes, parameter counts, problems) turned into plain data the webview can
// draw. Pure: no VS Code API, so it is unit-tested and used by the render benchmark as well.
import { getLayerMeta } from '../../analysis/layers';
import type { AnalysisResult, LayerInfo } from '../../analysis/types';
import { formatShape } from '../../language/shapeText';
import { LineIndex, type Diagnostic, type LayerSpec } from '../../model/types';
import type { GraphDiagnostic, GraphEdge, GraphLayer, GraphModel } from '../../webview-protocol/graph';

const severityRank: Record<GraphDiagnostic['severity'], number> = { error: 0, warning: 1, info: 2, hint: 3 };
/** Parameters shown as their bare value on a card (their meaning is obvious from the value). */
const bareValueParams = new Set(['activation', 'padding', 'mode', 'dtype']);
const summaryLimit = 4;

export function buildGraphModel(text: string, analysis: AnalysisResult, fileName: string, version: number): GraphModel {
  const empty: GraphModel = { version, fileName, layers: [], edges: [], modelDiagnostics: [], totalParams: 0 };
  const model = analysis.model;
  if (!model) {
    const first = analysis.diagnostics.find((d) => d.severity === 'error');
    const emptyText = text.trim().length === 0;
    return {
      ...empty,
      modelDiagnostics: analysis.diagnostics.map(toGraphDiagnostic),
      // An empty file is a fine start, not a problem: the graph invites the first layer instead.
      unreadable: emptyText ? undefined : (first?.message ?? 'The file is not a YAML mapping with a `layers:` list.'),
    };
  }
  const lines = new LineIndex(text);
  const infoById = new Map<string, LayerInfo>();
  for (const info of analysis.summary?.layers ?? []) infoById.set(info.spec.id, info);
  const outputs = new Set(analysis.summary?.outputs ?? []);

  const perLayer = new Map<string, GraphDiagnostic[]>();
  const modelDiagnostics: GraphDiagnostic[] = [];
  for (const d of analysis.diagnostics) {
    const owner = d.layer !== undefined && model.layers.some((l) => l.id === d.layer) ? d.layer : layerContaining(model.layers, d);
    if (owner === undefined) modelDiagnostics.push(toGraphDiagnostic(d));
    else perLayer.set(owner, [...(perLayer.get(owner) ?? []), toGraphDiagnostic(d)]);
  }

  const layers: GraphLayer[] = model.layers.map((spec) => {
    const info = infoById.get(spec.id);
    const params = writtenParams(spec);
    return {
      id: spec.id,
      kind: spec.kind,
      category: getLayerMeta(info?.kind ?? spec.kind)?.category,
      params,
      summary: paramSummary(info?.kind ?? spec.kind, params),
      output: info?.output ? formatShape(info.output) : undefined,
      paramCount: info?.paramCount ?? 0,
      inputs: spec.inputs.map((r) => r.id),
      implicitInputs: spec.implicitInputs,
      line: lines.position(spec.range.start).line,
      diagnostics: (perLayer.get(spec.id) ?? []).sort((a, b) => severityRank[a.severity] - severityRank[b.severity]),
      isOutput: outputs.has(spec.id),
    };
  });

  const known = new Map(layers.map((l) => [l.id, l]));
  const edges: GraphEdge[] = [];
  for (const layer of layers) {
    layer.inputs.forEach((source, index) => {
      // A reference to a missing layer has no edge; the layer's diagnostic says what is wrong.
      if (!known.has(source)) return;
      edges.push({ id: `${layer.id}:${index}`, source, target: layer.id, index, label: known.get(source)!.output });
    });
  }
  // No layers and a broken file (a YAML syntax error): say so instead of inviting a first layer.
  const blocking = layers.length === 0 ? modelDiagnostics.find((d) => d.severity === 'error' && d.code === 'yaml-syntax') : undefined;
  return {
    ...empty,
    layers,
    edges,
    modelDiagnostics,
    totalParams: analysis.summary?.totalParams ?? 0,
    unreadable: blocking?.message,
  };
}

/** The layer whose item contains a diagnostic without a `layer` (a problem in its parameters). */
function layerContaining(layers: readonly LayerSpec[], d: Diagnostic): string | undefined {
  return layers.find((l) => d.range.start >= l.range.start && d.range.end <= l.range.end && d.range.end > d.range.start)?.id;
}

function toGraphDiagnostic(d: Diagnostic): GraphDiagnostic {
  return { severity: d.severity, message: d.message, code: d.code };
}

/** Parameters as written, as JSON values (YAML can hold things JSON cannot; those become text). */
function writtenParams(spec: LayerSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(spec.params)) {
    if (key === 'type' || key === 'id' || key === 'inputs') continue;
    out[key] = jsonSafe(v.value);
  }
  return out;
}

function jsonSafe(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return String(value);
}

/** The written parameters in layers.json order (unknown ones last), e.g. `filters 32 · kernel_size 3 · same`. */
export function paramSummary(kind: string, params: Record<string, unknown>): string {
  const metaOrder = Object.keys(getLayerMeta(kind)?.params ?? {});
  const keys = [...metaOrder.filter((k) => k in params), ...Object.keys(params).filter((k) => !metaOrder.includes(k))];
  const parts = keys.slice(0, summaryLimit).map((k) => {
    const v = valueText(params[k]);
    return bareValueParams.has(k) ? v : `${k} ${v}`;
  });
  if (keys.length > summaryLimit) parts.push('…');
  return parts.join(' · ');
}

function valueText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
