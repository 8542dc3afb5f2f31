// The host's model → graph mapping: layers with their written parameters, shapes, counts and
// problems; edges with tensor labels; empty and unreadable files.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeModel } from '../../../src/analysis/analyze';
import { buildGraphModel, paramSummary } from '../../../src/extension/graph/graphView';
import { formatShape } from '../../../src/language/shapeText';

const examples = path.resolve(__dirname, '../../../examples');
const graphOf = (text: string) => buildGraphModel(text, analyzeModel(text), 'm.nn.yaml', 7);

describe('graph editor: model → graph', () => {
  it('maps every layer of an example with the analyser\'s shapes and parameter counts', () => {
    const text = fs.readFileSync(path.join(examples, 'residual-mlp.nn.yaml'), 'utf8');
    const analysis = analyzeModel(text);
    const g = graphOf(text);
    assert.strictEqual(g.version, 7);
    assert.deepStrictEqual(g.layers.map((l) => l.id), analysis.model!.layers.map((l) => l.id));
    for (const info of analysis.summary!.layers) {
      const l = g.layers.find((x) => x.id === info.spec.id)!;
      assert.strictEqual(l.output, formatShape(info.output!));
      assert.strictEqual(l.paramCount, info.paramCount);
      assert.strictEqual(l.line, text.slice(0, info.spec.range.start).split('\n').length - 1);
    }
    assert.strictEqual(g.totalParams, analysis.summary!.totalParams);
    assert.deepStrictEqual(g.layers.find((l) => l.id === 'joined')!.params, { axis: -1 });
    assert.deepStrictEqual(g.layers.find((l) => l.id === 'out')!.isOutput, true);
  });

  it('draws one edge per input, in input order, labelled with the source tensor', () => {
    const text = fs.readFileSync(path.join(examples, 'residual-mlp.nn.yaml'), 'utf8');
    const g = graphOf(text);
    const joined = g.edges.filter((e) => e.target === 'joined');
    assert.deepStrictEqual(joined.map((e) => [e.source, e.index, e.label]), [
      ['skip', 0, g.layers.find((l) => l.id === 'skip')!.output],
      ['x', 1, '[2]'],
    ]);
    // Implicit inputs (the previous layer) are edges too.
    assert.ok(g.edges.some((e) => e.source === 'x' && e.target === 'h1'));
    assert.strictEqual(g.layers.find((l) => l.id === 'h1')!.implicitInputs, true);
  });

  it('puts a layer\'s problems on its card and the rest on the model', () => {
    const text = fs.readFileSync(path.join(examples, 'digits-mlp.nn.yaml'), 'utf8').replace('units: 64', 'units: 64\n    inputs: [hidden1, image]');
    const analysis = analyzeModel(text);
    const wrong = analysis.diagnostics.find((d) => d.code === 'wrong-input-count')!;
    assert.ok(wrong, 'the edit makes a wrong-input-count problem');
    const g = graphOf(text);
    const card = g.layers.find((l) => l.id === wrong.layer)!;
    assert.deepStrictEqual(card.diagnostics[0], { severity: 'error', code: 'wrong-input-count', message: wrong.message });
    assert.ok(!g.modelDiagnostics.some((d) => d.code === 'wrong-input-count'));
  });

  it('an empty file is a start, not an error; a non-model file says why', () => {
    const empty = graphOf('');
    assert.deepStrictEqual([empty.layers.length, empty.unreadable], [0, undefined]);
    for (const text of ['layers: [\n', '- just\n- a list\n']) {
      const broken = graphOf(text);
      assert.strictEqual(broken.layers.length, 0);
      assert.ok(broken.unreadable && broken.unreadable.length > 0, `no reason given for ${JSON.stringify(text)}`);
    }
  });

  it('summarises the written parameters in metadata order, enums as bare values', () => {
    assert.strictEqual(paramSummary('Conv2D', { activation: 'relu', filters: 32, kernel_size: 3, padding: 'same' }), 'filters 32 · kernel_size 3 · same · relu');
    assert.strictEqual(paramSummary('Dense', { units: 8, extra: [1, 2] }), 'units 8 · extra [1, 2]');
    assert.strictEqual(paramSummary('Dense', {}), '');
  });
});
