// The document outline: sections, and layers labelled `id · Kind → [shape]`.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeModel } from '../../src/analysis/analyze';
import { documentSymbols, type OutlineSymbol } from '../../src/language/symbols';

const example = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'digits-cnn.nn.yaml'), 'utf8');
const slice = (text: string, r: { start: number; end: number }) => text.slice(r.start, r.end);

function assertNested(s: OutlineSymbol, parent?: OutlineSymbol): void {
  assert.ok(s.selectionRange.start >= s.range.start && s.selectionRange.end <= s.range.end, `${s.name}: selection outside range`);
  if (parent) assert.ok(s.range.start >= parent.range.start && s.range.end <= parent.range.end, `${s.name}: outside ${parent.name}`);
  for (const c of s.children) assertNested(c, s);
}

describe('document symbols', () => {
  it('lists the top-level sections in order, with a detail each', () => {
    const symbols = documentSymbols(example, analyzeModel(example));
    assert.deepStrictEqual(
      symbols.map((s) => s.name),
      ['name', 'description', 'layers', 'loss', 'metrics', 'optimizer', 'schedule', 'training', 'data'],
    );
    const byName = Object.fromEntries(symbols.map((s) => [s.name, s]));
    assert.strictEqual(byName.name.detail, 'digits-cnn');
    assert.strictEqual(byName.optimizer.detail, 'adam');
    assert.strictEqual(byName.data.detail, 'digits');
    assert.strictEqual(byName.layers.detail, '9 layers · 151,434 parameters');
    assert.strictEqual(slice(example, byName.training.range), example.slice(example.indexOf('training:'), example.indexOf('\ndata:')));
    symbols.forEach((s) => assertNested(s));
  });

  it('lists one symbol per layer: id, kind and output shape, selecting the id', () => {
    const layers = documentSymbols(example, analyzeModel(example)).find((s) => s.name === 'layers')!;
    assert.deepStrictEqual(
      layers.children.map((c) => c.name),
      [
        'image · Input → [1, 8, 8]',
        'conv1 · Conv2D → [32, 8, 8]',
        'bn1 · BatchNorm → [32, 8, 8]',
        'conv2 · Conv2D → [64, 8, 8]',
        'pool · MaxPool2D → [64, 4, 4]',
        'flatten_1 · Flatten → [1024]',
        'hidden · Dense → [128]',
        'dropout_1 · Dropout → [128]',
        'logits · Dense → [10]',
      ],
    );
    assert.strictEqual(slice(example, layers.children[1].selectionRange), 'conv1');
    // Without an id the kind is selected.
    assert.strictEqual(slice(example, layers.children[5].selectionRange), 'Flatten');
    assert.ok(slice(example, layers.children[1].range).startsWith('id: conv1\n    type: Conv2D'));
    assert.ok(slice(example, layers.children[1].range).endsWith('activation: relu'));
  });

  it('marks layers whose shape could not be inferred, and reads flow-style sections', () => {
    const text = 'layers:\n  - {type: Input, shape: [3]}\n  - {type: Conv2D, filters: 2, kernel_size: 3}\noptimizer: {type: sgd, lr: 0.1}\n';
    const symbols = documentSymbols(text, analyzeModel(text));
    assert.deepStrictEqual(symbols[0].children.map((c) => c.name), ['input_1 · Input → [3]', 'conv2d_1 · Conv2D → ?']);
    assert.strictEqual(symbols[1].detail, 'sgd');
  });

  it('falls back to the text when there is no analysis (broken YAML)', () => {
    const broken = 'name: b\nlayers:\n  - id: a\n    type: Input\n    shape: [2\n  - type: Dense\n    units: 3\nloss: mse\n';
    const symbols = documentSymbols(broken, null);
    assert.deepStrictEqual(symbols.map((s) => s.name), ['name', 'layers', 'loss']);
    assert.deepStrictEqual(symbols[1].children.map((c) => c.name), ['a · Input', 'dense_1 · Dense']);
    symbols.forEach((s) => assertNested(s));
  });

  it('returns nothing for an empty document', () => {
    assert.deepStrictEqual(documentSymbols('', null), []);
    assert.deepStrictEqual(documentSymbols('# only a comment\n', null), []);
  });
});
