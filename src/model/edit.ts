// Edits of a model file as minimal TextEdits: set a layer parameter, add, remove, rename and
// reconnect layers. Comments, blank lines, key order and the formatting of everything not
// concerned stay as they are. Every operation is a pure function of the document text; invalid
// requests come back as `{ ok: false, error }` and nothing here throws.
import { isAlias, isScalar } from 'yaml';
import { EditRefused } from './edit-refused';
import { freshId } from './layer-ids';
import { LayerDocument, type KeyLine, type KeyPosition } from './layer-document';
import { parseModel } from './parse';
import { diffEdits } from './text-diff';
import type { LayerSpec, ModelSpec, TextEdit } from './types';
import { resolveNode } from './yaml-document';
import { formatString, formatYamlValue } from './yaml-value';

export { applyEdits } from './text-diff';

export type EditResult = { ok: true; edits: TextEdit[] } | { ok: false; error: string };

export interface NewLayer {
  /** The layer kind, e.g. `Dense`. */
  kind: string;
  /** Defaults to `<kind lowercased>_<n>`, the first such id not in use. */
  id?: string;
  /** Parameters, written in this order after `type:`. */
  params?: Record<string, unknown>;
  /**
   * Ids of the layers feeding the new one, written as `inputs: [...]`. Without it the new layer
   * takes the previous layer's output, and the layer that followed now takes the new one's
   * (it is inserted into the chain); with it the new layer is a branch and the following layer
   * keeps its input.
   */
  inputs?: string[];
}

export interface AddLayerOptions {
  /** Insert after this layer; at the end of `layers:` when omitted. */
  after?: string;
}

/** Ids the edit API writes: a letter or `_`, then letters, digits, `_`, `.` or `-`. */
const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const KIND_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const PARAM_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Keys of a layer that are not parameters and have their own operations. */
const STRUCTURAL_KEYS: Record<string, string> = {
  id: 'use renameLayer to change a layer id',
  inputs: 'use setLayerInputs, connect or disconnect to change what feeds a layer',
};


// ---- public operations ---------------------------------------------------------------------

/** Sets a parameter of a layer (adds the key when absent); `undefined` removes the key. */
export function setLayerParam(text: string, layerId: string, key: string, value: unknown): EditResult {
  return run(text, (s) => {
    const layer = s.layer(layerId);
    if (typeof key !== 'string' || !PARAM_PATTERN.test(key)) {
      throw new EditRefused(`\`${String(key)}\` is not a parameter name; names are letters, digits and _ (e.g. \`units\`).`);
    }
    if (STRUCTURAL_KEYS[key]) throw new EditRefused(`\`${key}\` is not a parameter: ${STRUCTURAL_KEYS[key]}.`);
    if (key === 'type') {
      if (value === undefined) throw new EditRefused('A layer must keep its `type:`; remove the layer instead.');
      if (typeof value !== 'string' || !KIND_PATTERN.test(value)) {
        throw new EditRefused(`\`${String(value)}\` is not a layer kind name (such as \`Dense\`).`);
      }
    }
    const written = value === undefined ? undefined : yamlText(value);
    const before = s.doc.model!;
    s.setKey(layer.index, key, written, key === 'type' ? 'first' : 'last');
    s.pinShiftedIds(before, (i) => i);
  });
}

