// What the training views need to know about a model document: its name (as the engine names
// runs), the written learning rate, and the line of each layer and section for decorations and
// warnings. Parsed once per document version.
import * as path from 'path';
import { parseModel } from '../../model/parse';
import { LineIndex, type ModelSpec, type Range } from '../../model/types';

export interface ModelInfo {
  name: string;
  /** `optimizer.lr` when written as a number. */
  lr?: number;
  optimizerType?: string;
  /** 0-based line of each layer's first line, by id. */
  layerLines: Map<string, number>;
  /** 0-based line of a section key (`training`) or of one of its keys (`training.batch_size`). */
  sectionLines: Map<string, number>;
}

const cache = new WeakMap<object, { version: number; info: ModelInfo }>();

/** The engine's rule: `name:` when written, else the file name without `.nn.yaml`. */
export function modelName(model: ModelSpec | null, file: string): string {
  const written = model?.name?.value;
  if (typeof written === 'string' && written.trim()) return written.trim();
  return path.basename(file).replace(/\.nn\.ya?ml$/i, '').replace(/\.ya?ml$/i, '') || 'model';
}

export function modelInfo(text: string, file: string): ModelInfo {
  const model = parseModel(text).model;
  const lines = new LineIndex(text);
  const lineOf = (r: Range) => lines.position(r.start).line;
  const layerLines = new Map<string, number>();
  const sectionLines = new Map<string, number>();
  for (const l of model?.layers ?? []) layerLines.set(l.id, lineOf(l.range));
  const sections = { training: model?.training, data: model?.data, optimizer: model?.optimizer } as const;
  for (const [name, s] of Object.entries(sections)) {
    if (!s) continue;
    sectionLines.set(name, lineOf(s.keyRange ?? s.range));
    for (const [key, v] of Object.entries(s.params)) sectionLines.set(`${name}.${key}`, lineOf(v.keyRange ?? v.range));
  }
  const lr = model?.optimizer?.params.lr?.value;
  const type = model?.optimizer?.type?.value;
  return { name: modelName(model, file), lr: typeof lr === 'number' ? lr : undefined, optimizerType: typeof type === 'string' ? type : undefined, layerLines, sectionLines };
}

/** `modelInfo` of a document, cached by its version. */
export function documentModelInfo(doc: { version: number; getText(): string; fileName: string }): ModelInfo {
  const hit = cache.get(doc);
  if (hit && hit.version === doc.version) return hit.info;
  const info = modelInfo(doc.getText(), doc.fileName);
  cache.set(doc, { version: doc.version, info });
  return info;
}
