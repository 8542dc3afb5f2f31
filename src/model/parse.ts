// Parses a *.nn.yaml model file into a ModelSpec whose every layer, key and value keeps its source
// range. Only the structure is checked here (layer kinds and parameters are the analysis' job);
// every problem becomes a Diagnostic and no input makes this throw.
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Pair, YAMLMap } from 'yaml';
import sectionsJson from '../analysis/sections.json';
import { assignLayerIds } from './layer-ids';
import { closest } from '../analysis/suggest';
import topLevelJson from './top-level.json';
import type {
  Diagnostic,
  InputRef,
  LayerSpec,
  ModelSpec,
  ParseResult,
  Range,
  SectionSpec,
  SourceValue,
} from './types';
import { clampRange, keyName, plainValue, readYamlDocument, resolveNode, type YamlRead } from './yaml-document';

type TopLevelValue = 'string' | 'layers' | 'id_list' | 'name_list' | 'section_or_name' | 'section';

/** The top-level keys of the format, with the kind of value each takes. */
export const topLevelKeys: Readonly<Record<string, { value: TopLevelValue; doc: string }>> = topLevelJson as Record<
  string,
  { value: TopLevelValue; doc: string }
>;

const topLevelNames = Object.keys(topLevelKeys);

export function parseModel(text: string): ParseResult {
  const source = typeof text === 'string' ? text : '';
  return readModel(source, () => readYamlDocument(source));
}

/** parseModel for a text whose YAML has been read already (the edit API reads it once for both). */
export function parseReadModel(text: string, read: YamlRead): ParseResult {
  return readModel(text, () => read);
}

function readModel(text: string, read: () => YamlRead): ParseResult {
  try {
    return new ModelReader(text).read(read());
  } catch (e) {
    // Defensive: the reader is written not to throw, but a crash must not take the editor down.
    return {
      model: null,
      diagnostics: [
        {
          severity: 'error',
          code: 'parse-failed',
          range: { start: 0, end: 0 },
          message: `The model file could not be read (${e instanceof Error ? e.message : String(e)}). This is a bug in Layerwise; please report it together with the file.`,
        },
      ],
    };
  }
}

/** A layer as read from its item, before ids and implicit inputs are known. */
interface LayerDraft {
  kind: string;
  kindRange: Range;
  writtenId?: string;
  idRange?: Range;
  /** Written inputs; undefined when `inputs:` is absent or unusable. */
  inputs?: InputRef[];
  inputsRange?: Range;
  params: Record<string, SourceValue>;
  range: Range;
  index: number;
  /** Diagnostics about this layer; their `layer` is filled in once the id is known. */
  diagnostics: Diagnostic[];
}

class ModelReader {
  private readonly diagnostics: Diagnostic[] = [];
  private doc!: Document.Parsed;

  constructor(private readonly text: string) {}

  read(read: YamlRead): ParseResult {
    this.diagnostics.push(...read.diagnostics);
    if (!read.doc) return this.result(null);
    this.doc = read.doc;
    const root = resolveNode(this.doc, this.doc.contents);
    if (root === null || root === undefined || (isScalar(root) && root.value === null)) {
      this.diagnostics.push({
        severity: 'error',
        code: 'empty-document',
        range: { start: 0, end: 0 },
        message:
          'The model file is empty. Start it with `layers:` and list the layers under it, e.g. `- type: Input` with `shape: [4]`, then `- type: Dense` with `units: 2`.',
      });
      return this.result(null);
    }
    if (!isMap(root)) {
      this.diagnostics.push({
        severity: 'error',
        code: 'not-a-mapping',
        range: this.visible(this.rangeOf(root)),
        message: `A model file must be a YAML mapping with keys such as \`layers:\`, but this file is ${describe(root)}. Put the layer list under a \`layers:\` key.`,
      });
      return this.result(null);
    }
    return this.result(this.readModel(root));
  }

