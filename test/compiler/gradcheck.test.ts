// Whole-model gradient checks: the train-step graph's gradients (read off an SGD step with lr 1:
// g = w - w_new) against central finite differences of its loss output.
import { strict as assert } from 'assert';
import { compileText, gradientProbe, initialValues, trainer, type Batch, type Values } from './train-harness';
import type { CompiledModel } from '../../src/compiler/types';
import { f32, f64, i64 } from './run-graph';
import * as ref from './reference';

interface GradCase {
  name: string;
  yaml: string;
  precision: 'float32' | 'float64';
  batch: (c: CompiledModel) => Batch;
  /** Finite-difference step, and the tolerance |fd - g| <= atol + rtol |g|. */
  h: number;
  atol: number;
  rtol: number;
}

const head = (name: string) => `name: ${name}\noptimizer: {type: sgd, lr: 1}\n`;
const floats = (precision: 'float32' | 'float64') => (precision === 'float64' ? f64 : f32);

function classBatch(c: CompiledModel, n: number, classes: number, seed: number): Batch {
  const feat = c.trainIO.features[0];
  const dtype = floats(c.source.options.precision ?? 'float32');
  const x = ref.randn([n, ...feat.shape], seed);
  const labels = Array.from({ length: n }, (_, i) => (i * 7 + seed) % classes);
  return { x: { [feat.name]: dtype(x.shape, x.data) }, y: i64([n], labels) };
}

function denseBatch(c: CompiledModel, n: number, seed: number, binary: boolean): Batch {
  const feat = c.trainIO.features[0];
  const dtype = floats(c.source.options.precision ?? 'float32');
  const x = ref.randn([n, ...feat.shape], seed);
  const yShape = [n, ...c.trainIO.labels.shape];
  const y = ref.randn(yShape, seed + 1);
  return { x: { [feat.name]: dtype(x.shape, x.data) }, y: dtype(yShape, binary ? y.data.map((v) => (v > 0 ? 1 : 0)) : y.data) };
}

const cases: GradCase[] = [
  {
    name: 'MLP (tanh, sigmoid, leaky_relu; cross-entropy with label smoothing)',
    precision: 'float64',
    yaml: head('mlp') + `
layers:
  - {id: x, type: Input, shape: [3]}
  - {id: h1, type: Dense, units: 5, activation: tanh}
  - {id: h2, type: Dense, units: 4, activation: sigmoid}
  - {id: h3, type: Dense, units: 4, activation: leaky_relu}
  - {id: out, type: Dense, units: 3}
loss: {type: cross_entropy, label_smoothing: 0.1}
`,
    batch: (c) => classBatch(c, 6, 3, 301),
    h: 1e-6, atol: 1e-8, rtol: 1e-5,
  },
  {
    name: 'residual DAG (Add + Concat + standalone activations, softmax output)',
    precision: 'float64',
    yaml: head('residual') + `
layers:
  - {id: x, type: Input, shape: [4]}
  - {id: h1, type: Dense, units: 6, activation: tanh}
  - {id: h2, type: Dense, units: 6}
  - {id: act, type: Tanh}
  - {id: skip, type: Add, inputs: [h1, act]}
  - {id: joined, type: Concat, inputs: [skip, x], axis: -1}
  - {id: s, type: Sigmoid}
  - {id: logits, type: Dense, units: 3}
  - {id: probs, type: Softmax}
loss: cross_entropy
`,
    batch: (c) => classBatch(c, 5, 3, 302),
    h: 1e-6, atol: 1e-8, rtol: 1e-5,
  },
  {
    name: 'CNN with batch norm, grouped strided conv, GELU, max pool and dropout',
    precision: 'float32',
    yaml: head('cnn') + `
layers:
  - {id: img, type: Input, shape: [2, 8, 8]}
  - {id: c1, type: Conv2D, filters: 3, kernel_size: 3, padding: same, activation: tanh}
  - {id: bn, type: BatchNorm}
  - {id: c2, type: Conv2D, filters: 6, kernel_size: 2, strides: 2, padding: same, groups: 3, activation: gelu}
  - {id: pool, type: MaxPool2D, pool_size: 2}
  - Flatten
  - {id: drop, type: Dropout, rate: 0.25}
  - {id: out, type: Dense, units: 3}
loss: cross_entropy
`,
    batch: (c) => classBatch(c, 4, 3, 303),
    h: 1e-2, atol: 2e-3, rtol: 3e-2,
  },
  {
    name: 'Conv1D with dilation, average and global pooling, binary cross-entropy',
    precision: 'float32',
    yaml: head('conv1d') + `
layers:
  - {id: sig, type: Input, shape: [2, 12]}
  - {id: c, type: Conv1D, filters: 3, kernel_size: 3, dilation: 2, padding: same, activation: sigmoid}
  - {id: r, type: Reshape, shape: [3, 3, 4]}
  - {id: p, type: AvgPool2D, pool_size: 2, strides: 1, padding: same}
  - {id: g, type: GlobalAvgPool2D}
  - {id: out, type: Dense, units: 1}
loss: binary_cross_entropy
`,
    batch: (c) => denseBatch(c, 5, 304, true),
    h: 1e-2, atol: 1e-3, rtol: 3e-2,
  },
  {
    name: 'regression with batch norm on vectors and huber loss',
    precision: 'float64',
    yaml: head('regress') + `
layers:
  - {id: x, type: Input, shape: [3]}
  - {id: h, type: Dense, units: 5}
  - {id: bn, type: BatchNorm}
  - {id: a, type: LeakyReLU, alpha: 0.1}
  - {id: out, type: Dense, units: 2}
loss: {type: huber, delta: 0.5}
metrics: [mae]
`,
    batch: (c) => denseBatch(c, 6, 305, false),
    h: 1e-6, atol: 1e-8, rtol: 1e-5,
  },
];

