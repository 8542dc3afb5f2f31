// Test helper: a document written with a `‸` where the cursor is.
export const CURSOR = '‸';

export function withCursor(source: string): { text: string; offset: number } {
  const offset = source.indexOf(CURSOR);
  if (offset < 0 || source.indexOf(CURSOR, offset + 1) >= 0) throw new Error(`the test text needs exactly one ${CURSOR}`);
  return { text: source.slice(0, offset) + source.slice(offset + 1), offset };
}
