// Text output for the terminal: the model summary as a table (like Keras `model.summary()`)
// and diagnostics as `file:line:col: severity: message`.
import { LineIndex } from '../model/types';
import type { Diagnostic } from '../model/types';
import type { LayerInfo, ModelSummary } from '../analysis/types';
import { fmtShape } from '../analysis/shapes';

/** 1234567 -> "1,234,567" (no locale dependence). */
export function groupDigits(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Bytes in binary units: "512 B", "1.5 KiB", "2.25 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${trim(v)} ${units[u]}`;
}

/** FLOPs in decimal units: "950 FLOPs", "2.69 MFLOPs", "1.2 GFLOPs". */
export function formatFlops(flops: number): string {
  const units = ['', 'k', 'M', 'G', 'T', 'P'];
  let v = flops;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} FLOPs` : `${trim(v)} ${units[u]}FLOPs`;
}

/** Three significant digits without trailing zeros. */
function trim(v: number): string {
  return String(Number(v.toPrecision(3)));
}

function row(cells: string[], widths: number[], rightAligned: boolean[]): string {
  return cells
    .map((c, i) => (rightAligned[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
}

function layerCells(l: LayerInfo): string[] {
  const shaped = l.output !== undefined;
  return [
    l.spec.id,
    l.kind || '?',
    shaped ? fmtShape(l.output!.shape) + (l.output!.dtype === 'int64' ? ' int64' : '') : '?',
    shaped ? groupDigits(l.paramCount) : '?',
    shaped ? groupDigits(l.flops) : '?',
    shaped ? formatBytes(l.activationBytes) : '?',
  ];
}

/** The totals line: parameters (total, trainable), FLOPs and activation memory per sample. */
export function formatTotals(summary: ModelSummary): string {
  return (
    `Total: ${groupDigits(summary.totalParams)} parameters (${groupDigits(summary.trainableParams)} trainable, ${formatBytes(summary.paramBytes)}), ` +
    `${formatFlops(summary.totalFlops)} and ${formatBytes(summary.totalActivationBytes)} of activations per sample`
  );
}

/** The summary table; `?` marks what could not be inferred because of an error. */
export function formatSummary(summary: ModelSummary, title?: string): string {
  const header = ['Layer (id)', 'Kind', 'Output shape', 'Params', 'FLOPs', 'Activation memory'];
  const right = [false, false, false, true, true, true];
  const rows = summary.layers.map(layerCells);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const width = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const lines: string[] = [];
  if (title) lines.push(`Model: ${title}`);
  lines.push(row(header, widths, right), '─'.repeat(width));
  for (const r of rows) lines.push(row(r, widths, right));
  lines.push('─'.repeat(width));
  if (summary.outputs.length) lines.push(`Outputs: ${summary.outputs.join(', ')}`);
  lines.push(formatTotals(summary));
  const unknown = summary.layers.filter((l) => !l.output).length;
  if (unknown > 0) lines.push(`(incomplete: ${unknown} layer${unknown === 1 ? ' has' : 's have'} no shape because of the errors reported)`);
  return lines.join('\n');
}

/** One diagnostic as `file:line:col: severity: message [code]`, line and column 1-based. */
export function formatDiagnostic(file: string, lines: LineIndex, d: Diagnostic): string {
  const p = lines.position(d.range.start);
  return `${file}:${p.line + 1}:${p.col + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

export function formatDiagnostics(file: string, text: string, diagnostics: readonly Diagnostic[]): string[] {
  const lines = new LineIndex(text);
  return diagnostics.map((d) => formatDiagnostic(file, lines, d));
}