/** Inserts a new layer, as a block-style item, after `options.after` or at the end. */
export function addLayer(text: string, layer: NewLayer, options: AddLayerOptions = {}): EditResult {
  return run(
    text,
    (s) => {
      if (!layer || typeof layer.kind !== 'string' || !KIND_PATTERN.test(layer.kind)) {
        throw new EditRefused(`\`${String(layer?.kind)}\` is not a layer kind name (such as \`Dense\`).`);
      }
      const before = s.doc.model;
      const layers = s.doc.layers;
      const taken = new Set(layers.map((l) => l.id));
      let id = layer.id;
      if (id === undefined) id = freshId(layer.kind, taken);
      else {
        checkIdSyntax(id);
        if (taken.has(id)) throw new EditRefused(`A layer with id \`${id}\` already exists; choose another id.`);
      }
      const lines: KeyLine[] = [
        ['id', formatString(id)],
        ['type', layer.kind],
      ];
      if (layer.inputs !== undefined) {
        const inputs = uniqueIds(layer.inputs, 'inputs');
        for (const i of inputs) if (!taken.has(i)) throw new EditRefused(`No layer has the id \`${i}\` (in inputs).`);
        lines.push(['inputs', idList(inputs)]);
      }
      for (const [k, v] of Object.entries(layer.params ?? {})) {
        if (!PARAM_PATTERN.test(k)) throw new EditRefused(`\`${k}\` is not a parameter name; names are letters, digits and _.`);
        if (k === 'type' || STRUCTURAL_KEYS[k]) throw new EditRefused(`\`${k}\` cannot be given as a parameter of a new layer.`);
        if (v !== undefined) lines.push([k, yamlText(v)]);
      }
      const after = options.after !== undefined ? s.layer(options.after) : layers[layers.length - 1];
      // A branch (explicit inputs) or a new Input must not take over the next layer's input.
      const branch = layer.inputs !== undefined || layer.kind.toLowerCase() === 'input';
      const next = after ? layers[layers.indexOf(after) + 1] : undefined;
      if (branch && after && next && next.implicitInputs && next.inputs.length === 1 && next.inputs[0].id === after.id) {
        s.setKey(next.index, 'inputs', idList([after.id]), 'afterType');
      }
      const seqIndex = options.after !== undefined && after ? after.index : undefined;
      const insertedAt = s.insertLayer(seqIndex, lines);
      if (before) s.pinShiftedIds(before, (i) => (i < insertedAt ? i : i + 1));
    },
    { allowEmpty: true },
  );
}

/**
 * Removes a layer and every reference to it. A layer that took the removed one's output through
 * `inputs:` takes the removed layer's own input instead (when it had exactly one), else the
 * reference is dropped; the next layer, when it took the removed one implicitly, is connected
 * to the removed layer's single input. It is dropped from `outputs:` (the key goes when empty).
 */
export function removeLayer(text: string, layerId: string): EditResult {
  return run(text, (s) => {
    const removed = s.layer(layerId);
    const before = s.doc.model!;
    const layers = before.layers;
    const position = layers.indexOf(removed);
    const replacement = removed.inputs.length === 1 ? removed.inputs[0].id : undefined;
    for (const l of layers) {
      if (l === removed || l.implicitInputs || !l.inputs.some((r) => r.id === removed.id)) continue;
      const ids: string[] = [];
      for (const r of l.inputs) {
        const id = r.id === removed.id ? replacement : r.id;
        if (id !== undefined && id !== l.id && !ids.includes(id)) ids.push(id);
      }
      s.setKey(l.index, 'inputs', idList(ids), 'afterType');
    }
    const next = layers[position + 1];
    const previous = layers[position - 1];
    if (
      next &&
      next.implicitInputs &&
      next.inputs.length === 1 &&
      next.inputs[0].id === removed.id &&
      replacement !== undefined &&
      replacement !== previous?.id
    ) {
      s.setKey(next.index, 'inputs', idList([replacement]), 'afterType');
    }
    if (before.outputsRange && before.outputs?.some((o) => o.id === removed.id)) {
      const kept = before.outputs.filter((o) => o.id !== removed.id).map((o) => o.id);
      s.setTopLevelKey('outputs', kept.length > 0 ? idList(kept) : undefined);
    }
    s.removeLayerItem(removed.index);
    s.pinShiftedIds(before, (i) => (i < removed.index ? i : i === removed.index ? undefined : i - 1));
  });
}

/**
 * Renames a layer and every reference to it (`inputs:`, `outputs:`, `loss: {output: ...}`);
 * writes `id:` when the layer had none.
 */
