// The graph editor's semantic edits as text edits of the model file, built from src/model/edit.ts.
// An edit that takes several steps (deleting three layers, pasting a chain) is worked out step by
// step on the text and returned as one set of minimal edits, so it is one undo step. Pure: never
// throws, a refused edit comes back with the reason.
import { freshId } from '../../model/layer-ids';
import {
  addLayer,
  applyEdits,
  connect,
  disconnect,
  removeLayer,
  renameLayer,
  setLayerInputs,
  setLayerParam,
  type EditResult,
} from '../../model/edit';
import { parseModel } from '../../model/parse';
import { diffEdits } from '../../model/text-diff';
import type { TextEdit } from '../../model/types';
import type { ClipLayer, GraphEdit } from '../../webview-protocol/graph';

export type GraphEditResult =
  | { ok: true; edits: TextEdit[]; text: string; select: string[] }
  | { ok: false; error: string };

/** Text steps applied in order; the first refusal ends the edit with nothing changed. */
class Steps {
  constructor(public text: string) {}

  apply(result: EditResult): void {
    if (!result.ok) throw new Refused(result.error);
    this.text = applyEdits(this.text, result.edits);
  }

  ids(): Set<string> {
    return new Set(parseModel(this.text).model?.layers.map((l) => l.id) ?? []);
  }

  inputsOf(id: string): string[] | undefined {
    return parseModel(this.text).model?.layers.find((l) => l.id === id)?.inputs.map((r) => r.id);
  }
}

class Refused extends Error {}

export function applyGraphEdit(text: string, edit: GraphEdit): GraphEditResult {
  const steps = new Steps(text);
  let select: string[] = [];
  try {
    switch (edit.type) {
      case 'setParam':
        steps.apply(setLayerParam(steps.text, edit.layer, edit.param, edit.value));
        select = [edit.layer];
        break;
      case 'removeParam':
        steps.apply(setLayerParam(steps.text, edit.layer, edit.param, undefined));
        select = [edit.layer];
        break;
      case 'addLayer': {
        const id = freshId(edit.kind, steps.ids());
        steps.apply(addLayer(steps.text, { kind: edit.kind, id, params: edit.params }, { after: edit.after }));
        select = [id];
        break;
      }
      case 'removeLayers':
        for (const id of edit.layers) steps.apply(removeLayer(steps.text, id));
        break;
      case 'rename':
        steps.apply(renameLayer(steps.text, edit.layer, edit.newId));
        select = [edit.newId];
        break;
      case 'setInputs':
        steps.apply(setLayerInputs(steps.text, edit.layer, edit.inputs));
        select = [edit.layer];
        break;
      case 'connect':
        steps.apply(connect(steps.text, edit.from, edit.to));
        select = [edit.to];
        break;
      case 'disconnect':
        for (const e of edit.edges) steps.apply(disconnect(steps.text, e.from, e.to));
        break;
      case 'reconnect':
        reconnect(steps, edit);
        select = [edit.newTo];
        break;
      case 'paste':
        select = paste(steps, edit.layers);
        break;
      default:
        return { ok: false, error: `Unknown graph edit ${JSON.stringify((edit as { type?: unknown }).type)}.` };
    }
  } catch (e) {
    if (e instanceof Refused) return { ok: false, error: e.message };
    return { ok: false, error: `The edit could not be made (${e instanceof Error ? e.message : String(e)}).` };
  }
  return { ok: true, edits: diffEdits(text, steps.text), text: steps.text, select };
}

/** Moves one end of an edge; on the same target the input keeps its place (Concat order matters). */
function reconnect(steps: Steps, edit: Extract<GraphEdit, { type: 'reconnect' }>): void {
  if (edit.from === edit.newFrom && edit.to === edit.newTo) return;
  if (edit.to === edit.newTo) {
    const inputs = steps.inputsOf(edit.to);
    if (!inputs || !inputs.includes(edit.from)) throw new Refused(`\`${edit.from}\` is not an input of \`${edit.to}\`.`);
    const replaced = inputs.map((id) => (id === edit.from ? edit.newFrom : id));
    steps.apply(setLayerInputs(steps.text, edit.to, replaced));
    return;
  }
  steps.apply(disconnect(steps.text, edit.from, edit.to));
  steps.apply(connect(steps.text, edit.newFrom, edit.newTo));
}

/**
 * Recreates copied layers at the end of `layers:` with fresh ids. Connections among the copied
 * layers follow the copies; connections from layers outside the copy stay with those layers when
 * they still exist. A copy fed only by the copy just before it is written without `inputs:`
 * (it follows it in the list), so a pasted chain reads like hand-written YAML.
 */
function paste(steps: Steps, layers: ClipLayer[]): string[] {
  if (!Array.isArray(layers) || layers.length === 0) throw new Refused('Nothing to paste: copy some layers first.');
  const renamed = new Map<string, string>();
  const created: string[] = [];
  for (const clip of layers) {
    const taken = steps.ids();
    const id = freshId(clip.kind, taken);
    const inputs = clip.inputs
      .map((src) => renamed.get(src) ?? (taken.has(src) ? src : undefined))
      .filter((src): src is string => src !== undefined);
    const previous = created[created.length - 1];
    const chained = previous !== undefined && inputs.length === 1 && inputs[0] === previous;
    const isInput = clip.kind.toLowerCase() === 'input';
    steps.apply(
      addLayer(steps.text, {
        kind: clip.kind,
        id,
        params: clip.params,
        inputs: chained || isInput ? undefined : inputs,
      }),
    );
    renamed.set(clip.id, id);
    created.push(id);
  }
  return created;
}
