// Validation and shape inference of a whole model: layer kinds and parameters, the graph,
// per-layer shapes, parameters and costs, and the settings. Produces the summary and the
// diagnostics; never throws.
import type { Diagnostic, LayerSpec, ModelSpec, SourceValue } from '../model/types';
import { parseModel } from '../model/parse';
import type { AnalysisResult, LayerInfo, ModelSummary, TensorType } from './types';
import { aliases, getLayerMeta, kindAliases, layerKinds } from './layers';
import type { LayerMeta } from './layers';
import { buildGraph } from './graph';
import type { LayerGraph } from './graph';
import { checkValue, normaliseValue, unknownKey } from './params';
import { closest } from './suggest';
import { insertLayerBefore, insertLayerParam, replace, yamlText } from './fixes';
import { dtypeBytes, isFail, numel, shapeRules } from './shapes';
import { checkSettings } from './settings';
import { checkLossFit } from './loss-fit';

export function analyzeModel(text: string): AnalysisResult {
  const source = typeof text === 'string' ? text : '';
  const parsed = parseModel(source);
  if (!parsed.model) return { model: null, summary: null, diagnostics: parsed.diagnostics };
  const { summary, diagnostics } = analyzeSpec(parsed.model, source);
  return { model: parsed.model, summary, diagnostics: sortByPosition([...parsed.diagnostics, ...diagnostics]) };
}

/** Validates a parsed model and infers its shapes. `text` (the file) lets quick fixes keep its layout. */
export function analyzeSpec(model: ModelSpec, text = ''): { summary: ModelSummary; diagnostics: Diagnostic[] } {
  try {
    return new Analysis(model, text).run();
  } catch (e) {
    // Defensive: the checks are written not to throw; a bug must not take the editor down.
    const summary: ModelSummary = {
      layers: [],
      outputs: [],
      totalParams: 0,
      trainableParams: 0,
      totalFlops: 0,
      totalActivationBytes: 0,
      paramBytes: 0,
    };
    const diagnostics: Diagnostic[] = [
      {
        severity: 'error',
        code: 'internal-error',
        range: { start: 0, end: 0 },
        message: `The model could not be analysed (${e instanceof Error ? e.message : String(e)}). This is a bug in Layerwise; please report it with the file.`,
      },
    ];
    return { summary, diagnostics };
  }
}

function sortByPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.range.start - b.d.range.start || a.i - b.i)
    .map((x) => x.d);
}

/** Standalone layer kind for each `activation:` name, for advice on layers without one. */
const activationLayer: Record<string, string> = {
  relu: 'ReLU',
  leaky_relu: 'LeakyReLU',
  gelu: 'GELU',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  softmax: 'Softmax',
};

const structuralKeys = ['id', 'inputs'];

class Analysis {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly layers: LayerInfo[];
  /** Per layer: whether its kind, parameters and input count allow shape inference. */
  private readonly ready: boolean[];
  private readonly graph: LayerGraph;

  constructor(
    private readonly model: ModelSpec,
    private readonly text: string,
  ) {
    this.graph = buildGraph(model);
    this.layers = model.layers.map((spec) => ({
      spec,
      kind: spec.kind,
      attrs: {},
      inputs: [],
      params: [],
      paramCount: 0,
      flops: 0,
      activationBytes: 0,
    }));
    this.ready = model.layers.map(() => false);
  }

  run(): { summary: ModelSummary; diagnostics: Diagnostic[] } {
    this.diagnostics.push(...this.graph.diagnostics);
    this.model.layers.forEach((spec, i) => this.checkLayer(spec, i));
    this.checkHasInput();
    for (const i of this.graph.order) this.inferShape(i);
    this.diagnostics.push(...checkSettings(this.model, this.text));
    this.diagnostics.push(
      ...checkLossFit({ model: this.model, text: this.text, layers: this.layers, byId: this.graph.byId, outputs: this.graph.outputs }),
    );
    return { summary: this.summary(), diagnostics: sortByPosition(this.diagnostics) };
  }