  private result(model: ModelSpec | null): ParseResult {
    // After a YAML syntax error the tree is a guess, so structural complaints about what follows
    // would mostly be noise: keep only those before the line of the first syntax error.
    const firstSyntax = this.diagnostics
      .filter((d) => d.code === 'yaml-syntax' && d.severity === 'error')
      .reduce((min, d) => Math.min(min, d.range.start), Infinity);
    const cutoff = !Number.isFinite(firstSyntax) ? Infinity : firstSyntax <= 0 ? 0 : this.text.lastIndexOf('\n', firstSyntax - 1) + 1;
    const diagnostics = this.diagnostics
      .filter((d) => d.code === 'yaml-syntax' || d.range.start < cutoff)
      .map((d, i) => ({ d, i }))
      .sort((a, b) => a.d.range.start - b.d.range.start || a.i - b.i)
      .map((x) => x.d);
    return { model, diagnostics };
  }

  // ---- top level ----------------------------------------------------------------------------

  private readModel(root: YAMLMap): ModelSpec {
    const model: ModelSpec = {
      layers: [],
      layersRange: this.rangeOf(root),
      unknownKeys: [],
    };
    let layersPair: Pair | undefined;
    for (const pair of root.items) {
      const name = keyName(pair.key);
      const keyRange = this.rangeOf(pair.key);
      if (name === undefined) {
        this.diagnostics.push({
          severity: 'error',
          code: 'bad-key',
          range: this.visible(keyRange),
          message: 'Top-level keys must be plain names such as `layers` or `training`; this key is a collection. Remove it.',
        });
        continue;
      }
      const spec = Object.prototype.hasOwnProperty.call(topLevelKeys, name) ? topLevelKeys[name] : undefined;
      if (!spec) {
        model.unknownKeys.push({ key: name, range: keyRange });
        this.diagnostics.push(this.unknownKeyDiagnostic(name, keyRange));
        continue;
      }
      const value = resolveNode(this.doc, pair.value);
      switch (spec.value) {
        case 'layers':
          layersPair = pair;
          break;
        case 'string': {
          const v = this.readText(name, value, keyRange);
          if (name === 'name') model.name = v;
          else if (name === 'description') model.description = v;
          break;
        }
        case 'id_list': {
          const refs = this.readRefs(value, keyRange, 'outputs', []);
          if (refs) {
            model.outputs = refs;
            model.outputsRange = this.valueRange(value, keyRange);
          }
          break;
        }
        case 'name_list':
          model.metrics = this.readNameList(name, value, keyRange);
          model.metricsRange = this.valueRange(value, keyRange);
          break;
        case 'section_or_name':
        case 'section': {
          const section = this.readSection(name, value, keyRange, spec.value === 'section_or_name');
          if (section) assignSection(model, name, section);
          break;
        }
      }
    }
    if (layersPair) this.readLayers(layersPair, model);
    else {
      const first = root.items[0]?.key;
      this.diagnostics.push({
        severity: 'error',
        code: 'no-layers',
        range: this.visible(first ? this.rangeOf(first) : this.rangeOf(root)),
        message:
          'The model has no `layers:` list. Add `layers:` with one `- type: ...` item per layer, starting with an Input layer.',
      });
    }
    if (!model.outputs) model.outputs = defaultOutputs(model.layers);
    return model;
  }