export function renameLayer(text: string, oldId: string, newId: string): EditResult {
  return run(text, (s) => {
    const layer = s.layer(oldId);
    checkIdSyntax(newId);
    if (newId === oldId) return;
    if (s.doc.layers.some((l) => l.id === newId)) {
      throw new EditRefused(`A layer with id \`${newId}\` already exists; choose another id.`);
    }
    s.doc.assertNotShared(s.doc.rawItem(layer.index), `Layer \`${oldId}\``);
    const before = s.doc.model!;
    const written = formatString(newId);
    const edits = new Map<string, TextEdit>();
    const replace = (range: { start: number; end: number }): void => {
      edits.set(`${range.start}:${range.end}`, { range, newText: written });
    };
    for (const l of before.layers) {
      if (l.implicitInputs) continue;
      for (const r of l.inputs) if (r.id === oldId) replace(r.range);
    }
    if (before.outputsRange) for (const o of before.outputs ?? []) if (o.id === oldId) replace(o.range);
    const lossOutput = before.loss?.params.output;
    if (lossOutput && lossOutput.value === oldId && lossOutput.range.end > lossOutput.range.start) replace(lossOutput.range);
    if (layer.idWritten) replace(layer.idRange);
    s.replaceRanges([...edits.values()]);
    if (!layer.idWritten) s.setKey(layer.index, 'id', written, 'first');
    s.pinShiftedIds(before, (i) => i);
  });
}

/** Replaces what feeds a layer, written as `inputs: [a, b]`. */
export function setLayerInputs(text: string, layerId: string, inputs: string[]): EditResult {
  return run(text, (s) => {
    const layer = s.layer(layerId);
    const ids = uniqueIds(inputs, 'inputs');
    for (const id of ids) {
      s.layer(id);
      if (id === layer.id) throw new EditRefused(`A layer cannot take its own output (\`${id}\`).`);
    }
    s.setKey(layer.index, 'inputs', idList(ids), 'afterType');
  });
}

/** Adds `fromId` to the inputs of `toId` (keeping the ones it has, implicit or written). */
export function connect(text: string, fromId: string, toId: string): EditResult {
  return run(text, (s) => {
    const from = s.layer(fromId);
    const to = s.layer(toId);
    if (from === to) throw new EditRefused(`A layer cannot take its own output (\`${from.id}\`).`);
    const current = to.inputs.map((r) => r.id);
    if (current.includes(from.id)) return;
    s.setKey(to.index, 'inputs', idList([...current, from.id]), 'afterType');
  });
}

/** Removes `fromId` from the inputs of `toId`; an emptied list is written as `inputs: []`. */
export function disconnect(text: string, fromId: string, toId: string): EditResult {
  return run(text, (s) => {
    const from = s.layer(fromId);
    const to = s.layer(toId);
    const current = to.inputs.map((r) => r.id);
    if (!current.includes(from.id)) throw new EditRefused(`\`${from.id}\` is not an input of \`${to.id}\`.`);
    s.setKey(to.index, 'inputs', idList(current.filter((id) => id !== from.id)), 'afterType');
  });
}

// ---- the edit session -----------------------------------------------------------------------

/** Applies text steps one after the other, re-parsing after each, and diffs the end result. */
class Session {
  doc: LayerDocument;

  constructor(doc: LayerDocument) {
    this.doc = doc;
  }

  layer(id: unknown): LayerSpec {
    if (typeof id !== 'string') throw new EditRefused(`A layer id must be a string, not ${typeof id}.`);
    const found = this.doc.findLayer(id);
    if (!found) {
      const known = this.doc.layers.map((l) => `\`${l.id}\``);
      throw new EditRefused(`No layer has the id \`${id}\`.${known.length > 0 ? ` The layers are ${known.join(', ')}.` : ''}`);
    }
    return found;
  }

  setKey(index: number, key: string, value: string | undefined, position: KeyPosition): void {
    this.blockLayers();
    this.step(this.doc.setLayerKey(index, key, value, position));
  }

  setTopLevelKey(key: string, value: string | undefined): void {
    this.step(this.doc.setTopLevelKey(key, value));
  }

  replaceRanges(edits: TextEdit[]): void {
    this.step(this.doc.replaceRanges(edits));
  }

  /** Inserts an item; returns its sequence index. */
  insertLayer(after: number | undefined, lines: KeyLine[]): number {
    this.blockLayers();
    const seq = this.doc.layersSeq();
    const pair = this.doc.layersPair();
    if (pair && !seq) {
      const v = resolveNode(this.doc.yaml, pair.value);
      if (v !== null && v !== undefined && !(isScalar(v) && v.value === null)) {
        throw new EditRefused('`layers:` is not a list, so a layer cannot be added; make it a list first.');
      }
    }
    const count = seq?.items.length ?? 0;
    this.step(this.doc.insertLayer(after, lines));
    return after === undefined ? count : after + 1;
  }

