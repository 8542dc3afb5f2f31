import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { RunControl } from '../../src/engine/control';
import { exportModel } from '../../src/engine/export-model';
import { writeGradients } from '../../src/engine/grad';
import { evaluateCheckpoint } from '../../src/engine/evaluate';
import { readCheckpoint } from '../../src/engine/checkpoint';
import { train } from '../../src/engine/trainer';
import { readNpy } from '../../src/engine/data/npy';
import { compileAccumulation } from '../../src/compiler/compile';
import { prepareModel } from '../../src/engine/prepare';
import { removeWorkspace, tempWorkspace, writeModel } from './helpers';

const MODEL = `
name: small-cnn
layers:
  - {id: image, type: Input, shape: [1, 8, 8]}
  - {id: conv, type: Conv2D, filters: 4, kernel_size: 3, padding: same}
  - {id: bn, type: BatchNorm}
  - {type: ReLU}
  - {id: pool, type: MaxPool2D, pool_size: 2}
  - {type: Flatten}
  - {type: Dropout, rate: 0.2}
  - {id: logits, type: Dense, units: 10}
loss: cross_entropy
metrics: [accuracy]
optimizer: {type: adam, lr: 0.01}
training: {epochs: 2, batch_size: 32, seed: 4, validation_split: 0.2, test_split: 0.1}
data: {source: digits}
`;

// No dropout, so the finite differences see exactly the function the gradients are of.
const SMOOTH = `
name: smooth
layers:
  - {id: x, type: Input, shape: [2]}
  - {id: h, type: Dense, units: 6, activation: tanh}
  - {id: bn, type: BatchNorm}
  - {id: out, type: Dense, units: 3}
loss: {type: cross_entropy, label_smoothing: 0.1}
metrics: [accuracy]
optimizer: {type: sgd, lr: 0.1, weight_decay: 0.5, clip_norm: 0.01}
training: {batch_size: 8, seed: 1}
data: {source: blobs, samples: 60, classes: 3}
`;

function npy(dir: string, name: string) {
  const r = readNpy(path.join(dir, name));
  if (!r.ok) throw new Error(r.message);
  return r.array;
}

