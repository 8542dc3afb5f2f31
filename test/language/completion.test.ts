// Completion at several cursor positions, on valid and on half-typed (broken) YAML.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeModel } from '../../src/analysis/analyze';
import { getLayerMeta, layerKinds, optimizerNames } from '../../src/analysis/layers';
import { completionsAt, wantsCompletionAfter, type CompletionEntry } from '../../src/language/completion';
import { withCursor } from './cursor';

function complete(source: string, withAnalysisOf?: string): { entries: CompletionEntry[]; text: string; offset: number } {
  const { text, offset } = withCursor(source);
  const analysis = withAnalysisOf !== undefined ? analyzeModel(withAnalysisOf) : undefined;
  return { entries: completionsAt(text, offset, analysis), text, offset };
}

const labels = (entries: CompletionEntry[]) => entries.map((e) => e.label);
const find = (entries: CompletionEntry[], label: string) => {
  const e = entries.find((x) => x.label === label);
  assert.ok(e, `expected a completion "${label}" among ${labels(entries).join(', ')}`);
  return e;
};

describe('completion', () => {
  it('offers every layer kind, with its doc, after `type: `', () => {
    const { entries } = complete('layers:\n  - type: Input\n    shape: [4]\n  - type: ‸\n');
    assert.deepStrictEqual(labels(entries), [...layerKinds]);
    const dense = find(entries, 'Dense');
    assert.strictEqual(dense.kind, 'layerKind');
    assert.strictEqual(dense.documentation, getLayerMeta('Dense')!.doc);
    assert.strictEqual(dense.insertText, 'Dense');
  });

  it('replaces the whole kind being retyped and adds the space missing after a colon', () => {
    const retyped = complete('layers:\n  - type: Den‸se\n');
    const e = find(retyped.entries, 'Dense');
    assert.strictEqual(retyped.text.slice(e.replace.start, e.replace.end), 'Dense');
    const tight = complete('layers:\n  - type:‸');
    assert.strictEqual(find(tight.entries, 'LSTM').insertText, ' LSTM');
  });

  it('offers the parameters a layer does not have yet, required first, as snippets', () => {
    const { entries } = complete('layers:\n  - type: Input\n    shape: [1, 8, 8]\n  - type: Conv2D\n    padding: same\n    ‸\n');
    const names = labels(entries);
    for (const p of ['filters', 'kernel_size', 'strides', 'dilation', 'groups', 'activation', 'use_bias', 'id', 'inputs']) {
      assert.ok(names.includes(p), `missing ${p}`);
    }
    assert.ok(!names.includes('padding'), 'padding is already written');
    assert.ok(!names.includes('type'), 'type is already written');
    assert.ok(!names.includes('units'), 'units is not a Conv2D parameter');
    const sorted = [...entries].sort((a, b) => a.sortText.localeCompare(b.sortText)).map((e) => e.label);
    assert.deepStrictEqual(sorted.slice(0, 2), ['filters', 'kernel_size']);
    const filters = find(entries, 'filters');
    assert.strictEqual(filters.snippet, true);
    assert.strictEqual(filters.insertText, 'filters: ${1:32}');
    assert.strictEqual(find(entries, 'activation').insertText, 'activation: ${1|relu,leaky_relu,gelu,sigmoid,tanh,softmax,linear|}');
    // use_bias defaults to true, so writing it means false: false comes first.
    assert.strictEqual(find(entries, 'use_bias').insertText, 'use_bias: ${1|false,true|}');
  });

  it('works while the layer above is broken YAML and the current key is half typed', () => {
    const { entries, text } = complete('layers:\n  - type: Input\n    shape: [2, \n  - type: Dense\n    uni‸\n  - type: [\n');
    const units = find(entries, 'units');
    assert.strictEqual(text.slice(units.replace.start, units.replace.end), 'uni');
    assert.strictEqual(units.insertText, 'units: ${1:64}');
  });

  it('only renames the key when the line already has its value', () => {
    const { entries } = complete('layers:\n  - type: Dense\n    uni‸: 3\n');
    assert.strictEqual(find(entries, 'units').insertText, 'units');
  });

  it('offers the values of enum and boolean parameters', () => {
    const act = complete('layers:\n  - type: Dense\n    units: 4\n    activation: ‸\n');
    assert.deepStrictEqual(labels(act.entries), ['relu', 'leaky_relu', 'gelu', 'sigmoid', 'tanh', 'softmax', 'linear']);
    const bool = complete('layers:\n  - type: LSTM\n    units: 4\n    return_sequences: ‸\n');
    assert.deepStrictEqual(labels(bool.entries), ['true', 'false']);
    const pad = complete('layers:\n  - {type: Conv2D, filters: 4, kernel_size: 3, padding: ‸}\n');
    assert.deepStrictEqual(labels(pad.entries), ['valid', 'same']);
  });

  it('offers the ids of earlier layers in inputs:, nearest first, without the ones listed or later ones', () => {
    const doc = [
      'layers:',
      '  - id: x',
      '    type: Input',
      '    shape: [2]',
      '  - id: h1',
      '    type: Dense',
      '    units: 8',
      '  - type: Dense',
      '    units: 8',
      '  - id: join',
      '    type: Add',
      '    inputs: [h1, ‸]',
      '  - id: later',
      '    type: Dense',
      '    units: 2',
      '',
    ].join('\n');
    // The unnamed Dense is the second Dense layer, so its generated id is dense_2.
    const { entries } = complete(doc, doc.replace('‸', 'dense_2'));
    assert.deepStrictEqual(labels(entries), ['dense_2', 'x']);
    assert.strictEqual(find(entries, 'dense_2').detail, 'Dense → [8]');
    assert.strictEqual(find(entries, 'x').kind, 'layerRef');
  });

  it('offers earlier ids in a block list of inputs too', () => {
    const { entries } = complete('layers:\n  - id: a\n    type: Input\n    shape: [3]\n  - id: b\n    type: Dense\n    units: 3\n  - type: Concat\n    inputs:\n      - a\n      - ‸\n');
    assert.deepStrictEqual(labels(entries), ['b']);
  });

  it('offers a whole new layer with its required parameters after `- ` in layers', () => {
    const { entries } = complete('layers:\n  - type: Input\n    shape: [2]\n  - ‸\n');
    assert.strictEqual(entries.length, layerKinds.length);
    const conv = find(entries, 'Conv2D');
    assert.strictEqual(conv.kind, 'newLayer');
    assert.strictEqual(conv.insertText, 'type: Conv2D\n    filters: ${1:32}\n    kernel_size: ${2:3}$0');
    assert.strictEqual(find(entries, 'Flatten').insertText, 'type: Flatten$0');
  });

  it('offers the top-level sections that are not written yet', () => {
    const { entries } = complete('name: m\nlayers:\n  - type: Input\n    shape: [2]\n‸\noptimizer: adam\n');
    const names = labels(entries);
    assert.ok(!names.includes('name') && !names.includes('layers') && !names.includes('optimizer'));
    for (const k of ['loss', 'metrics', 'schedule', 'training', 'data', 'outputs', 'description']) assert.ok(names.includes(k), `missing ${k}`);
    assert.strictEqual(find(entries, 'loss').kind, 'section');
    assert.match(find(entries, 'loss').insertText, /^loss:\n {2}type: \$\{1\|cross_entropy,/);
  });

  it('offers section types and options from sections.json', () => {
    const types = complete('optimizer:\n  type: ‸\n');
    assert.deepStrictEqual(labels(types.entries), [...optimizerNames]);
    const opts = complete('optimizer:\n  type: sgd\n  lr: 0.1\n  ‸\n');
    assert.deepStrictEqual(labels(opts.entries).sort(), ['clip_norm', 'momentum', 'nesterov', 'weight_decay']);
    const scalar = complete('loss: ‸');
    assert.ok(labels(scalar.entries).includes('cross_entropy'));
  });

  it('offers data sources and the chosen source options', () => {
    const sources = complete('data:\n  source: ‸\n');
    for (const s of ['spirals', 'digits', 'sorted', 'csv']) assert.ok(labels(sources.entries).includes(s), `missing ${s}`);
    const opts = complete('data:\n  source: sorted\n  ‸\n');
    assert.deepStrictEqual(labels(opts.entries).sort(), ['length', 'samples', 'seed', 'vocab']);
  });

  it('offers early-stopping monitors and metric names', () => {
    const monitor = complete('training:\n  early_stopping:\n    monitor: ‸\n');
    assert.ok(labels(monitor.entries).includes('val_accuracy'));
    assert.ok(labels(monitor.entries).includes('val_loss'));
    const metrics = complete('metrics: [accuracy, ‸]\n');
    assert.ok(!labels(metrics.entries).includes('accuracy'));
    assert.ok(labels(metrics.entries).includes('top5_accuracy'));
  });

  it('offers nothing inside comments and block scalars', () => {
    assert.deepStrictEqual(complete('layers:  # type: ‸\n').entries, []);
    assert.deepStrictEqual(complete('description: |\n  type: ‸\n').entries, []);
  });

  it('opens the list on `:` and on a space after `:`, `- ` or `,` but not on other spaces', () => {
    const t = 'a: b\n  - x, y\nsome words here';
    assert.strictEqual(wantsCompletionAfter(t, 2), true); // after "a:"
    assert.strictEqual(wantsCompletionAfter(t, 3), true); // after "a: "
    assert.strictEqual(wantsCompletionAfter(t, 9), true); // after "- "
    assert.strictEqual(wantsCompletionAfter(t, 12), true); // after ", "
    assert.strictEqual(wantsCompletionAfter(t, 6), false); // indentation
    assert.strictEqual(wantsCompletionAfter(t, 19), false); // between words
    assert.strictEqual(wantsCompletionAfter(t, 10), false); // after a letter
  });

  it('stays fast on a 500-layer file (the list must appear while typing)', () => {
    const parts = ['layers:', '  - type: Input', '    shape: [16]'];
    for (let i = 0; i < 500; i++) parts.push(`  - id: d${i}`, '    type: Dense', '    units: 16', '    activation: relu');
    parts.push('  - type: Add', '    inputs: [d499, ‸]', '');
    const { text, offset } = withCursor(parts.join('\n'));
    completionsAt(text, offset); // warm-up
    const start = process.hrtime.bigint();
    let entries: CompletionEntry[] = [];
    for (let i = 0; i < 10; i++) entries = completionsAt(text, offset);
    const perCallMs = Number(process.hrtime.bigint() - start) / 1e6 / 10;
    assert.strictEqual(entries.length, 500);
    assert.strictEqual(entries[0].label, 'd498');
    assert.ok(perCallMs < 100, `${perCallMs.toFixed(1)} ms per completion`);
  });

  it('completes the examples at every offset without throwing', () => {
    const dir = path.join(__dirname, '..', '..', 'examples');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.nn.yaml'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (let o = 0; o <= text.length; o += 3) completionsAt(text, o);
    }
  });
});