  removeLayerItem(index: number): void {
    this.blockLayers();
    this.step(this.doc.removeLayerItem(index));
  }

  /**
   * Layers without a written id are named by their position among layers of the same kind, so
   * adding, removing or retyping a layer can shift them. Where a shifted id is referenced, the
   * layer keeps it: the old id is written out. `indexMap` maps old sequence indices to new ones.
   */
  pinShiftedIds(before: ModelSpec, indexMap: (oldIndex: number) => number | undefined): void {
    for (let round = 0; round <= before.layers.length; round++) {
      const now = this.doc.model;
      if (!now) return;
      const referenced = referencedIds(now);
      const byIndex = new Map(now.layers.map((l) => [l.index, l]));
      const shifted = before.layers.find((old) => {
        if (old.idWritten || !referenced.has(old.id)) return false;
        const newIndex = indexMap(old.index);
        const current = newIndex === undefined ? undefined : byIndex.get(newIndex);
        return current !== undefined && !current.idWritten && current.id !== old.id;
      });
      if (!shifted) return;
      this.setKey(indexMap(shifted.index)!, 'id', formatString(shifted.id), 'first');
    }
  }

  /** Makes sure the `layers:` list can be edited in place, and is in block style. */
  private blockLayers(): void {
    const pair = this.doc.layersPair();
    if (pair && isAlias(pair.value)) {
      throw new EditRefused('`layers:` is an alias (*name) of a list defined elsewhere; edit that list by hand.');
    }
    const seq = this.doc.layersSeq();
    this.doc.assertNotShared(seq, 'The `layers:` list');
    if (seq?.flow) this.step(this.doc.layersToBlock());
  }

  private step(next: string): void {
    const opened = LayerDocument.open(next);
    if (!opened.ok) {
      const problem = parseModel(next).diagnostics.find((d) => d.code === 'yaml-syntax' && d.severity === 'error');
      throw new EditRefused(
        `The edit was not made: the file would no longer be valid YAML${problem ? ` (${problem.message})` : ''}. Make this change by hand.`,
      );
    }
    this.doc = opened.doc;
  }
}

function run(text: string, operation: (s: Session) => void, options: { allowEmpty?: boolean } = {}): EditResult {
  try {
    if (typeof text !== 'string') return { ok: false, error: 'The document text is missing.' };
    const opened = LayerDocument.open(text);
    if (!opened.ok) return { ok: false, error: opened.error };
    if (!opened.doc.model && !options.allowEmpty) {
      return { ok: false, error: 'The file has no layers yet; add one first.' };
    }
    const session = new Session(opened.doc);
    operation(session);
    return { ok: true, edits: diffEdits(text, session.doc.text) };
  } catch (e) {
    if (e instanceof EditRefused) return { ok: false, error: e.message };
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `The edit could not be made (${detail}). This is a bug in Layerwise; please report it.` };
  }
}

// ---- helpers --------------------------------------------------------------------------------

function checkIdSyntax(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new EditRefused(
      `\`${String(id)}\` is not a valid layer id: start with a letter or _, then use letters, digits, _, . or -.`,
    );
  }
}

function uniqueIds(ids: unknown, what: string): string[] {
  if (!Array.isArray(ids)) throw new EditRefused(`${what} must be a list of layer ids.`);
  const out: string[] = [];
  for (const id of ids) {
    if (typeof id !== 'string') throw new EditRefused(`${what} must be a list of layer ids; \`${String(id)}\` is not one.`);
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

function idList(ids: string[]): string {
  return `[${ids.map(formatString).join(', ')}]`;
}

function yamlText(value: unknown): string {
  const out = formatYamlValue(value);
  if (out === undefined) throw new EditRefused('The value cannot be written as YAML (use numbers, text, booleans, lists or plain objects).');
  return out;
}

/** Ids named in the text: written `inputs:`, written `outputs:` and the loss' `output:`. */
function referencedIds(model: ModelSpec): Set<string> {
  const ids = new Set<string>();
  for (const l of model.layers) if (!l.implicitInputs) for (const r of l.inputs) ids.add(r.id);
  if (model.outputsRange) for (const o of model.outputs ?? []) ids.add(o.id);
  const lossOutput = model.loss?.params.output?.value;
  if (typeof lossOutput === 'string') ids.add(lossOutput);
  return ids;
}