  private unknownKeyDiagnostic(name: string, keyRange: Range): Diagnostic {
    const suggestion = closest(name, topLevelNames);
    if (suggestion) {
      return {
        severity: 'warning',
        code: 'unknown-key',
        range: keyRange,
        message: `Unknown top-level key \`${name}\`; did you mean \`${suggestion}\`? Until then it is ignored.`,
        fixes: [{ title: `Rename to \`${suggestion}\``, edits: [{ range: keyRange, newText: suggestion }] }],
      };
    }
    const owner = sectionOwningKey(name);
    if (owner) {
      return {
        severity: 'warning',
        code: 'unknown-key',
        range: keyRange,
        message: `\`${name}\` is a setting of \`${owner}:\`, not a top-level key; move it under \`${owner}:\`. Until then it is ignored.`,
      };
    }
    return {
      severity: 'warning',
      code: 'unknown-key',
      range: keyRange,
      message: `Unknown top-level key \`${name}\`; it is ignored. The top-level keys are ${topLevelNames.map((k) => `\`${k}\``).join(', ')}.`,
    };
  }

  private readText(name: string, value: unknown, keyRange: Range): SourceValue | undefined {
    if (value === null || value === undefined || (isScalar(value) && value.value === null)) return undefined;
    if (isScalar(value) && typeof value.value === 'string') {
      return { value: value.value, range: this.rangeOf(value), keyRange };
    }
    this.diagnostics.push({
      severity: isScalar(value) ? 'warning' : 'error',
      code: 'wrong-type',
      range: this.visible(this.valueRange(value, keyRange)),
      message: `\`${name}:\` should be text, but it is ${describe(value)}; it is ignored. Write it in quotes, e.g. \`${name}: "..."\`.`,
    });
    return undefined;
  }

  private readNameList(name: string, value: unknown, keyRange: Range): SourceValue[] {
    if (value === null || value === undefined || (isScalar(value) && value.value === null)) return [];
    if (isScalar(value) && typeof value.value === 'string') {
      return [{ value: value.value, range: this.rangeOf(value) }];
    }
    if (!isSeq(value)) {
      this.diagnostics.push({
        severity: 'error',
        code: 'wrong-type',
        range: this.visible(this.valueRange(value, keyRange)),
        message: `\`${name}:\` must be a list of names, e.g. \`${name}: [accuracy]\`, but it is ${describe(value)}.`,
      });
      return [];
    }
    const out: SourceValue[] = [];
    value.items.forEach((raw, i) => {
      const item = resolveNode(this.doc, raw);
      if (isScalar(item) && typeof item.value === 'string' && item.value !== '') {
        out.push({ value: item.value, range: this.rangeOf(item) });
      } else {
        this.diagnostics.push({
          severity: 'error',
          code: 'wrong-type',
          range: this.visible(this.rangeOf(item ?? raw)),
          message: `Entry ${i + 1} of \`${name}:\` must be a name such as \`accuracy\`, but it is ${describe(item)}.`,
        });
      }
    });
    return out;
  }

  private readSection(name: string, value: unknown, keyRange: Range, allowName: boolean): SectionSpec | undefined {
    const range = this.valueRange(value, keyRange);
    if (value === null || value === undefined || (isScalar(value) && value.value === null)) {
      return { params: {}, range, keyRange };
    }
    if (allowName && isScalar(value) && typeof value.value === 'string') {
      return { type: { value: value.value, range: this.rangeOf(value) }, params: {}, range, keyRange };
    }
    if (isMap(value)) {
      const section: SectionSpec = { params: {}, range, keyRange };
      for (const pair of value.items) {
        const key = keyName(pair.key);
        if (key === undefined) {
          this.diagnostics.push(this.badKey(pair, `\`${name}:\``));
          continue;
        }
        const sv = this.sourceValue(pair);
        if (key === 'type') section.type = sv;
        else section.params[key] = sv;
      }
      return section;
    }
    const fixes =
      name === 'data' && isScalar(value) && typeof value.value === 'string'
        ? [
            {
              title: `Change to \`data: {source: ${value.value}}\``,
              edits: [{ range, newText: `{source: ${this.text.slice(range.start, range.end)}}` }],
            },
          ]
        : undefined;
    const example =
      name === 'data'
        ? '`data: {source: digits}`'
        : name === 'training'
          ? '`training: {epochs: 10, batch_size: 32}`'
          : `\`${name}: {type: ...}\``;
    this.diagnostics.push({
      severity: 'error',
      code: 'wrong-type',
      range: this.visible(range),
      message: `\`${name}:\` must be ${allowName ? 'a name or ' : ''}a mapping of settings such as ${example}, but it is ${describe(value)}; it is ignored.`,
      fixes,
    });
    return undefined;
  }

  // ---- layers -------------------------------------------------------------------------------

  private readLayers(pair: Pair, model: ModelSpec): void {
    const keyRange = this.rangeOf(pair.key);
    const value = resolveNode(this.doc, pair.value);
    if (value === null || value === undefined || (isScalar(value) && value.value === null)) {
      model.layersRange = keyRange;
      this.diagnostics.push({
        severity: 'error',
        code: 'no-layers',
        range: keyRange,
        message: '`layers:` is empty. List the layers under it, one `- type: ...` item each, starting with an Input layer.',
      });
      return;
    }
    model.layersRange = this.rangeOf(value);
    if (!isSeq(value)) {
      this.diagnostics.push({
        severity: 'error',
        code: 'no-layers',
        range: this.visible(this.rangeOf(value)),
        message: `\`layers:\` must be a list with one item per layer (lines starting with \`- \`), but it is ${describe(value)}.`,
      });
      return;
    }
    if (value.items.length === 0) {
      this.diagnostics.push({
        severity: 'error',
        code: 'no-layers',
        range: this.visible(this.rangeOf(value)),
        message: '`layers:` has no items. Add the layers, one `- type: ...` item each, starting with an Input layer.',
      });
      return;
    }
    const drafts: LayerDraft[] = [];
    value.items.forEach((item, index) => {
      const draft = this.readLayer(item, index);
      if (draft) drafts.push(draft);
    });
    const ids = assignLayerIds(drafts.map((d) => ({ kind: d.kind, writtenId: d.writtenId })));
    drafts.forEach((d, i) => {
      const implicit = d.inputs === undefined;
      let inputs: InputRef[];
      if (!implicit) inputs = d.inputs!;
      else if (i === 0 || d.kind.trim().toLowerCase() === 'input') inputs = [];
      else inputs = [{ id: ids[i - 1], range: d.kindRange }];
      const layer: LayerSpec = {
        id: ids[i],
        idWritten: d.writtenId !== undefined,
        idRange: d.idRange ?? d.kindRange,
        kind: d.kind,
        kindRange: d.kindRange,
        inputs,
        implicitInputs: implicit,
        params: d.params,
        range: d.range,
        index: d.index,
      };
      if (d.inputsRange) layer.inputsRange = d.inputsRange;
      model.layers.push(layer);
      for (const diag of d.diagnostics) this.diagnostics.push({ ...diag, layer: ids[i] });
    });
  }

  private readLayer(raw: unknown, index: number): LayerDraft | undefined {
    const node = resolveNode(this.doc, raw);
    const range = this.rangeOf(node ?? raw);
    const label = `Layer #${index + 1}`;
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') {
      return { kind: node.value, kindRange: range, params: {}, range, index, diagnostics: [] };
    }
    if (!isMap(node)) {
      const empty = node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === ''));
      this.diagnostics.push({
        severity: 'error',
        code: 'bad-layer',
        range: this.visible(this.rangeOf(raw)),
        message: empty
          ? `${label} is empty. Write the layer as \`- type: Dense\` with its parameters below, or remove the item.`
          : `${label} is ${describe(node)}; each item of \`layers:\` must be a mapping such as \`- type: Dense\` or a layer kind such as \`- Flatten\`.`,
      });
      return undefined;
    }
    const firstKey = node.items[0]?.key;
    const headRange = firstKey ? this.rangeOf(firstKey) : range;
    const draft: LayerDraft = { kind: '', kindRange: headRange, params: {}, range, index, diagnostics: [] };
    let sawType = false;
    for (const pair of node.items) {
      const key = keyName(pair.key);
      if (key === undefined) {
        draft.diagnostics.push(this.badKey(pair, label));
        continue;
      }
      const value = resolveNode(this.doc, pair.value);
      const keyRange = this.rangeOf(pair.key);
      if (key === 'type') {
        sawType = true;
        if (isScalar(value) && typeof value.value === 'string' && value.value.trim() !== '') {
          draft.kind = value.value;
          draft.kindRange = this.rangeOf(value);
        } else {
          const blank = value === null || value === undefined || (isScalar(value) && (value.value === null || value.value === ''));
          draft.kind = '';
          draft.kindRange = keyRange;
          draft.diagnostics.push(
            blank
              ? {
                  severity: 'error',
                  code: 'missing-kind',
                  range: keyRange,
                  message: `${label} has \`type:\` without a layer kind. Write the kind after it, e.g. \`type: Dense\`.`,
                }
              : {
                  severity: 'error',
                  code: 'bad-kind',
                  range: this.visible(this.valueRange(value, keyRange)),
                  message: `${label}: \`type:\` must be a layer kind name such as \`Dense\`, but it is ${describe(value)}.`,
                },
          );
        }
      } else if (key === 'id') {
        if (isScalar(value) && typeof value.value === 'string' && value.value.trim() !== '') {
          draft.writtenId = value.value;
          draft.idRange = this.rangeOf(value);
        } else {
          draft.writtenId = undefined;
          draft.idRange = undefined;
          draft.diagnostics.push({
            severity: 'error',
            code: 'bad-id',
            range: this.visible(this.valueRange(value, keyRange)),
            message: `${label}: \`id:\` must be a name such as \`hidden\`, but it is ${describe(value)}. ${
              isScalar(value) && value.value !== null && value.value !== '' ? 'Write it in quotes or choose a name; ' : ''
            }until then the layer gets a generated id.`,
          });
        }
      } else if (key === 'inputs') {
        const refs = this.readRefs(value, keyRange, 'inputs', draft.diagnostics, label);
        draft.inputs = refs;
        draft.inputsRange = refs ? this.valueRange(value, keyRange) : undefined;
      } else {
        draft.params[key] = this.sourceValue(pair);
      }
    }
    if (!sawType) {
      draft.diagnostics.push({
        severity: 'error',
        code: 'missing-kind',
        range: this.visible(headRange),
        message: `${label} has no \`type:\`. Add the layer kind, e.g. \`type: Dense\`.`,
      });
    }
    return draft;
  }

  /**
   * Layer ids from `inputs:` or `outputs:`: one id or a list of ids. Undefined when the value is
   * unusable as a whole (a diagnostic says why); bad entries of a list are left out.
   */
  private readRefs(
    value: unknown,
    keyRange: Range,
    what: 'inputs' | 'outputs',
    sink: Diagnostic[],
    label = '',
  ): InputRef[] | undefined {
    const target = what === 'inputs' ? sink : this.diagnostics;
    const where = label ? `${label}: ` : '';
    const example = what === 'inputs' ? '`inputs: [a, b]`' : '`outputs: [logits]`';
    if (isScalar(value) && typeof value.value === 'string' && value.value.trim() !== '') {
      return [{ id: value.value, range: this.rangeOf(value) }];
    }
    if (isSeq(value)) {
      const refs: InputRef[] = [];
      value.items.forEach((raw, i) => {
        const item = resolveNode(this.doc, raw);
        if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') {
          refs.push({ id: item.value, range: this.rangeOf(item) });
        } else {
          target.push({
            severity: 'error',
            code: what === 'inputs' ? 'bad-inputs' : 'wrong-type',
            range: this.visible(this.rangeOf(item ?? raw)),
            message: `${where ? `${where}entry` : 'Entry'} ${i + 1} of \`${what}:\` must be a layer id, but it is ${describe(item)}; it is ignored.`,
          });
        }
      });
      return refs;
    }
    const blank = value === null || value === undefined || (isScalar(value) && (value.value === null || value.value === ''));
    target.push({
      severity: 'error',
      code: what === 'inputs' ? 'bad-inputs' : 'wrong-type',
      range: this.visible(this.valueRange(value, keyRange)),
      message: blank
        ? `${where}\`${what}:\` is empty. Write a layer id or a list of ids, e.g. ${example}, or remove the key${
            what === 'inputs' ? ' so the layer takes the previous layer\'s output' : ''
          }.`
        : `${where}\`${what}:\` must be a layer id or a list of layer ids, e.g. ${example}, but it is ${describe(value)}.`,
    });
    return undefined;
  }

  // ---- helpers ------------------------------------------------------------------------------

  private sourceValue(pair: Pair): SourceValue {
    const keyRange = this.rangeOf(pair.key);
    const range = this.valueRange(pair.value, keyRange);
    const plain = plainValue(this.doc, pair.value);
    if (!plain.ok) {
      this.diagnostics.push({
        severity: 'error',
        code: 'yaml-syntax',
        range: this.visible(range),
        message: 'The aliases (*name) in this value could not be expanded (they expand too often or refer to themselves); write the value out instead.',
      });
      return { value: undefined, range, keyRange };
    }
    return { value: plain.value, range, keyRange };
  }

  private badKey(pair: Pair, where: string): Diagnostic {
    return {
      severity: 'error',
      code: 'bad-key',
      range: this.visible(this.rangeOf(pair.key)),
      message: `${where}: keys must be plain names such as \`units\`; this key is ${describe(pair.key)}. Remove it.`,
    };
  }

  /** The [start, end) range of a node's value, clamped to the text. */
  private rangeOf(node: unknown): Range {
    const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (!r) return { start: 0, end: 0 };
    return clampRange(this.text, r[0], r[1]);
  }

  /** The range of a mapping value; an absent value points at its key. */
  private valueRange(value: unknown, keyRange: Range): Range {
    const r = (value as { range?: [number, number, number] } | null | undefined)?.range;
    if (!r || r[1] <= r[0]) return keyRange;
    return clampRange(this.text, r[0], r[1]);
  }

  /** An empty range is hard to see in an editor: widen it to the nearest text on its line. */
  private visible(range: Range): Range {
    if (range.end > range.start) return range;
    const text = this.text;
    let s = range.start;
    while (s > 0 && text[s - 1] !== '\n' && /\s/.test(text[s - 1])) s--;
    if (s > 0 && text[s - 1] !== '\n') return { start: s - 1, end: s };
    let e = range.start;
    while (e < text.length && text[e] !== '\n' && /\s/.test(text[e])) e++;
    if (e < text.length && text[e] !== '\n') return { start: e, end: e + 1 };
    return range;
  }
}