  private summary(): ModelSummary {
    let totalParams = 0;
    let trainableParams = 0;
    let totalFlops = 0;
    let totalActivationBytes = 0;
    for (const l of this.layers) {
      for (const p of l.params) {
        const n = numel(p.shape);
        totalParams += n;
        if (p.trainable) trainableParams += n;
      }
      totalFlops += l.flops;
      totalActivationBytes += l.activationBytes;
    }
    return {
      layers: this.layers,
      outputs: this.graph.outputs.map((i) => this.layers[i].spec.id),
      totalParams,
      trainableParams,
      totalFlops,
      totalActivationBytes,
      paramBytes: 4 * totalParams,
    };
  }

  // ---- per layer: kind, parameters, input count ------------------------------------------

  private checkLayer(spec: LayerSpec, i: number): void {
    if (spec.kind === '') return; // the parser reported the missing or malformed `type:`
    const meta = getLayerMeta(spec.kind);
    if (!meta) {
      this.unknownKind(spec);
      return;
    }
    const owner = `${meta.kind} \`${spec.id}\``;
    const oneD = meta.params.kernel_size?.type === 'int'; // Conv1D: padding is one int, not a pair
    let ok = true;
    const attrs: Record<string, unknown> = {};
    for (const [name, pm] of Object.entries(meta.params)) if (pm.default !== undefined) attrs[name] = normaliseValue(pm, pm.default, oneD);
    // Required parameters that a misspelt key probably meant: the rename fix covers them.
    const meant = new Set<string>();
    for (const [name, sv] of Object.entries(spec.params)) {
      const pm = Object.prototype.hasOwnProperty.call(meta.params, name) ? meta.params[name] : undefined;
      if (!pm) {
        const d = this.unknownParam(meta, spec, name, sv, owner);
        this.diagnostics.push(d);
        const renamed = d.fixes?.[0]?.edits[0]?.newText;
        if (renamed && meta.params[renamed]) meant.add(renamed);
        continue;
      }
      const bad = checkValue(name, pm, sv, { owner, code: 'invalid-param', layer: spec.id, oneD });
      if (bad) {
        this.diagnostics.push(bad);
        ok = false;
      } else attrs[name] = normaliseValue(pm, sv.value, oneD);
    }
    for (const [name, pm] of Object.entries(meta.params)) {
      if (!pm.required || Object.prototype.hasOwnProperty.call(spec.params, name)) continue;
      ok = false;
      if (meant.has(name)) continue;
      const example = yamlText(pm.example ?? (pm.type === 'int' ? 1 : pm.type === 'shape' ? [1] : ''));
      const edit = insertLayerParam(this.text, spec, name, example);
      this.diagnostics.push({
        severity: 'error',
        code: 'missing-param',
        range: spec.kindRange,
        message: `${owner} needs \`${name}\` (${lowerFirst(pm.doc)}); add e.g. \`${name}: ${example}\`.`,
        layer: spec.id,
        fixes: edit ? [{ title: `Add ${name}: ${example}`, edits: [edit] }] : undefined,
      });
    }
    this.layers[i].kind = meta.kind;
    this.layers[i].attrs = attrs;
    this.ready[i] = this.checkInputCount(meta, spec) && ok;
  }

  private unknownKind(spec: LayerSpec): void {
    const near = closest(spec.kind, layerKinds, kindAliases);
    this.diagnostics.push({
      severity: 'error',
      code: 'unknown-kind',
      range: spec.kindRange,
      message: near
        ? `Unknown layer kind \`${spec.kind}\`; did you mean \`${near}\`?`
        : `Unknown layer kind \`${spec.kind}\`; use one of ${layerKinds.join(', ')}.`,
      layer: spec.id,
      fixes: near && spec.kindRange.end > spec.kindRange.start ? [{ title: `Change to ${near}`, edits: [replace(spec.kindRange, near)] }] : undefined,
    });
  }

