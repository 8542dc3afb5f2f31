// The weights the Explain view offers for a model: its runs' checkpoints newest first (best before
// last), then the initial weights; a run chosen in the Runs view; and the guard that only offered
// ids are loaded.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { INITIAL_WEIGHTS, offered, preferredForRun, weightsFor } from '../../src/extension/explain/weights';
import { removeWorkspace, tempWorkspace } from '../engine/helpers';

function run(ws: string, model: string, ts: string, modelPath: string, files: string[]): string {
  const dir = path.join(ws, '.layerwise', 'runs', model, ts);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model, modelPath, epochs: 2 }));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), `${JSON.stringify({ epoch: 1, loss: 0.5, metrics: { accuracy: 0.8 }, valLoss: 0.6, valMetrics: { accuracy: 0.75 }, lr: 0.01, seconds: 1 })}\n`);
  for (const f of files) fs.writeFileSync(path.join(dir, f), 'x');
  return dir;
}

describe('explain/view weights', () => {
  let ws: string;
  before(() => (ws = tempWorkspace('lw-explain-weights-')));
  after(() => removeWorkspace(ws));

  it('offers the model’s checkpoints newest first, best before last, then the initial weights', () => {
    const model = path.join(ws, 'shapes.nn.yaml');
    const older = run(ws, 'shapes', '2024-05-01T10-00-00', model, ['best.ckpt', 'last.ckpt']);
    const newer = run(ws, 'shapes', '2024-05-02T09-30-00', model, ['last.ckpt']);
    run(ws, 'digits', '2024-05-03T08-00-00', path.join(ws, 'digits.nn.yaml'), ['best.ckpt']);
    const list = weightsFor(ws, model, 'shapes');
    assert.deepStrictEqual(
      list.choices.map((c) => [c.id, c.label, c.trained]),
      [
        [path.join(newer, 'last.ckpt'), '2024-05-02 09:30:00 · last.ckpt', true],
        [path.join(older, 'best.ckpt'), '2024-05-01 10:00:00 · best.ckpt', true],
        [path.join(older, 'last.ckpt'), '2024-05-01 10:00:00 · last.ckpt', true],
        [INITIAL_WEIGHTS, 'Initial weights (not trained)', false],
      ],
    );
    assert.match(list.choices[0].detail, /epoch 1\/2 · loss 0\.5000/);
    assert.strictEqual(list.preferred, path.join(newer, 'last.ckpt'));
    assert.strictEqual(preferredForRun(list, older), path.join(older, 'best.ckpt'), 'a run from the Runs view shows its best checkpoint');
    assert.strictEqual(preferredForRun(list, path.join(ws, 'elsewhere')), undefined);
    assert.strictEqual(offered(list.choices, path.join(older, 'last.ckpt'))?.label, '2024-05-01 10:00:00 · last.ckpt');
    assert.strictEqual(offered(list.choices, path.join(ws, '..', 'secret.ckpt')), undefined, 'an id the view made up is refused');
    assert.strictEqual(offered(list.choices, 3), undefined);
  });

  it('a model without runs gets the initial weights only', () => {
    const list = weightsFor(ws, path.join(ws, 'fresh.nn.yaml'), 'fresh');
    assert.deepStrictEqual([list.choices.length, list.preferred], [1, INITIAL_WEIGHTS]);
  });
});
