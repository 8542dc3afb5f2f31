// Sequence data from .npy files (fixtures from make_sequence_fixtures.py): int64 [N, T] token ids
// for an Embedding and float [N, T, D] sequences for a recurrent layer load with the right
// per-sample shapes, and small models train on both through the trainer the CLI uses.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadDataset } from '../../src/engine/data';
import { RunControl } from '../../src/engine/control';
import type { EngineEvent } from '../../src/engine/protocol';
import { train } from '../../src/engine/trainer';
import { removeWorkspace, tempWorkspace } from '../engine/helpers';

const FIXTURES = path.join(__dirname, 'fixtures');
const FILES = ['seq_tokens.npy', 'seq_token_labels.npy', 'seq_floats.npy', 'seq_float_labels.npy'];

describe('data: sequence .npy files', function () {
  this.timeout(120000);
  let ws: string;
  before(() => {
    ws = tempWorkspace('lw-seqnpy-');
    for (const f of FILES) fs.copyFileSync(path.join(FIXTURES, f), path.join(ws, f));
  });
  after(() => removeWorkspace(ws));

  const ctx = () => ({ workspaceRoot: ws, baseDir: ws, seed: 1 });

  it('reads [N, T] int64 as token ids [T] and [N, T, D] floats as sequences [T, D]', () => {
    const tokens = loadDataset({ source: 'npy', path: 'seq_tokens.npy', labels: 'seq_token_labels.npy' }, ctx());
    assert.ok(tokens.ok, tokens.ok ? '' : tokens.message);
    assert.ok(tokens.dataset.x instanceof BigInt64Array);
    assert.deepEqual(tokens.dataset.sampleShape, [8]);
    assert.equal(tokens.dataset.count, 160);
    assert.equal(tokens.dataset.vocabSize, 5);
    assert.equal(tokens.dataset.numClasses, 2);
    // Odd samples hold a 4, even ones do not (the fixture's label).
    const x = tokens.dataset.x as BigInt64Array;
    for (let i = 0; i < 160; i++) assert.equal(x.subarray(i * 8, i * 8 + 8).includes(4n), tokens.dataset.y[i] === 1, `sample ${i}`);

    const floats = loadDataset({ source: 'npy', path: 'seq_floats.npy', labels: 'seq_float_labels.npy' }, ctx());
    assert.ok(floats.ok, floats.ok ? '' : floats.message);
    assert.ok(floats.dataset.x instanceof Float32Array);
    assert.deepEqual(floats.dataset.sampleShape, [8, 3]);
    assert.equal(floats.dataset.vocabSize, undefined);
  });

  const trainModel = async (name: string, text: string, epochs: number) => {
    const file = path.join(ws, `${name}.nn.yaml`);
    fs.writeFileSync(file, text);
    const ends: Extract<EngineEvent, { type: 'epochEnd' }>[] = [];
    const result = await train(
      { modelPath: file, text, options: { workspace: ws, runDir: `runs/${name}`, epochs } },
      { run: 1, control: new RunControl(), emit: (e) => e.type === 'epochEnd' && ends.push(e) },
    );
    assert.ok(result.reason === 'completed' || result.reason === 'early_stopping', result.reason);
    return Math.max(...ends.map((e) => e.valMetrics!.accuracy));
  };

  it('an Embedding + GRU learns "does token 4 occur" from the token-id file', async () => {
    const best = await trainModel(
      'tokens',
      `name: tokens
layers:
  - {id: ids, type: Input, shape: [8], dtype: int64}
  - {type: Embedding, vocab_size: 5, dim: 8}
  - {type: GRU, units: 16}
  - {id: out, type: Dense, units: 2}
metrics: [accuracy]
optimizer: {type: adam, lr: 0.02}
training: {batch_size: 16, seed: 1, validation_split: 0.25}
data: {source: npy, path: seq_tokens.npy, labels: seq_token_labels.npy}
`,
      15,
    );
    assert.ok(best >= 0.9, `best validation accuracy ${best}`);
  });

  it('an LSTM learns "does channel 0 sum above 0" from the float sequence file', async () => {
    const best = await trainModel(
      'floats',
      `name: floats
layers:
  - {id: seq, type: Input, shape: [8, 3]}
  - {type: LSTM, units: 16}
  - {id: out, type: Dense, units: 2}
metrics: [accuracy]
optimizer: {type: adam, lr: 0.02}
training: {batch_size: 16, seed: 1, validation_split: 0.25}
data: {source: npy, path: seq_floats.npy, labels: seq_float_labels.npy}
`,
      15,
    );
    assert.ok(best >= 0.9, `best validation accuracy ${best}`);
  });
});
