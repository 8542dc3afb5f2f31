// Data-driven parser tests: every test/fixtures/parse/*.nn.yaml is parsed and compared with the
// facts in the *.expected.json beside it (diagnostics with line:col and message, layer ids, kinds,
// inputs, outputs, sections); and every source range the parser reports must point at the text
// it stands for.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseModel } from '../../src/model/parse';
import type { ModelSpec, Range } from '../../src/model/types';
import { parseFacts, type ParseFacts } from './parse-fixture-summary';

const fixtureDir = path.join(__dirname, '..', 'fixtures', 'parse');
const fixtures = fs
  .readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.nn.yaml'))
  .sort();

function slice(text: string, r: Range): string {
  return text.slice(r.start, r.end);
}

/** Every range lies inside the text and covers what it claims to. */
function checkRanges(text: string, model: ModelSpec): void {
  const inText = (r: Range, what: string): void => {
    assert.ok(r.start >= 0 && r.start <= r.end && r.end <= text.length, `${what}: range ${r.start}-${r.end} is outside the text`);
  };
  for (const l of model.layers) {
    inText(l.range, `layer ${l.id}`);
    inText(l.kindRange, `kind of ${l.id}`);
    if (l.kind) assert.ok(slice(text, l.kindRange).includes(l.kind), `kind range of ${l.id} shows "${slice(text, l.kindRange)}"`);
    if (l.idWritten) assert.ok(slice(text, l.idRange).includes(l.id), `id range of ${l.id} shows "${slice(text, l.idRange)}"`);
    for (const [key, v] of Object.entries(l.params)) {
      inText(v.range, `${l.id}.${key}`);
      assert.strictEqual(slice(text, v.keyRange!), key, `key range of ${l.id}.${key}`);
    }
    if (!l.implicitInputs) {
      for (const r of l.inputs) assert.ok(slice(text, r.range).includes(r.id), `input ${r.id} of ${l.id} shows "${slice(text, r.range)}"`);
    }
  }
}

describe('parseModel fixtures', () => {
  it('has a fixture set covering the required cases', () => {
    assert.ok(fixtures.length >= 12, `only ${fixtures.length} fixtures`);
    for (const f of fixtures) {
      const expected = path.join(fixtureDir, f.replace(/\.nn\.yaml$/, '.expected.json'));
      assert.ok(fs.existsSync(expected), `${f} has no .expected.json`);
    }
  });

  for (const file of fixtures) {
    it(file, () => {
      const text = fs.readFileSync(path.join(fixtureDir, file), 'utf8');
      const expected = JSON.parse(
        fs.readFileSync(path.join(fixtureDir, file.replace(/\.nn\.yaml$/, '.expected.json')), 'utf8'),
      ) as ParseFacts;
      const result = parseModel(text);
      assert.deepStrictEqual(parseFacts(text, result), expected);
      if (result.model) checkRanges(text, result.model);
      for (const d of result.diagnostics) {
        assert.ok(d.range.start >= 0 && d.range.end <= text.length && d.range.start <= d.range.end, `${d.code} range`);
      }
    });
  }
});

describe('parseModel on the examples', () => {
  const exampleDir = path.join(__dirname, '..', '..', 'examples');
  for (const file of fs.readdirSync(exampleDir).filter((f) => f.endsWith('.nn.yaml'))) {
    it(`${file} parses without diagnostics`, () => {
      const text = fs.readFileSync(path.join(exampleDir, file), 'utf8');
      const result = parseModel(text);
      assert.deepStrictEqual(result.diagnostics, []);
      assert.ok(result.model && result.model.layers.length > 0);
      checkRanges(text, result.model);
    });
  }
});
