// The graph's semantic edits as text edits: each equals the src/model/edit.ts operations it is made
// of, applied in turn, and comes back as one set of minimal edits (one undo step).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeModel } from '../../../src/analysis/analyze';
import { applyGraphEdit } from '../../../src/extension/graph/graphEdits';
import { addLayer, applyEdits, connect, disconnect, removeLayer, setLayerInputs, setLayerParam, type EditResult } from '../../../src/model/edit';
import type { GraphEdit } from '../../../src/webview-protocol/graph';
import { newLayerParams } from '../../../webview/graph/logic/palette';

const examples = path.resolve(__dirname, '../../../examples');
const read = (name: string) => fs.readFileSync(path.join(examples, name), 'utf8');

function step(text: string, r: EditResult): string {
  if (!r.ok) throw new Error(r.error);
  return applyEdits(text, r.edits);
}

function applied(text: string, edit: GraphEdit): { text: string; select: string[] } {
  const r = applyGraphEdit(text, edit);
  if (!r.ok) throw new Error(r.error);
  assert.strictEqual(applyEdits(text, r.edits), r.text, 'the returned edits produce the returned text');
  return { text: r.text, select: r.select };
}

describe('graph editor: edits', () => {
  const mlp = read('digits-mlp.nn.yaml');

  it('adds a layer from the palette with a fresh id, after the selected layer', () => {
    const r = applied(mlp, { type: 'addLayer', kind: 'Dense', params: newLayerParams('Dense'), after: 'hidden2' });
    assert.strictEqual(r.text, step(mlp, addLayer(mlp, { kind: 'Dense', id: 'dense_1', params: { units: 64 } }, { after: 'hidden2' })));
    assert.deepStrictEqual(r.select, ['dense_1']);
  });

  it('sets and removes parameters, connects, disconnects and sets inputs as edit.ts does', () => {
    assert.strictEqual(applied(mlp, { type: 'setParam', layer: 'hidden2', param: 'units', value: 32 }).text, step(mlp, setLayerParam(mlp, 'hidden2', 'units', 32)));
    assert.strictEqual(applied(mlp, { type: 'removeParam', layer: 'hidden2', param: 'activation' }).text, step(mlp, setLayerParam(mlp, 'hidden2', 'activation', undefined)));
    assert.strictEqual(applied(mlp, { type: 'connect', from: 'image', to: 'logits' }).text, step(mlp, connect(mlp, 'image', 'logits')));
    assert.strictEqual(applied(mlp, { type: 'setInputs', layer: 'logits', inputs: ['hidden1'] }).text, step(mlp, setLayerInputs(mlp, 'logits', ['hidden1'])));
    const two = [{ from: 'hidden2', to: 'logits' }, { from: 'hidden1', to: 'dropout_1' }];
    let expected = step(mlp, disconnect(mlp, 'hidden2', 'logits'));
    expected = step(expected, disconnect(expected, 'hidden1', 'dropout_1'));
    assert.strictEqual(applied(mlp, { type: 'disconnect', edges: two }).text, expected);
  });

  it('removes several layers in one edit', () => {
    let expected = step(mlp, removeLayer(mlp, 'dropout_1'));
    expected = step(expected, removeLayer(expected, 'hidden2'));
    assert.strictEqual(applied(mlp, { type: 'removeLayers', layers: ['dropout_1', 'hidden2'] }).text, expected);
    assert.deepStrictEqual(analyzeModel(expected).diagnostics.filter((d) => d.severity === 'error'), []);
  });

  it('reconnecting onto the same layer keeps the input in its place (Concat order)', () => {
    const residual = read('residual-mlp.nn.yaml');
    const r = applied(residual, { type: 'reconnect', from: 'skip', to: 'joined', newFrom: 'h1', newTo: 'joined' });
    assert.strictEqual(r.text, step(residual, setLayerInputs(residual, 'joined', ['h1', 'x'])));
    const moved = applied(residual, { type: 'reconnect', from: 'x', to: 'joined', newFrom: 'x', newTo: 'out' });
    const expected = step(step(residual, disconnect(residual, 'x', 'joined')), connect(step(residual, disconnect(residual, 'x', 'joined')), 'x', 'out'));
    assert.strictEqual(moved.text, expected);
  });

  it('pastes a copied chain at the end: fresh ids, the chain implicit, outside inputs kept', () => {
    const clip = [
      { id: 'hidden2', kind: 'Dense', params: { units: 64, activation: 'relu' }, inputs: ['dropout_1'] },
      { id: 'logits', kind: 'Dense', params: { units: 10 }, inputs: ['hidden2'] },
    ];
    const r = applied(mlp, { type: 'paste', layers: clip });
    assert.deepStrictEqual(r.select, ['dense_1', 'dense_2']);
    const tail = r.text.slice(mlp.indexOf('\nloss:') - 0).length;
    assert.ok(tail > 0);
    assert.ok(
      r.text.includes('  - id: dense_1\n    type: Dense\n    inputs: [dropout_1]\n    units: 64\n    activation: relu\n  - id: dense_2\n    type: Dense\n    units: 10\n'),
      r.text,
    );
    const a = analyzeModel(r.text);
    assert.deepStrictEqual(a.model!.layers.find((l) => l.id === 'dense_2')!.inputs.map((i) => i.id), ['dense_1']);
  });

  it('refuses bad edits with the reason, changing nothing', () => {
    const r = applyGraphEdit(mlp, { type: 'setParam', layer: 'nope', param: 'units', value: 3 });
    assert.strictEqual(r.ok, false);
    assert.match((r as { error: string }).error, /No layer has the id `nope`/);
    const cyc = applyGraphEdit(mlp, { type: 'connect', from: 'logits', to: 'logits' });
    assert.strictEqual(cyc.ok, false);
    const bad = applyGraphEdit(mlp, { type: 'frobnicate' } as unknown as GraphEdit);
    assert.strictEqual(bad.ok, false);
    const partial = applyGraphEdit(mlp, { type: 'removeLayers', layers: ['hidden2', 'nope'] });
    assert.strictEqual(partial.ok, false, 'a multi-step edit with a bad step makes no change at all');
  });
});
