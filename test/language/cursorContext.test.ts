// Where the cursor is in the model's structure, read from the text around it (fixture cases).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { cursorContext, type PathStep } from '../../src/language/cursorContext';
import { withCursor } from './cursor';

interface Case {
  name: string;
  text: string;
  expect: {
    at: string;
    path?: string;
    key?: string;
    prefix?: string;
    siblings?: string[];
    items?: string[];
    flow?: boolean;
    needsSpace?: boolean;
    indentCol?: number;
    replaced?: string;
  };
}

const cases: Case[] = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'cursor-contexts.json'), 'utf8'));

const showPath = (steps: PathStep[]) => steps.map((s) => (s.type === 'key' ? s.key : '-')).join('/');

describe('cursorContext', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { text, offset } = withCursor(c.text);
      const ctx = cursorContext(text, offset);
      const e = c.expect;
      assert.strictEqual(ctx.at, e.at);
      if (e.path !== undefined) assert.strictEqual(showPath(ctx.path), e.path);
      if (e.key !== undefined) assert.strictEqual(ctx.key, e.key);
      if (e.prefix !== undefined) assert.strictEqual(ctx.prefix, e.prefix);
      if (e.siblings !== undefined) assert.deepStrictEqual([...ctx.siblings.keys()].sort(), [...e.siblings].sort());
      if (e.items !== undefined) assert.deepStrictEqual(ctx.items, e.items);
      if (e.flow !== undefined) assert.strictEqual(ctx.flow, e.flow);
      if (e.needsSpace !== undefined) assert.strictEqual(ctx.needsSpace, e.needsSpace);
      if (e.indentCol !== undefined) assert.strictEqual(ctx.indentCol, e.indentCol);
      if (e.replaced !== undefined) assert.strictEqual(text.slice(ctx.replace.start, ctx.replace.end), e.replaced);
    });
  }

  it('records the line of each item step, so the enclosing layer can be found', () => {
    const { text, offset } = withCursor('layers:\n  - type: Input\n    shape: [2]\n  - type: Dense\n    un‸\n');
    const ctx = cursorContext(text, offset);
    assert.deepStrictEqual(ctx.path, [
      { type: 'key', key: 'layers', line: 0 },
      { type: 'item', line: 3 },
    ]);
  });

  it('never throws on arbitrary text and offsets', () => {
    const samples = ['', '\n\n', '- - - x', '{[{[', 'a: b: c: d', '"unterminated: x', ':\n  :\n- :', '\t- x\n\ty: 1'];
    for (const s of samples) for (let o = -1; o <= s.length + 1; o++) cursorContext(s, o);
  });
});