function assignSection(model: ModelSpec, name: string, section: SectionSpec): void {
  if (name === 'loss') model.loss = section;
  else if (name === 'optimizer') model.optimizer = section;
  else if (name === 'schedule') model.schedule = section;
  else if (name === 'training') model.training = section;
  else if (name === 'data') model.data = section;
}

/** Every layer whose output no other layer takes, pointing at its id (or kind). */
function defaultOutputs(layers: readonly LayerSpec[]): InputRef[] {
  const consumed = new Set<string>();
  for (const l of layers) for (const r of l.inputs) consumed.add(r.id);
  return layers.filter((l) => !consumed.has(l.id)).map((l) => ({ id: l.id, range: l.idRange }));
}

/** How a node reads in a message: "a mapping", "a list", "the number 3", ... */
function describe(node: unknown): string {
  if (node === null || node === undefined) return 'empty';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === '') return 'empty';
    if (typeof v === 'number') return `the number ${String(v)}`;
    if (typeof v === 'boolean') return `\`${String(v)}\``;
    if (typeof v === 'string') return `the text "${v.length > 40 ? `${v.slice(0, 40)}...` : v}"`;
    return 'a value of another type';
  }
  return 'a value of another type';
}

/** Which settings section a misplaced top-level key belongs to, from the section metadata. */
function sectionOwningKey(name: string): string | undefined {
  return sectionKeyOwners.get(name);
}

const sectionKeyOwners: Map<string, string> = (() => {
  const owners = new Map<string, string>();
  const meta = sectionsJson as unknown as Record<string, { params?: Record<string, unknown>; types?: Record<string, { params?: Record<string, unknown> }> }>;
  const add = (section: string, params: Record<string, unknown> | undefined): void => {
    for (const key of Object.keys(params ?? {})) if (!owners.has(key) && key !== 'output') owners.set(key, section);
  };
  for (const section of ['training', 'optimizer', 'schedule', 'loss']) {
    const entry = meta[section];
    if (!entry) continue;
    add(section, entry.params);
    for (const t of Object.values(entry.types ?? {})) add(section, t.params);
  }
  const early = meta.early_stopping;
  if (early) add('training: early_stopping', early.params);
  return owners;
})();
