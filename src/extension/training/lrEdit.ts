// The "lower the learning rate" action after a NaN/Inf stop: one minimal edit of the model text
// that sets `optimizer.lr`, whatever form the optimizer section has (block or flow mapping,
// the `optimizer: adam` shorthand, or no section at all). Comments and layout stay as they are.
import { parseModel } from '../../model/parse';
import { LineIndex, type TextEdit } from '../../model/types';

export type LrEdit = { ok: true; edit: TextEdit; from?: number; to: number } | { ok: false; error: string };

/** `lr / 10` with three significant digits, written plainly. */
export function lowerLr(lr: number, factor = 10): number {
  return Number((lr / factor).toPrecision(3));
}

function lrText(v: number): string {
  return String(v);
}

/** Sets `optimizer.lr` to `lr` (`fallbackType` names the optimizer when the file has no section). */
export function setOptimizerLr(text: string, lr: number, fallbackType = 'sgd'): LrEdit {
  if (!Number.isFinite(lr) || lr <= 0) return { ok: false, error: `the learning rate must be a positive number, got ${lr}` };
  const parsed = parseModel(text);
  const model = parsed.model;
  if (!model) return { ok: false, error: 'the file is not a model (not a YAML mapping)' };
  const opt = model.optimizer;
  const value = lrText(lr);
  if (!opt) {
    const sep = text.endsWith('\n') || text === '' ? '' : '\n';
    return { ok: true, to: lr, edit: { range: { start: text.length, end: text.length }, newText: `${sep}optimizer:\n  type: ${fallbackType}\n  lr: ${value}\n` } };
  }
  const current = opt.params.lr;
  if (current) {
    return { ok: true, from: typeof current.value === 'number' ? current.value : undefined, to: lr, edit: { range: current.range, newText: value } };
  }
  const sectionText = text.slice(opt.range.start, opt.range.end);
  if (opt.type && opt.type.range.start === opt.range.start && !sectionText.trimStart().startsWith('{')) {
    // `optimizer: adam`: the shorthand becomes a flow mapping.
    return { ok: true, to: lr, edit: { range: opt.range, newText: `{type: ${String(opt.type.value)}, lr: ${value}}` } };
  }
  if (sectionText.trimStart().startsWith('{')) {
    const close = opt.range.start + sectionText.lastIndexOf('}');
    const inner = sectionText.slice(sectionText.indexOf('{') + 1, sectionText.lastIndexOf('}')).trim();
    return { ok: true, to: lr, edit: { range: { start: close, end: close }, newText: inner ? `, lr: ${value}` : `lr: ${value}` } };
  }
  // Block mapping: a new line after the section's first key, with its indentation.
  const lines = new LineIndex(text);
  const first = lines.position(opt.range.start);
  const indent = ' '.repeat(first.col);
  const lineEnd = text.indexOf('\n', opt.range.start);
  const at = lineEnd < 0 ? text.length : lineEnd;
  return { ok: true, to: lr, edit: { range: { start: at, end: at }, newText: `\n${indent}lr: ${value}` } };
}
