// Copying layers: the selected layers, in file order, with what they need to be recreated
// (kind, written parameters, inputs), and a YAML text version for pasting into the text editor.
import type { ClipLayer, GraphModel } from '../../../src/webview-protocol/graph';

export function clipLayers(model: GraphModel, selected: ReadonlySet<string>): ClipLayer[] {
  return model.layers
    .filter((l) => selected.has(l.id))
    .map((l) => ({ id: l.id, kind: l.kind, params: structuredCloneJson(l.params), inputs: [...l.inputs] }));
}

function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function yamlScalar(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(yamlScalar).join(', ')}]`;
  if (typeof v === 'string') return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(v) && !/^(true|false|null|yes|no|on|off)$/i.test(v) ? v : JSON.stringify(v);
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The copied layers as `layers:` items, as a person would paste them into the file. */
export function clipText(layers: readonly ClipLayer[]): string {
  return layers
    .map((l) => {
      const lines = [`- id: ${yamlScalar(l.id)}`, `  type: ${l.kind}`];
      if (l.inputs.length > 0) lines.push(`  inputs: ${yamlScalar(l.inputs)}`);
      for (const [k, v] of Object.entries(l.params)) lines.push(`  ${k}: ${yamlScalar(v)}`);
      return lines.join('\n');
    })
    .join('\n');
}
