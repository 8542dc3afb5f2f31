// The layers of a model file read from the text alone (kind, id, where each item starts), so that
// completion can offer the ids of earlier layers while the document is not valid YAML.
import { assignLayerIds } from '../model/layer-ids';
import { flowAtCursor } from './flow';
import type { YamlLine } from './yamlLines';

export interface ScannedLayer {
  /** The written or generated id. */
  id: string;
  /** The kind as written (empty when `type:` is missing). */
  kind: string;
  /** Line of the item's `- ` marker. */
  line: number;
  /** Last line of the item. */
  endLine: number;
}

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/, '$2');
}

/** The items of the top-level `layers:` block sequence. */
export function scanLayers(lines: readonly YamlLine[]): ScannedLayer[] {
  const head = lines.findIndex((l) => !l.skip && l.dashes.length === 0 && l.contentCol === 0 && l.key === 'layers');
  if (head < 0) return [];
  const drafts: { kind: string; writtenId?: string; line: number; endLine: number }[] = [];
  let itemCol = -1;
  let contentCol = -1;
  for (let i = head + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.skip) continue;
    if (l.dashes.length === 0 && l.contentCol === 0) break; // the next top-level key
    if (itemCol < 0) {
      if (l.dashes.length === 0) break;
      itemCol = l.dashes[0];
    }
    if (l.dashes[0] === itemCol) {
      contentCol = l.contentCol;
      const draft: { kind: string; writtenId?: string; line: number; endLine: number } = { kind: '', line: i, endLine: i };
      if (l.key !== undefined) {
        readKey(draft, l.key, l.value);
      } else if (l.value.startsWith('{')) {
        const flow = flowAtCursor(l.text, l.contentCol, l.contentCol + 1);
        for (const e of flow?.frames[0]?.entries ?? []) if (e.key !== undefined) readKey(draft, e.key, e.value);
      } else {
        draft.kind = unquote(l.value);
      }
      drafts.push(draft);
      continue;
    }
    if (l.dashes.length > 0 && l.dashes[0] < itemCol) break;
    const current = drafts[drafts.length - 1];
    if (!current) continue;
    current.endLine = i;
    if (l.dashes.length === 0 && l.contentCol === contentCol && l.key !== undefined) readKey(current, l.key, l.value);
  }
  const ids = assignLayerIds(drafts.map((d) => ({ kind: d.kind, writtenId: d.writtenId })));
  return drafts.map((d, i) => ({ id: ids[i], kind: d.kind, line: d.line, endLine: d.endLine }));
}

function readKey(draft: { kind: string; writtenId?: string }, key: string, value: string): void {
  const v = unquote(value.trim());
  if (key === 'type' && /^[A-Za-z][\w]*$/.test(v)) draft.kind = v;
  if (key === 'id' && v.length > 0 && !/[\s[\]{},]/.test(v)) draft.writtenId = v;
}
