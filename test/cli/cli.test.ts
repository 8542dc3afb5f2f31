// The `layerwise` command line run as a real process (from source, with tsx): output formats,
// exit codes and --help for every command.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readCheckpoint } from '../../src/engine/checkpoint';
import { REPO_ROOT, TSX_IMPORT, removeWorkspace, tempWorkspace, writeModel } from '../engine/helpers';

const MAIN = path.join(REPO_ROOT, 'src', 'cli', 'main.ts');

function cli(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...TSX_IMPORT, MAIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 60000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const MODEL = `
name: cli-test
layers:
  - {id: x, type: Input, shape: [2]}
  - {id: h, type: Dense, units: 16, activation: tanh}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
metrics: [accuracy]
optimizer: {type: adam, lr: 0.02}
training: {epochs: 3, batch_size: 16, seed: 1, validation_split: 0.25}
data: {source: moons, samples: 200}
`;

const EPOCH_LINE = /^Epoch (\d+)\/(\d+) - Loss: \d+\.\d{4} - Accuracy: \d\.\d{4} - Val Loss: \d+\.\d{4} - Val Accuracy: \d\.\d{4} - \d+\.\ds$/;

describe('cli', function () {
  this.timeout(120000);
  let ws: string;
  before(() => {
    ws = tempWorkspace('lw-cli-');
    writeModel(ws, 'cli-test', MODEL);
  });
  after(() => removeWorkspace(ws));

  it('train prints one line per epoch in the documented format, then the checkpoints; eval, export and grad use them', () => {
    const r = cli(['train', 'cli-test.nn.yaml', '--run-dir', 'run', '--threads', '1'], ws);
    assert.strictEqual(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const epochs = lines.filter((l) => l.startsWith('Epoch '));
    assert.strictEqual(epochs.length, 3);
    epochs.forEach((l, i) => {
      const m = EPOCH_LINE.exec(l);
      assert.ok(m, `epoch line format: ${l}`);
      assert.deepStrictEqual([m![1], m![2]], [String(i + 1), '3']);
    });
    assert.ok(!r.stdout.includes('\r'), 'no progress bar when stdout is not a terminal');
    assert.match(r.stdout, /^Best: epoch \d - Val Loss: \d\.\d{4} - .*best\.ckpt$/m);
    assert.match(r.stdout, /^Last checkpoint: .*last\.ckpt$/m);
    readCheckpoint(path.join(ws, 'run', 'last.ckpt'));

    const ev = cli(['eval', 'cli-test.nn.yaml', '--checkpoint', 'run/best.ckpt'], ws);
    assert.strictEqual(ev.code, 0, ev.stderr);
    assert.match(ev.stdout, /^Validation \(50 samples\) - Loss: \d\.\d{4} - Accuracy: \d\.\d{4}$/m);
    const inProcess = cli(['eval', 'cli-test.nn.yaml', '--checkpoint', 'run/best.ckpt', '--in-process'], ws);
    assert.strictEqual(inProcess.stdout, ev.stdout, 'the engine in this process gives the same numbers as the worker');

    const ex = cli(['export', 'cli-test.nn.yaml', '-c', 'run/last.ckpt', '-o', 'out/model.onnx'], ws);
    assert.strictEqual(ex.code, 0, ex.stderr);
    assert.match(ex.stdout, /max abs diff \d\.\d\de[-+]\d+/);
    assert.ok(fs.existsSync(path.join(ws, 'out', 'model.onnx')));

    const gr = cli(['grad', 'cli-test.nn.yaml', '--checkpoint', 'run/last.ckpt', '--batch', '4', '--seed', '2', '--out', 'g'], ws);
    assert.strictEqual(gr.code, 0, gr.stderr);
    for (const f of ['input.x.npy', 'labels.npy', 'h.weight.npy', 'h.weight.grad.npy', 'loss.json']) assert.ok(fs.existsSync(path.join(ws, 'g', f)), f);

    const resumed = cli(['train', 'cli-test.nn.yaml', '--resume', 'run/last.ckpt', '--epochs', '4', '--quiet'], ws);
    assert.strictEqual(resumed.code, 0, resumed.stderr);
    assert.ok(!resumed.stdout.includes('Epoch '), '--quiet prints no epoch lines');
    assert.strictEqual(readCheckpoint(path.join(ws, 'run', 'last.ckpt')).header.progress.epoch, 4);
  });

  it('a bad model prints file:line:col diagnostics and exits 1, for every engine command', () => {
    writeModel(ws, 'bad', 'layers:\n  - {type: Input, shape: [2]}\n  - {type: Dense, unitz: 3}\n');
    for (const args of [['train', 'bad.nn.yaml'], ['eval', 'bad.nn.yaml', '-c', 'x.ckpt'], ['export', 'bad.nn.yaml', '-c', 'x.ckpt', '-o', 'x.onnx'], ['grad', 'bad.nn.yaml', '--out', 'g']]) {
      const r = cli(args, ws);
      assert.strictEqual(r.code, 1, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, /^bad\.nn\.yaml:3:\d+: error: .*unitz/m);
    }
  });

  it('usage errors exit 2; a missing file exits 2; NaN training and bad checkpoints exit 1 with a message', () => {
    assert.strictEqual(cli(['train'], ws).code, 2);
    assert.strictEqual(cli(['train', 'cli-test.nn.yaml', '--epochz', '3'], ws).code, 2);
    assert.strictEqual(cli(['train', 'cli-test.nn.yaml', '--provider', 'tpu'], ws).code, 2);
    const missing = cli(['train', 'nope.nn.yaml'], ws);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /nope\.nn\.yaml: cannot read: no such file/);
    fs.writeFileSync(path.join(ws, 'garbage.ckpt'), 'not a checkpoint at all');
    const badCkpt = cli(['eval', 'cli-test.nn.yaml', '-c', 'garbage.ckpt'], ws);
    assert.strictEqual(badCkpt.code, 1);
    assert.match(badCkpt.stderr, /garbage\.ckpt is not a usable checkpoint/);
    writeModel(ws, 'nan', MODEL.replace('optimizer: {type: adam, lr: 0.02}', 'optimizer: {type: sgd, lr: 1.0e+30}').replace('tanh', 'relu'));
    const nan = cli(['train', 'nan.nn.yaml', '--run-dir', 'nan'], ws);
    assert.strictEqual(nan.code, 1);
    assert.match(nan.stderr, /NaN or infinite values appeared in .*layer '.*'.*lower it/);
  });

  it('--help works for every command', () => {
    for (const c of ['train', 'eval', 'export', 'grad', 'check']) {
      const r = cli([c, '--help'], ws);
      assert.strictEqual(r.code, 0, c);
      assert.match(r.stdout, new RegExp(`Usage: layerwise ${c}`));
    }
    const top = cli(['--help'], ws);
    assert.strictEqual(top.code, 0);
    for (const c of ['train', 'eval', 'export', 'grad', 'check']) assert.match(top.stdout, new RegExp(`layerwise ${c}`));
  });
});
