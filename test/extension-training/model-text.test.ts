import * as assert from 'assert';
import { parseModel } from '../../src/model/parse';
import { applyEdits } from '../../src/model/edit';
import { lowerLr, setOptimizerLr } from '../../src/extension/training/lrEdit';
import { modelInfo } from '../../src/extension/training/modelInfo';
import { anchorLineOf } from '../../src/extension/training/anchors';
import cases from './lr-edit-cases.json';

const HEAD = 'name: m\nlayers:\n  - {id: x, type: Input, shape: [2]}\n  - id: out\n    type: Dense\n    units: 2\nloss: mse\n';
const TAIL = 'training: {epochs: 2, batch_size: 8}\n';

describe('extension-training: lowering the learning rate in the model text', () => {
  for (const c of cases) {
    it(c.name, () => {
      const text = HEAD + c.optimizer + TAIL;
      const r = setOptimizerLr(text, 0.01, 'adam');
      assert.ok(r.ok, r.ok ? '' : r.error);
      const after = applyEdits(text, [r.edit]);
      assert.strictEqual(after, HEAD + c.expected + TAIL + (c.appended ?? ''));
      // The result parses, with the new rate where the engine reads it.
      assert.strictEqual(parseModel(after).model?.optimizer?.params.lr?.value, 0.01);
    });
  }

  it('refuses a non-positive rate and a file that is not a model', () => {
    assert.strictEqual(setOptimizerLr(HEAD, 0).ok, false);
    assert.strictEqual(setOptimizerLr('- just a list\n', 0.1).ok, false);
    assert.strictEqual(lowerLr(0.003), 0.0003);
    assert.strictEqual(lowerLr(1), 0.1);
  });
});

describe('extension-training: model lines for decorations and warnings', () => {
  it('finds each layer’s first line, generated ids included, and section keys', () => {
    const text = HEAD.replace('loss: mse\n', '  - Flatten\nloss: mse\n') + 'optimizer:\n  type: sgd\n  lr: 0.5\n' + TAIL;
    const info = modelInfo(text, '/w/m.nn.yaml');
    assert.strictEqual(info.name, 'm');
    assert.strictEqual(info.lr, 0.5);
    assert.strictEqual(info.optimizerType, 'sgd');
    assert.deepStrictEqual([...info.layerLines], [
      ['x', 2],
      ['out', 3],
      ['flatten_1', 6],
    ]);
    assert.strictEqual(info.sectionLines.get('optimizer'), 8);
    assert.strictEqual(info.sectionLines.get('optimizer.lr'), 10);
    assert.strictEqual(info.sectionLines.get('training.batch_size'), 11);
    assert.strictEqual(anchorLineOf(info, { layer: 'out' }), 3);
    assert.strictEqual(anchorLineOf(info, { section: 'training', key: 'batch_size' }), 11);
    assert.strictEqual(anchorLineOf(info, { section: 'data' }), undefined);
    assert.strictEqual(anchorLineOf(info, { layer: 'nope' }), undefined);
    assert.strictEqual(modelInfo('layers: []\n', '/w/other.nn.yaml').name, 'other');
  });
});