const SEED = 17;

describe('compiler gradient checks (train step vs central differences)', function () {
  this.timeout(60000);
  for (const gc of cases) {
    it(`${gc.name} [${gc.precision}]`, async () => {
      const c = compileText(gc.yaml, { precision: gc.precision });
      const t = await trainer(c);
      const batch = gc.batch(c);
      const { params, state } = initialValues(c, SEED);
      // Small random biases too, so no gradient is trivially symmetric.
      for (const p of c.params) if (p.param === 'bias' || p.param === 'beta') params.set(p.name, ref.randn(p.shape, 400 + p.name.length, 0.1).data);
      const { gradient, lossAt, outputs } = await gradientProbe(t, c, params, state, batch);
      let worst = 0;
      for (const p of c.params.filter((q) => q.trainable)) {
        const w = params.get(p.name)!;
        const g = gradient(p.name);
        const picks = [...new Set([0, w.length - 1, Math.floor(w.length / 2), Math.floor(w.length / 3)])];
        for (const i of picks) {
          const fd = ((await lossAt(p.name, i, gc.h)) - (await lossAt(p.name, i, -gc.h))) / (2 * gc.h);
          worst = Math.max(worst, Math.abs(fd - g[i]) / (gc.atol + gc.rtol * Math.abs(g[i])));
          if (process.env.GRADCHECK_VERBOSE) console.log(p.name, i, g[i], fd);
          assert.ok(Math.abs(fd - g[i]) <= gc.atol + gc.rtol * Math.abs(g[i]),
            `${gc.name}: layer '${p.layer}' ${p.param} [${p.shape}] element ${i}: graph gradient ${g[i]} vs finite difference ${fd} (init seed ${SEED}, h ${gc.h})`);
        }
      }
      if (process.env.GRADCHECK_VERBOSE) console.log(`${gc.name}: worst error / tolerance = ${worst.toFixed(3)}`);
      // The gradient norm output matches the gradients read off the update.
      const norms = outputs[c.trainIO.gradNorm].data;
      c.trainIO.statParams.forEach((name, k) => {
        const n = Math.sqrt(gradient(name).reduce((s, v) => s + v ** 2, 0));
        assert.ok(Math.abs(norms[k] - n) <= 1e-4 * Math.max(1, n), `grad norm of ${name}: ${norms[k]} vs ${n}`);
      });
    });
  }
});