  private unknownParam(meta: LayerMeta, spec: LayerSpec, name: string, sv: SourceValue, owner: string): Diagnostic {
    const names = Object.keys(meta.params);
    let advice = names.length ? ` It takes ${names.map((n) => `\`${n}\``).join(', ')}.` : ` ${meta.kind} takes no parameters.`;
    if (name === 'activation' && typeof sv.value === 'string' && activationLayer[sv.value]) {
      advice = ` For an activation, add a ${activationLayer[sv.value]} layer after it.`;
    }
    return unknownKey(name, sv, {
      owner,
      code: 'unknown-param',
      layer: spec.id,
      candidates: [...names, ...structuralKeys],
      aliases: aliases.params,
      advice,
      text: this.text,
    });
  }

  private checkInputCount(meta: LayerMeta, spec: LayerSpec): boolean {
    const n = spec.inputs.length;
    const want = meta.inputs;
    const fits = want === 'many' ? n >= 2 : n === want;
    if (fits) return true;
    const owner = `${meta.kind} \`${spec.id}\``;
    const listed = spec.inputs.map((r) => `\`${r.id}\``).join(', ');
    let message: string;
    if (want === 0) message = `${owner} takes no inputs (it is where data enters); remove \`inputs:\`.`;
    else if (want === 'many') {
      message =
        n === 0
          ? `${owner} joins two or more layers but has no input; list them, e.g. \`inputs: [a, b]\`.`
          : `${owner} joins two or more layers but gets only ${listed}; list every branch in \`inputs:\`, e.g. \`inputs: [a, b]\`.`;
    } else if (n === 0) {
      // Without any Input layer, `no-input` says it once for the whole model.
      if (!this.model.layers.some((l) => l.kind.toLowerCase() === 'input')) return false;
      message = `${owner} has no input: nothing comes before it. Put an Input layer first, or name its input with \`inputs:\`.`;
    } else {
      message = `${owner} takes one input but gets ${n} (${listed}); join them first with an Add or Concat layer.`;
    }
    this.diagnostics.push({
      severity: 'error',
      code: 'wrong-input-count',
      range: spec.inputsRange ?? spec.kindRange,
      message,
      layer: spec.id,
    });
    return false;
  }

  private checkHasInput(): void {
    const layers = this.model.layers;
    if (layers.length === 0 || layers.some((l) => l.kind.toLowerCase() === 'input')) return;
    // A likely shape for the first layer, so the inserted Input is a useful starting point.
    const first = layers[0];
    const guess: Record<string, string> = {
      Conv2D: '[1, 28, 28]',
      Conv1D: '[1, 128]',
      Embedding: '[32], dtype: int64',
      SimpleRNN: '[32, 8]',
      LSTM: '[32, 8]',
      GRU: '[32, 8]',
    };
    const item = `{type: Input, shape: ${guess[first.kind] ?? '[4]'}}`;
    const edit = insertLayerBefore(this.text, first, item);
    this.diagnostics.push({
      severity: 'error',
      code: 'no-input',
      range: first.kindRange,
      message: `The model has no Input layer, so nothing says what data goes in; add one first, e.g. \`- ${item}\`.`,
      layer: first.id,
      fixes: edit ? [{ title: 'Add an Input layer', edits: [edit] }] : undefined,
    });
  }

  // ---- shapes ------------------------------------------------------------------------------

  private inferShape(i: number): void {
    const info = this.layers[i];
    const producers = this.graph.inputs[i];
    const inputs: TensorType[] = [];
    for (const j of producers) {
      const t = j >= 0 ? this.layers[j].output : undefined;
      if (!t) return; // an earlier problem was reported; no follow-up errors
      inputs.push(t);
    }
    info.inputs = inputs;
    if (!this.ready[i]) return;
    const spec = info.spec;
    const rule = shapeRules[info.kind];
    const result = rule(info.attrs, inputs, { kind: info.kind, sources: producers.map((j) => this.layers[j].spec.id) });
    if (isFail(result)) {
      const range =
        result.param && spec.params[result.param]
          ? spec.params[result.param].range
          : result.input !== undefined && !spec.implicitInputs && spec.inputs[result.input]
            ? spec.inputs[result.input].range
            : spec.kindRange;
      this.diagnostics.push({
        severity: 'error',
        code: result.code ?? 'shape-mismatch',
        range,
        message: result.error,
        layer: spec.id,
      });
      return;
    }
    info.output = result.output;
    info.params = result.params;
    info.paramCount = result.params.reduce((s, p) => s + numel(p.shape), 0);
    info.flops = result.flops;
    info.activationBytes = numel(result.output.shape) * dtypeBytes(result.output.dtype);
    if (result.resolved) info.attrs = { ...info.attrs, ...result.resolved };
  }
}

function lowerFirst(s: string): string {
  const t = s.replace(/\.$/, '');
  return t.charAt(0).toLowerCase() + t.slice(1);
}
