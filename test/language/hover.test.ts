// Hover text on layers, parameters, references and settings.
import * as assert from 'assert';
import { analyzeModel } from '../../src/analysis/analyze';
import { getLayerMeta, sectionMeta } from '../../src/analysis/layers';
import { formatFlops } from '../../src/cli/format';
import { hoverAt } from '../../src/language/hover';

const model = [
  'name: demo',
  'layers:',
  '  - id: image',
  '    type: Input',
  '    shape: [1, 8, 8]',
  '  - id: conv',
  '    type: Conv2D',
  '    filters: 4',
  '    kernel_size: 3',
  '  - type: Flatten',
  '  - id: head',
  '    type: Dense',
  '    units: 10',
  '    inputs: [flatten_1]',
  'loss: cross_entropy',
  'optimizer:',
  '  type: adam',
  '  lr: 0.01',
  'metrics: [accuracy]',
  'data: {source: digits}',
  '',
].join('\n');
const analysis = analyzeModel(model);

/** Hover with the mouse on the n-th occurrence of `needle` (at its first character + `shift`). */
function hoverOn(needle: string, shift = 0, text = model, a: ReturnType<typeof analyzeModel> | null = analysis) {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `no "${needle}" in the text`);
  const h = hoverAt(text, at + shift, a);
  assert.ok(h, `no hover on "${needle}"`);
  return { ...h, word: text.slice(h.range.start, h.range.end) };
}

describe('hover', () => {
  it('the analysis has no errors (the hovers below rely on its shapes)', () => {
    assert.deepStrictEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), []);
  });

  it('on a layer kind: doc, input and output shapes, parameters and FLOPs', () => {
    const h = hoverOn('Conv2D', 2);
    assert.strictEqual(h.word, 'Conv2D');
    assert.match(h.markdown, /^\*\*conv\*\* · `Conv2D` \*\(convolution\)\*/);
    assert.ok(h.markdown.includes(getLayerMeta('Conv2D')!.doc));
    assert.ok(h.markdown.includes('`[1, 8, 8]` → `[4, 6, 6]`'), h.markdown);
    // 4 filters x 1 channel x 3 x 3 + 4 biases = 40; 2 FLOPs per multiply-add: 4*6*6*9*2 = 2592 at least.
    assert.ok(h.markdown.includes('**Parameters** 40 — weight `[4, 1, 3, 3]`, bias `[4]`'), h.markdown);
    const flops = analysis.summary!.layers.find((l) => l.spec.id === 'conv')!.flops;
    assert.ok(flops >= 2592);
    assert.ok(h.markdown.includes(`**Compute** ${formatFlops(flops)} per sample`), h.markdown);
  });

  it('on an id and on the item marker of a layer without id', () => {
    assert.match(hoverOn('id: head', 5).markdown, /^\*\*head\*\* · `Dense`/);
    const dash = hoverOn('- type: Flatten');
    assert.strictEqual(dash.word, '-');
    assert.match(dash.markdown, /^\*\*flatten_1\*\* · `Flatten`/);
    assert.ok(dash.markdown.includes('`[4, 6, 6]` → `[144]`'), dash.markdown);
    assert.ok(!dash.markdown.includes('**Parameters**'), 'no cost line for a layer without parameters or compute');
  });

  it('leaves the costs out when asked to', () => {
    const at = model.indexOf('Conv2D');
    const h = hoverAt(model, at, analysis, { showCosts: false })!;
    assert.ok(!h.markdown.includes('Parameters'));
    assert.ok(h.markdown.includes('→ `[4, 6, 6]`'));
  });

  it('on a parameter key: doc, what it takes, the default and the value used', () => {
    const h = hoverOn('kernel_size', 3);
    assert.strictEqual(h.word, 'kernel_size');
    assert.match(h.markdown, /^\*\*kernel_size\*\* · `Conv2D` parameter/);
    assert.ok(h.markdown.includes(getLayerMeta('Conv2D')!.params.kernel_size.doc));
    assert.ok(h.markdown.includes('required'));
    assert.ok(h.markdown.includes('Value used: `[3, 3]`'), h.markdown);
    const units = hoverOn('units', 1);
    assert.ok(units.markdown.includes('Takes an integer ≥ 1'), units.markdown);
  });

  it('on an id in inputs: the referenced layer and its output shape', () => {
    const h = hoverOn('flatten_1]', 2);
    assert.strictEqual(h.word, 'flatten_1');
    assert.match(h.markdown, /^\*\*flatten_1\*\* · `Flatten` → `\[144\]`/);
  });

  it('on top-level keys, section types, section options, metrics and data sources', () => {
    assert.match(hoverOn('layers:', 1).markdown, /^\*\*layers\*\* · top-level section/);
    const adam = hoverOn('adam', 1);
    assert.ok(adam.markdown.includes(sectionMeta.optimizer.types.adam.doc));
    const lr = hoverOn('lr:', 0);
    assert.match(lr.markdown, /^\*\*lr\*\* · optimizer `adam` option/);
    assert.ok(lr.markdown.includes('default `0.001`'), lr.markdown);
    assert.ok(hoverOn('cross_entropy', 1).markdown.includes(sectionMeta.loss.types.cross_entropy.doc));
    assert.ok(hoverOn('accuracy', 1).markdown.includes(sectionMeta.metrics.values.accuracy));
    assert.match(hoverOn('digits', 1).markdown, /^\*\*digits\*\* · data source/);
  });

  it('without an analysis (broken YAML): the kind doc, read from the text', () => {
    const broken = 'layers:\n  - type: LSTM\n    units: [4\n  - type: Dense\n    units: 2\n';
    const h = hoverAt(broken, broken.indexOf('LSTM') + 1, null)!;
    assert.match(h.markdown, /^\*\*lstm_1\*\* · `LSTM`/);
    assert.ok(!h.markdown.includes('**Shape**'));
    const p = hoverAt(broken, broken.indexOf('units') + 1, null)!;
    assert.match(p.markdown, /^\*\*units\*\* · `LSTM` parameter/);
  });

  it('says so when a key is not a parameter of the kind', () => {
    const text = 'layers:\n  - type: Dense\n    units: 2\n    filters: 3\n';
    const h = hoverAt(text, text.indexOf('filters') + 1, analyzeModel(text))!;
    assert.strictEqual(h.markdown, '`filters` is not a parameter of `Dense`.');
  });

  it('shows the error of a layer whose shape cannot be inferred', () => {
    const text = 'layers:\n  - type: Input\n    shape: [3]\n  - type: Conv2D\n    filters: 2\n    kernel_size: 3\n';
    const a = analyzeModel(text);
    const h = hoverAt(text, text.indexOf('Conv2D') + 1, a)!;
    assert.ok(h.markdown.includes('→ ?'), h.markdown);
    const err = a.diagnostics.find((d) => d.layer === 'conv2d_1' && d.severity === 'error');
    assert.ok(err, 'the analysis reports the rank mismatch');
    assert.ok(h.markdown.includes(err.message));
  });

  it('has nothing to say on blank space and comments', () => {
    assert.strictEqual(hoverAt('layers:\n\n  # note\n', 8, null), null);
    assert.strictEqual(hoverAt('layers:\n\n  # note\n', 13, null), null);
  });
});
