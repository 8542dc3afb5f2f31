// The JSON Schema and the docs' reference tables are generated from the metadata: the committed
// files must match what scripts/gen-schema.ts generates now, the examples and valid fixtures must
// validate against the schema, and typical mistakes must not.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { parseModel } from '../../src/model/parse';
import { buildSchema, docBlocks, docsPath, loadMetadata, refreshDocs, schemaPath } from '../../scripts/gen-schema';
import { validate } from './json-schema-lite';

const root = path.join(__dirname, '..', '..');
const meta = loadMetadata();
const schema = buildSchema(meta);
const regenerate = 'run `npx tsx scripts/gen-schema.ts` to regenerate it';

function errorsOf(text: string): string[] {
  return validate(schema, parseYaml(text)).map((e) => `${e.path || '/'}: ${e.message}`);
}

/** The yaml code blocks of the docs that are whole models. */
function docModels(): string[] {
  const text = fs.readFileSync(docsPath, 'utf8');
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.filter((b) => /^layers:/m.test(b));
}

describe('JSON Schema and format docs', () => {
  it('the committed schema is the generated one', () => {
    const committed = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
    assert.deepStrictEqual(committed, schema, `schemas/nn-model.schema.json is out of date; ${regenerate}`);
  });

  it('the reference tables in docs/model-format.md are the generated ones', () => {
    const text = fs.readFileSync(docsPath, 'utf8');
    assert.strictEqual(text, refreshDocs(text, docBlocks(meta)), `docs/model-format.md is out of date; ${regenerate}`);
  });

  it('describes every layer kind and parameter of layers.json', () => {
    const defs = schema.definitions as Record<string, { properties: Record<string, { description?: string }> }>;
    for (const [kind, layer] of Object.entries(meta.layers)) {
      assert.ok(defs[kind], `no schema for ${kind}`);
      for (const p of Object.keys(layer.params)) assert.ok(defs[kind].properties[p]?.description, `${kind}.${p} has no description`);
    }
  });

  const valid: [string, string][] = [];
  for (const f of fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.nn.yaml'))) {
    valid.push([`examples/${f}`, fs.readFileSync(path.join(root, 'examples', f), 'utf8')]);
  }
  const fixtureDir = path.join(root, 'test', 'fixtures', 'parse');
  for (const f of fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.nn.yaml'))) {
    const text = fs.readFileSync(path.join(fixtureDir, f), 'utf8');
    if (parseModel(text).diagnostics.length === 0) valid.push([`fixtures/parse/${f}`, text]);
  }
  docModels().forEach((text, i) => valid.push([`docs example ${i + 1}`, text]));

  it('checks a reasonable number of valid files', () => {
    assert.ok(valid.length >= 10, `only ${valid.length} valid files`);
    assert.ok(docModels().length >= 4, 'the docs show the complete examples');
  });

  for (const [name, text] of valid) {
    it(`${name} validates`, () => {
      assert.deepStrictEqual(parseModel(text).diagnostics, [], 'it parses cleanly');
      assert.deepStrictEqual(errorsOf(text), []);
    });
  }

  it('rejects typical mistakes', () => {
    const head = 'layers:\n  - type: Input\n    shape: [4]\n';
    const cases: [string, RegExp][] = [
      [`${head}  - type: Dense\n    unit: 3\n`, /unit|units/],
      [`${head}  - type: Dense\n`, /missing units/],
      [`${head}  - type: Dense\n    units: 0\n`, /0 < 1/],
      [`${head}  - type: Dense\n    units: 2.5\n`, /expected integer/],
      [`${head}  - type: Dense\n    units: 3\n    activation: swish\n`, /not one of/],
      [`${head}  - type: Conv2D\n    filters: 3\n    kernel_size: [3, 3, 3]\n`, /more than 2 items/],
      [`${head}  - type: Conv2D\n    filters: 3\n    kernel_size: 3\n    padding: full\n`, /not one of|expected integer/],
      [`${head}  - type: Dropout\n    rate: 1\n`, /1 >= 1/],
      [`${head}  - type: Densse\n    units: 3\n`, /not one of/],
      [`${head}  - Dense\n`, /not one of|expected object/],
      [`${head}optimizer: {type: adam, momentum: 0.9}\n`, /no value is allowed here/],
      [`${head}loss: hinge\n`, /not one of|expected object/],
      [`${head}training: {epochs: 0}\n`, /0 < 1/],
      [`${head}training: {early_stopping: {mode: up}}\n`, /not one of/],
      [`${head}optimiser: adam\n`, /no value is allowed here/],
      ['name: no-layers\n', /missing layers/],
    ];
    for (const [text, pattern] of cases) {
      const errors = errorsOf(text);
      assert.ok(errors.length > 0, `accepted:\n${text}`);
      assert.match(errors.join('\n'), pattern, text);
    }
  });
});
