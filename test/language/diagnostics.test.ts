// Offsets to editor line/column ranges, empty ranges made visible, and the quick fixes offered.
import * as assert from 'assert';
import { analyzeModel } from '../../src/analysis/analyze';
import type { Diagnostic } from '../../src/model/types';
import { RangeConverter, toEditorDiagnostics, visibleRange } from '../../src/language/diagnostics';
import { quickFixesAt, touches } from '../../src/language/quickfix';

const at = (line: number, character: number) => ({ line, character });
const span = (l1: number, c1: number, l2: number, c2: number) => ({ start: at(l1, c1), end: at(l2, c2) });

describe('diagnostics for the editor', () => {
  it('converts offsets to 0-based lines and columns, also across CRLF line ends', () => {
    const text = 'ab\ncd\r\nef';
    const conv = new RangeConverter(text);
    assert.deepStrictEqual(conv.position(0), at(0, 0));
    assert.deepStrictEqual(conv.position(3), at(1, 0));
    assert.deepStrictEqual(conv.position(7), at(2, 0));
    assert.deepStrictEqual(conv.position(9), at(2, 2));
    assert.deepStrictEqual(conv.position(99), at(2, 2));
    assert.strictEqual(conv.offset(at(2, 1)), 8);
  });

  it('widens empty ranges to one character so they can be seen', () => {
    const text = 'ab\ncd';
    assert.deepStrictEqual(visibleRange(text, { start: 1, end: 1 }), { start: 1, end: 2 });
    // At a line end: the character before.
    assert.deepStrictEqual(visibleRange(text, { start: 2, end: 2 }), { start: 1, end: 2 });
    assert.deepStrictEqual(visibleRange(text, { start: 5, end: 5 }), { start: 4, end: 5 });
    assert.deepStrictEqual(visibleRange('', { start: 0, end: 0 }), { start: 0, end: 0 });
    // Out-of-range offsets are clamped.
    assert.deepStrictEqual(visibleRange(text, { start: 3, end: 99 }), { start: 3, end: 5 });
  });

  it('converts the analysis diagnostics and their fixes', () => {
    const text = 'layers:\n  - type: Input\n    shape: [2]\n  - type: Dense\n    unit: 3\n';
    const result = analyzeModel(text);
    const problems = toEditorDiagnostics(text, result.diagnostics);
    const unknown = problems.find((p) => p.code === 'unknown-param');
    assert.ok(unknown, JSON.stringify(problems));
    assert.deepStrictEqual(unknown.range, span(4, 4, 4, 8));
    assert.strictEqual(unknown.severity, 'error');
    const fix = unknown.fixes.find((f) => f.edits.some((e) => e.newText === 'units'));
    assert.ok(fix, JSON.stringify(unknown.fixes));
    assert.deepStrictEqual(fix.edits[0].range, span(4, 4, 4, 8));
  });

  it('offers the fixes of the problems that touch the requested range', () => {
    const text = 'x: 1\ny: 2\n';
    const diagnostics: Diagnostic[] = [
      { severity: 'error', code: 'a', message: 'first', range: { start: 0, end: 1 }, fixes: [{ title: 'A', edits: [{ range: { start: 0, end: 1 }, newText: 'z' }] }] },
      {
        severity: 'warning',
        code: 'b',
        message: 'second',
        range: { start: 5, end: 6 },
        fixes: [
          { title: 'B1', edits: [{ range: { start: 5, end: 6 }, newText: 'w' }] },
          { title: 'B2', edits: [{ range: { start: 5, end: 9 }, newText: '' }] },
        ],
      },
      { severity: 'info', code: 'c', message: 'no fix', range: { start: 5, end: 6 } },
    ];
    const problems = toEditorDiagnostics(text, diagnostics);
    assert.deepStrictEqual(quickFixesAt(problems, span(0, 0, 0, 0)).map((f) => [f.title, f.diagnostic, f.preferred]), [['A', 0, true]]);
    const second = quickFixesAt(problems, span(1, 1, 1, 1));
    assert.deepStrictEqual(second.map((f) => [f.title, f.diagnostic, f.preferred]), [
      ['B1', 1, false],
      ['B2', 1, false],
    ]);
    assert.deepStrictEqual(second[1].edits[0].range, span(1, 0, 1, 4));
    assert.deepStrictEqual(quickFixesAt(problems, span(0, 3, 0, 4)), []);
  });

  it('treats touching ranges as overlapping', () => {
    assert.strictEqual(touches(span(0, 0, 0, 2), span(0, 2, 0, 2)), true);
    assert.strictEqual(touches(span(0, 0, 0, 2), span(0, 3, 0, 4)), false);
    assert.strictEqual(touches(span(1, 0, 3, 0), span(2, 5, 2, 6)), true);
  });
});
