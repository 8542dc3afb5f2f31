// Whole-model gradient checks of sequence models: the train step's gradients (read off an SGD
// step with lr 1: g = w - w_new) against central finite differences of its loss. float64 where
// onnxruntime allows; its CPU Erf (GELU) is float32-only, so the Transformer runs in float32 with
// a larger step and tolerance.
import { strict as assert } from 'assert';
import { compileText, gradientProbe, initialValues, trainer, type Batch, type Values } from '../compiler/train-harness';
import type { CompiledModel } from '../../src/compiler/types';
import { f32, f64, i64 } from '../compiler/run-graph';
import * as ref from '../compiler/reference';
import { mulberry32 } from '../../src/compiler/random';

const head = (name: string) => `name: ${name}\noptimizer: {type: sgd, lr: 1}\n`;

/** Token-id batch: n sequences over `vocab` tokens, labels cycling through `classes`. */
function tokenBatch(c: CompiledModel, n: number, vocab: number, classes: number, seed: number): Batch {
  const feat = c.trainIO.features[0];
  const rand = mulberry32(seed);
  const count = n * feat.shape.reduce((a, b) => a * b, 1);
  const ids = Array.from({ length: count }, () => Math.floor(rand() * vocab));
  const labels = Array.from({ length: n }, (_, i) => (i * 7 + seed) % classes);
  return { x: { [feat.name]: i64([n, ...feat.shape], ids) }, y: i64([n], labels) };
}

function floatBatch(c: CompiledModel, n: number, classes: number, seed: number): Batch {
  const feat = c.trainIO.features[0];
  const x = ref.randn([n, ...feat.shape], seed);
  const labels = Array.from({ length: n }, (_, i) => (i * 5 + seed) % classes);
  const floats = c.source.options.precision === 'float64' ? f64 : f32;
  return { x: { [feat.name]: floats(x.shape, x.data) }, y: i64([n], labels) };
}

interface GradCase {
  name: string;
  precision: 'float32' | 'float64';
  yaml: string;
  batch: (c: CompiledModel) => Batch;
  /** Extra element indices to check per param (e.g. embedding rows in use). */
  extra?: (param: string, batch: Batch) => number[];
}

const usedRows = (dim: number) => (param: string, batch: Batch) => {
  if (!param.endsWith('.weight') || !param.startsWith('emb')) return [];
  const ids = Array.from(Object.values(batch.x)[0].data);
  return [ids[0] * dim, ids[1] * dim + dim - 1, ids[ids.length - 1] * dim + 1];
};

const cases: GradCase[] = [
  {
    precision: 'float64',
    name: 'LSTM classifier (Embedding -> bidirectional LSTM sequences -> LSTM last state -> Dense)',
    yaml: head('lstm') + `
layers:
  - {id: ids, type: Input, shape: [5], dtype: int64}
  - {id: emb, type: Embedding, vocab_size: 7, dim: 3}
  - {id: l1, type: LSTM, units: 3, return_sequences: true, bidirectional: true}
  - {id: l2, type: LSTM, units: 4}
  - {id: out, type: Dense, units: 3}
loss: cross_entropy
`,
    batch: (c) => tokenBatch(c, 4, 7, 3, 501),
    extra: usedRows(3),
  },
  {
    precision: 'float64',
    name: 'SimpleRNN and GRU (bidirectional), LayerNorm, GlobalAvgPool1D',
    yaml: head('rnn-gru') + `
layers:
  - {id: x, type: Input, shape: [4, 3]}
  - {id: r, type: SimpleRNN, units: 3, return_sequences: true}
  - {id: ln, type: LayerNorm}
  - {id: g, type: GRU, units: 2, return_sequences: true, bidirectional: true}
  - {id: pool, type: GlobalAvgPool1D}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
`,
    batch: (c) => floatBatch(c, 3, 2, 502),
  },
  {
    precision: 'float32',
    name: '2-block Transformer (learned positions, causal block, TimeDistributedDense, LastTokenPool)',
    yaml: head('transformer') + `
layers:
  - {id: ids, type: Input, shape: [4], dtype: int64}
  - {id: emb, type: Embedding, vocab_size: 6, dim: 4}
  - {id: pos, type: PositionalEmbedding, max_length: 6}
  - {id: b1, type: TransformerEncoderBlock, heads: 2, ff_dim: 6}
  - {id: b2, type: TransformerEncoderBlock, heads: 2, ff_dim: 5, causal: true}
  - {id: td, type: TimeDistributedDense, units: 3, activation: tanh}
  - {id: last, type: LastTokenPool}
  - {id: out, type: Dense, units: 3}
loss: cross_entropy
`,
    batch: (c) => tokenBatch(c, 3, 6, 3, 503),
    extra: usedRows(4),
  },
  {
    precision: 'float64',
    name: 'MultiHeadAttention (causal, key_dim != D / heads) with sinusoidal positions',
    yaml: head('mha') + `
layers:
  - {id: x, type: Input, shape: [3, 4]}
  - {id: pos, type: PositionalEmbedding, max_length: 3, mode: sinusoidal}
  - {id: att, type: MultiHeadAttention, heads: 3, key_dim: 2, causal: true}
  - {id: pool, type: GlobalAvgPool1D}
  - {id: out, type: Dense, units: 2}
loss: cross_entropy
`,
    batch: (c) => floatBatch(c, 3, 2, 504),
  },
];

