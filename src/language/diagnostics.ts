// Diagnostics as the editor wants them: 0-based line/column ranges instead of offsets. The
// analysis keeps offsets; this is the one place that converts them for the editor.
import { LineIndex, type Diagnostic, type QuickFix, type Range, type Severity } from '../model/types';

export interface Position {
  line: number;
  character: number;
}

export interface LineRange {
  start: Position;
  end: Position;
}

export interface LineEdit {
  range: LineRange;
  newText: string;
}

export interface EditorFix {
  title: string;
  edits: LineEdit[];
}

export interface EditorDiagnostic {
  severity: Severity;
  range: LineRange;
  message: string;
  code: string;
  layer?: string;
  fixes: EditorFix[];
}

/** Offsets to line/column, through a LineIndex built once per document text. */
export class RangeConverter {
  private readonly index: LineIndex;
  constructor(readonly text: string) {
    this.index = new LineIndex(text);
  }
  position(offset: number): Position {
    const p = this.index.position(offset);
    return { line: p.line, character: p.col };
  }
  range(r: Range): LineRange {
    return { start: this.position(r.start), end: this.position(Math.max(r.start, r.end)) };
  }
  offset(p: Position): number {
    return this.index.offset(p.line, p.character);
  }
}

/**
 * The range a problem is shown on. An empty range would draw no squiggle, so it is widened to the
 * character after it when that is on the same line (or the one before, at a line end).
 */
export function visibleRange(text: string, r: Range): Range {
  const start = Math.max(0, Math.min(r.start, text.length));
  const end = Math.max(start, Math.min(r.end, text.length));
  if (end > start) return { start, end };
  if (start < text.length && text[start] !== '\n' && text[start] !== '\r') return { start, end: start + 1 };
  if (start > 0 && text[start - 1] !== '\n') return { start: start - 1, end: start };
  return { start, end };
}

function convertFix(conv: RangeConverter, fix: QuickFix): EditorFix {
  return { title: fix.title, edits: fix.edits.map((e) => ({ range: conv.range(e.range), newText: e.newText })) };
}

/** The analysis' diagnostics of `text` with line/column ranges (for the problem and its fixes). */
export function toEditorDiagnostics(text: string, diagnostics: readonly Diagnostic[]): EditorDiagnostic[] {
  const conv = new RangeConverter(text);
  return diagnostics.map((d) => ({
    severity: d.severity,
    range: conv.range(visibleRange(text, d.range)),
    message: d.message,
    code: d.code,
    layer: d.layer,
    fixes: (d.fixes ?? []).map((f) => convertFix(conv, f)),
  }));
}
