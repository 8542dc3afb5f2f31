// Export of a model trained on CSV data: the run standardises the features with statistics of
// its training split, and the exported model embeds that step, so it takes the raw rows.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { RunControl } from '../../src/engine/control';
import { exportModel } from '../../src/engine/export-model';
import { evaluateCheckpoint } from '../../src/engine/evaluate';
import { train } from '../../src/engine/trainer';
import { splitIndices } from '../../src/engine/data/split';
import { mulberry32 } from '../../src/compiler/random';
import { removeWorkspace, tempWorkspace, writeModel } from './helpers';

// Features far from zero and on very different scales: without the standardisation the
// trained weights would see other numbers entirely.
const MODEL = `
name: csv-export
layers:
  - {id: features, type: Input, shape: [2]}
  - {id: h, type: Dense, units: 8, activation: tanh}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
metrics: [accuracy]
optimizer: {type: adam, lr: 0.05}
training: {epochs: 3, batch_size: 16, seed: 6, validation_split: 0.25}
data: {source: csv, path: rows.csv, label: label}
`;

const ROWS = 80;

function csvRows(): number[][] {
  const u = mulberry32(21);
  return Array.from({ length: ROWS }, () => {
    const a = u() * 2 - 1;
    const b = u() * 2 - 1;
    return [1000 + 50 * a, 0.01 * b, a + b > 0 ? 1 : 0];
  });
}

describe('engine/export of a CSV-trained model', function () {
  this.timeout(60000);
  let ws: string;
  before(() => (ws = tempWorkspace()));
  after(() => removeWorkspace(ws));

  it('takes raw CSV rows and reproduces the engine evaluation of the validation split', async () => {
    const rows = csvRows();
    fs.writeFileSync(path.join(ws, 'rows.csv'), ['a,b,label', ...rows.map((r) => r.join(','))].join('\n') + '\n');
    const file = writeModel(ws, 'csv-export', MODEL);
    const result = await train({ modelPath: file, text: MODEL, options: { workspace: ws, runDir: 'run', threads: 1 } }, { run: 1, emit: () => undefined, control: new RunControl() });
    assert.strictEqual(result.reason, 'completed');
    const ckpt = path.join(ws, 'run', 'last.ckpt');
    const val = await evaluateCheckpoint({ modelPath: file, text: MODEL, checkpoint: ckpt, split: 'validation', options: { workspace: ws, threads: 1 } });
    const out = await exportModel({ modelPath: file, text: MODEL, checkpoint: ckpt, out: 'model.onnx', options: { workspace: ws, threads: 1 } });
    assert.ok(out.maxAbsDiff <= 1e-4, `export check: ${out.maxAbsDiff}`);

    // The validation rows, raw from the file, through the exported model.
    const split = splitIndices(ROWS, { validation: 0.25 }, 6);
    assert.ok(split.ok);
    const idx = Array.from(split.split.validation);
    assert.strictEqual(idx.length, val.samples);
    const session = await ort.InferenceSession.create(out.path);
    const x = Float32Array.from(idx.flatMap((i) => rows[i].slice(0, 2)));
    const logits = (await session.run({ features: new ort.Tensor('float32', x, [idx.length, 2]) })).out.data as Float32Array;
    let loss = 0;
    let correct = 0;
    idx.forEach((row, k) => {
      const z = [logits[2 * k], logits[2 * k + 1]];
      const m = Math.max(...z);
      const label = rows[row][2];
      loss += m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) - z[label];
      if ((z[1] > z[0] ? 1 : 0) === label) correct++;
    });
    loss /= idx.length;
    assert.ok(Math.abs(loss - val.loss) < 1e-4, `exported model on raw rows: loss ${loss}, engine evaluation ${val.loss}`);
    assert.strictEqual(correct / idx.length, val.metrics.accuracy);
    assert.ok(val.metrics.accuracy > 0.7, `the run learned something (${val.metrics.accuracy}), so the comparison means something`);
  });
});