const SEED = 23;
/** Finite-difference step and tolerance |fd - g| <= atol + rtol |g| per precision. */
const TOL = {
  float64: { h: 1e-6, atol: 1e-8, rtol: 1e-5 },
  float32: { h: 3e-3, atol: 2e-3, rtol: 3e-2 },
};

describe('sequence models: train-step gradients vs central differences', function () {
  this.timeout(60000);
  for (const gc of cases) {
    it(`${gc.name} [${gc.precision}]`, async () => {
      const { h: H, atol: ATOL, rtol: RTOL } = TOL[gc.precision];
      const c = compileText(gc.yaml, { precision: gc.precision });
      const t = await trainer(c);
      const batch = gc.batch(c);
      const { params, state } = initialValues(c, SEED);
      // Random biases and norm affines so no gradient is trivially symmetric; unit-scale tables
      // (their 0.02 init would put the LayerNorms in a regime too curved for a float32 step).
      for (const p of c.params) {
        const noise = ref.randn(p.shape, 600 + p.name.length, 0.3).data;
        if (/\.(b[qkvo]|B|bias|beta|ff\d_bias|ln\d_beta)$/.test(p.name)) params.set(p.name, noise);
        if (/\.(gamma|ln\d_gamma)$/.test(p.name)) params.set(p.name, noise.map((v) => 1 + v));
        if (/^(emb\.weight|pos\.position_table)$/.test(p.name)) params.set(p.name, ref.randn(p.shape, 700 + p.name.length).data);
      }
      const { gradient, lossAt } = await gradientProbe(t, c, params, state, batch);
      let checked = 0;
      for (const p of c.params.filter((q) => q.trainable)) {
        const w = params.get(p.name)!;
        const g = gradient(p.name);
        const picks = [...new Set([0, w.length - 1, Math.floor(w.length / 2), Math.floor(w.length / 3), ...(gc.extra?.(p.name, batch) ?? [])])];
        for (const i of picks) {
          const fd = ((await lossAt(p.name, i, H)) - (await lossAt(p.name, i, -H))) / (2 * H);
          assert.ok(Math.abs(fd - g[i]) <= ATOL + RTOL * Math.abs(g[i]),
            `${gc.name}: ${p.name} [${p.shape}] element ${i}: graph gradient ${g[i]} vs finite difference ${fd}`);
          if (g[i] !== 0) checked++;
        }
      }
      // Most checked elements must carry a real (non-zero) gradient, or the check proves little.
      assert.ok(checked >= 10, `${gc.name}: only ${checked} non-zero gradient elements checked`);
    });
  }
});