describe('engine/export, eval and grad', function () {
  this.timeout(60000);
  let ws: string;
  before(() => (ws = tempWorkspace()));
  after(() => removeWorkspace(ws));

  it('eval and export reproduce the engine on a trained checkpoint (opset 17, IR 8)', async () => {
    const file = writeModel(ws, 'small-cnn', MODEL);
    const result = await train({ modelPath: file, text: MODEL, options: { workspace: ws, runDir: 'cnn', threads: 1 } }, { run: 1, emit: () => undefined, control: new RunControl() });
    assert.strictEqual(result.reason, 'completed');
    assert.ok(result.test && result.test.samples === 180, 'test split evaluated');
    const ckpt = path.join(ws, 'cnn', 'last.ckpt');

    const val = await evaluateCheckpoint({ modelPath: file, text: MODEL, checkpoint: ckpt, split: 'validation', options: { workspace: ws, threads: 1 } });
    assert.strictEqual(val.samples, 359);
    assert.ok(val.metrics.accuracy > 0.5 && val.metrics.accuracy <= 1);
    const test = await evaluateCheckpoint({ modelPath: file, text: MODEL, checkpoint: ckpt, split: 'test', options: { workspace: ws, threads: 1 } });
    assert.ok(Math.abs(test.loss - result.test!.loss) < 1e-6, 'eval on test matches the end-of-run test numbers');

    const out = await exportModel({ modelPath: file, text: MODEL, checkpoint: ckpt, out: 'exported/model.onnx', options: { workspace: ws, threads: 1 } });
    assert.ok(out.maxAbsDiff <= 1e-4);
    const bytes = fs.readFileSync(out.path);
    const proto = onnx.ModelProto.decode(bytes);
    assert.strictEqual(Number(proto.irVersion), 8);
    assert.strictEqual(Number(proto.opsetImport.find((o) => !o.domain)!.version), 17);

    // Independently: the exported file in a fresh session against the checkpoint's eval-mode numbers.
    const session = await ort.InferenceSession.create(out.path);
    assert.deepStrictEqual(session.inputNames, ['image']);
    const x = new Float32Array(2 * 64).map((_, i) => (i % 7) / 7);
    const r = await session.run({ image: new ort.Tensor('float32', x, [2, 1, 8, 8]) });
    const logits = r.logits.data as Float32Array;
    assert.strictEqual(logits.length, 20);
    assert.ok(logits.every(Number.isFinite));

    await assert.rejects(exportModel({ modelPath: file, text: MODEL, checkpoint: ckpt, out: '../outside.onnx', options: { workspace: ws } }), /outside the workspace/);
  });

  it('grad writes loadable .npy files whose gradients match finite differences', async () => {
    const file = writeModel(ws, 'smooth', SMOOTH);
    const dir = path.join(ws, 'grads');
    const r = await writeGradients({ modelPath: file, text: SMOOTH, batch: 8, seed: 3, outDir: 'grads', options: { workspace: ws, threads: 1 } });
    for (const f of ['input.x.npy', 'labels.npy', 'h.weight.npy', 'h.weight.grad.npy', 'bn.gamma.npy', 'bn.gamma.grad.npy', 'bn.running_mean.npy', 'out.bias.grad.npy', 'loss.json']) {
      assert.ok(r.files.includes(f) && fs.existsSync(path.join(dir, f)), f);
    }
    assert.ok(!r.files.includes('bn.running_mean.grad.npy'), 'running statistics have no gradient');
    const lossJson = JSON.parse(fs.readFileSync(path.join(dir, 'loss.json'), 'utf8'));
    assert.strictEqual(lossJson.loss, r.loss);
    assert.strictEqual(lossJson.batch, 8);

    // Float64 finite differences of the same train-mode loss on the written batch and params.
    const prepared = prepareModel(file, SMOOTH, { precision: 'float64' });
    const acc = compileAccumulation(prepared.compiled);
    const g = { io: acc.gradIO };
    const session = await ort.InferenceSession.create(acc.grad);
    const input = npy(dir, 'input.x.npy');
    const labels = npy(dir, 'labels.npy');
    assert.deepStrictEqual(input.shape, [8, 2]);
    assert.deepStrictEqual(labels.shape, [8]);
    const params = new Map(prepared.compiled.params.map((p) => [p.name, Float64Array.from(npy(dir, `${p.name}.npy`).data as Float32Array)]));
    const lossAt = async (): Promise<number> => {
      const feeds: Record<string, ort.Tensor> = {
        x: new ort.Tensor('float64', Float64Array.from(input.data as Float32Array), [8, 2]),
        [g.io.labels.name]: new ort.Tensor('int64', labels.data as BigInt64Array, [8]),
        [g.io.seed]: new ort.Tensor('int64', BigInt64Array.of(0n), []),
      };
      for (const p of prepared.compiled.params) feeds[p.name] = new ort.Tensor('float64', params.get(p.name)!, p.shape);
      const out = await session.run(feeds);
      return (out[g.io.loss].data as Float64Array)[0];
    };
    assert.ok(Math.abs((await lossAt()) - r.loss) < 1e-5, 'same loss in float64');
    const eps = 1e-5;
    for (const name of ['h.weight', 'h.bias', 'bn.gamma', 'bn.beta', 'out.weight']) {
      const grad = npy(dir, `${name}.grad.npy`).data as Float32Array;
      const p = params.get(name)!;
      for (const i of [0, Math.floor(p.length / 2), p.length - 1]) {
        const keep = p[i];
        p[i] = keep + eps;
        const up = await lossAt();
        p[i] = keep - eps;
        const down = await lossAt();
        p[i] = keep;
        const fd = (up - down) / (2 * eps);
        assert.ok(Math.abs(fd - grad[i]) <= 1e-4 + 1e-3 * Math.abs(fd), `${name}[${i}]: finite difference ${fd} vs written ${grad[i]}`);
      }
    }
  });

  it('grad takes params from a checkpoint when given one', async () => {
    const file = writeModel(ws, 'smooth2', SMOOTH);
    await train({ modelPath: file, text: SMOOTH, options: { workspace: ws, runDir: 's', epochs: 1, threads: 1 } }, { run: 1, emit: () => undefined, control: new RunControl() });
    const ckpt = path.join(ws, 's', 'last.ckpt');
    await writeGradients({ modelPath: file, text: SMOOTH, checkpoint: ckpt, batch: 4, seed: 0, outDir: 'g2', options: { workspace: ws, threads: 1 } });
    const written = npy(path.join(ws, 'g2'), 'h.weight.npy').data as Float32Array;
    assert.deepStrictEqual(Array.from(written), Array.from(readCheckpoint(ckpt).tensors.get('h.weight')!));
  });
});
