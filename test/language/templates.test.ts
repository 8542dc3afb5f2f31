// The model templates: each one is a valid model (no errors, no warnings); listing, naming and
// instantiating them; a broken templates folder degrades to what can still be read.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { analyzeModel } from '../../src/analysis/analyze';
import { freeFileName, instantiateTemplate, loadTemplates, modelFileName, modelNameOf } from '../../src/language/templates';
import { validate } from '../model/json-schema-lite';

const templatesDir = path.join(__dirname, '..', '..', 'templates');

describe('model templates', () => {
  const { templates, problems } = loadTemplates(templatesDir);

  it('lists MLP, CNN, LSTM and Transformer, each with a detail and a description', () => {
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(
      templates.map((t) => [t.label, t.file]),
      [
        ['MLP', 'mlp.nn.yaml'],
        ['CNN', 'cnn.nn.yaml'],
        ['LSTM', 'lstm.nn.yaml'],
        ['Transformer', 'transformer.nn.yaml'],
      ],
    );
    for (const t of templates) {
      assert.ok(t.detail.length > 10, `${t.file}: detail`);
      assert.ok(t.description.length > 20, `${t.file}: description`);
      assert.ok(t.text.startsWith('#'), `${t.file}: starts with a comment that explains it`);
    }
  });

  const expected: Record<string, { source: string; kinds: string[] }> = {
    'mlp.nn.yaml': { source: 'spirals', kinds: ['Input', 'Dense'] },
    'cnn.nn.yaml': { source: 'digits', kinds: ['Input', 'Conv2D', 'MaxPool2D', 'Dense'] },
    'lstm.nn.yaml': { source: 'sorted', kinds: ['Input', 'Embedding', 'LSTM', 'Dense'] },
    'transformer.nn.yaml': { source: 'sorted', kinds: ['Input', 'Embedding', 'PositionalEmbedding', 'TransformerEncoderBlock', 'Dense'] },
  };

  for (const file of Object.keys(expected)) {
    it(`${file} validates with no errors and no warnings`, () => {
      const text = fs.readFileSync(path.join(templatesDir, file), 'utf8');
      const result = analyzeModel(text);
      assert.deepStrictEqual(
        result.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`),
        [],
      );
      assert.ok(result.summary && result.summary.totalParams > 0);
      assert.ok(result.summary.layers.every((l) => l.output !== undefined));
      const kinds = new Set(result.summary.layers.map((l) => l.kind));
      for (const k of expected[file].kinds) assert.ok(kinds.has(k), `${file} uses ${k}`);
      assert.deepStrictEqual(result.model?.data?.type?.value ?? result.model?.data?.params.source?.value, expected[file].source);
    });

    it(`${file} matches the JSON Schema the YAML extension uses`, () => {
      const schema = JSON.parse(fs.readFileSync(path.join(templatesDir, '..', 'schemas', 'nn-model.schema.json'), 'utf8'));
      const text = fs.readFileSync(path.join(templatesDir, file), 'utf8');
      assert.deepStrictEqual(validate(schema, parseYaml(text)), []);
    });
  }

  it('sets the model name of a new file, keeping the line comment', () => {
    const t = { file: 'x.nn.yaml', label: 'X', detail: '', description: '', text: '# head\nname: old   # the name\nlayers: []\n' };
    assert.strictEqual(instantiateTemplate(t, 'my-net'), '# head\nname: my-net   # the name\nlayers: []\n');
    assert.strictEqual(instantiateTemplate(t, 'has space'), '# head\nname: "has space"   # the name\nlayers: []\n');
    assert.strictEqual(instantiateTemplate({ ...t, text: 'layers: []\n' }, 'n'), 'name: n\nlayers: []\n');
    for (const real of templates) {
      const made = instantiateTemplate(real, 'fresh');
      assert.strictEqual(analyzeModel(made).model?.name?.value, 'fresh');
    }
  });

  it('turns what the user typed into a model file name, or says what is wrong', () => {
    assert.deepStrictEqual(modelFileName('net'), { fileName: 'net.nn.yaml' });
    assert.deepStrictEqual(modelFileName(' net.nn.yaml '), { fileName: 'net.nn.yaml' });
    assert.deepStrictEqual(modelFileName('net.yaml'), { fileName: 'net.nn.yaml' });
    for (const bad of ['', '   ', 'a/b', 'a\\b', 'x:y', '..', '.nn.yaml', '.hidden']) {
      assert.ok('error' in modelFileName(bad), `"${bad}" should be refused`);
    }
    assert.strictEqual(modelNameOf('/some/dir/net.nn.yaml'), 'net');
  });

  it('picks the first free file name', () => {
    const taken = new Set(['mlp.nn.yaml', 'mlp-2.nn.yaml']);
    assert.strictEqual(freeFileName('mlp', (f) => taken.has(f)), 'mlp-3.nn.yaml');
    assert.strictEqual(freeFileName('cnn', (f) => taken.has(f)), 'cnn.nn.yaml');
  });

  it('without templates.json still offers the template files, and reports the problem', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerwise-templates-'));
    try {
      fs.writeFileSync(path.join(dir, 'b.nn.yaml'), 'description: second\nlayers: []\n');
      fs.writeFileSync(path.join(dir, 'a.nn.yaml'), 'layers: []\n');
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a template');
      const listed = loadTemplates(dir);
      assert.deepStrictEqual(listed.templates.map((t) => [t.label, t.description]), [
        ['a', ''],
        ['b', 'second'],
      ]);
      assert.strictEqual(listed.problems.length, 1);
      assert.match(listed.problems[0], /templates\.json could not be read/);
      // An index naming a missing file: the others are still listed.
      fs.writeFileSync(path.join(dir, 'templates.json'), JSON.stringify([{ file: 'gone.nn.yaml', label: 'Gone', detail: '' }, { file: 'a.nn.yaml', label: 'A', detail: 'd' }]));
      const indexed = loadTemplates(dir);
      assert.deepStrictEqual(indexed.templates.map((t) => t.label), ['A']);
      assert.match(indexed.problems[0], /gone\.nn\.yaml could not be read/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
