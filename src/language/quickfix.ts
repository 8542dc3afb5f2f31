// Quick fixes offered at a place in the editor: the fixes that come with the diagnostics whose
// range touches the requested range, as data the extension turns into code actions.
import type { EditorDiagnostic, LineEdit, LineRange, Position } from './diagnostics';

export interface QuickFixAction {
  title: string;
  edits: LineEdit[];
  /** Index (into the diagnostics given) of the problem this fixes. */
  diagnostic: number;
  /** The only fix of its problem: the editor may apply it with the "auto fix" shortcut. */
  preferred: boolean;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Whether two ranges overlap or touch (a cursor at a squiggle's edge counts). */
export function touches(a: LineRange, b: LineRange): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

export function quickFixesAt(diagnostics: readonly EditorDiagnostic[], range: LineRange): QuickFixAction[] {
  const actions: QuickFixAction[] = [];
  diagnostics.forEach((d, i) => {
    if (!touches(d.range, range)) return;
    for (const fix of d.fixes) {
      if (fix.edits.length === 0) continue;
      actions.push({ title: fix.title, edits: fix.edits, diagnostic: i, preferred: d.fixes.length === 1 });
    }
  });
  return actions;
}
