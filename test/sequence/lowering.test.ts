// Forward lowering of the sequence and attention layers against the JS references, on small
// random inputs (float32 graphs, float64 references).
import { strict as assert } from 'assert';
import { runLayers } from '../compiler/layer-harness';
import * as ref from '../compiler/reference';
import type { T } from '../compiler/reference';
import type { FakeLayer } from '../compiler/fake-summary';
import * as seq from './reference';

const TOL = 2e-5;

function assertClose(actual: T, expected: T, what: string, tol = TOL): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape [${actual.shape}] vs expected [${expected.shape}]`);
  const err = ref.maxRelError(actual.data, expected.data);
  assert.ok(err <= tol, `${what}: max relative error ${err.toExponential(2)} > ${tol} (shape [${expected.shape}])`);
}

const input = (shape: number[], dtype: 'float32' | 'int64' = 'float32'): FakeLayer => ({ id: 'x', kind: 'Input', out: shape, dtype });

describe('sequence lowering: embeddings, norms and pooling', () => {
  it('Embedding gathers table rows by token id (repeated ids included)', async () => {
    const ids: T = { shape: [2, 4], data: [0, 3, 3, 1, 2, 0, 4, 4] };
    const table = ref.randn([5, 3], 41);
    const { y } = await runLayers(
      [input([4], 'int64'), { id: 'e', kind: 'Embedding', inputs: ['x'], attrs: { vocab_size: 5, dim: 3 }, out: [4, 3], params: [{ name: 'weight', shape: [5, 3] }] }],
      'eval', { x: ids }, { 'e.weight': table });
    const expected = ids.data.flatMap((id) => table.data.slice(id * 3, id * 3 + 3));
    assertClose(y, { shape: [2, 4, 3], data: expected }, 'Embedding');
  });

  it('PositionalEmbedding (learned) adds table rows 0..T-1', async () => {
    const x = ref.randn([2, 3, 4], 42);
    const table = ref.randn([5, 4], 43);
    const { y } = await runLayers(
      [input([3, 4]), { id: 'p', kind: 'PositionalEmbedding', inputs: ['x'], attrs: { max_length: 5, mode: 'learned' }, out: [3, 4], params: [{ name: 'position_table', shape: [5, 4] }] }],
      'eval', { x }, { 'p.position_table': table });
    assertClose(y, { shape: x.shape, data: x.data.map((v, i) => v + table.data[i % 12]) }, 'learned positions');
  });

  it('PositionalEmbedding (sinusoidal) adds the fixed sine/cosine code', async () => {
    const x = ref.randn([2, 6, 4], 44);
    const code = seq.sinusoid(6, 4);
    const { y } = await runLayers([input([6, 4]), { id: 'p', kind: 'PositionalEmbedding', inputs: ['x'], attrs: { max_length: 8, mode: 'sinusoidal' }, out: [6, 4] }], 'eval', { x });
    assertClose(y, { shape: x.shape, data: x.data.map((v, i) => v + code[i % 24]) }, 'sinusoidal positions', 1e-4);
  });

  it('LayerNorm normalises over the last axis with gamma and beta', async () => {
    const x = ref.randn([2, 3, 5], 45, 3);
    const gamma = ref.randn([5], 46);
    const beta = ref.randn([5], 47);
    const { y } = await runLayers(
      [input([3, 5]), { id: 'n', kind: 'LayerNorm', inputs: ['x'], attrs: { epsilon: 1e-5 }, out: [3, 5], params: [{ name: 'gamma', shape: [5] }, { name: 'beta', shape: [5] }] }],
      'eval', { x }, { 'n.gamma': gamma, 'n.beta': beta });
    assertClose(y, seq.layerNorm(x, gamma.data, beta.data, 1e-5), 'LayerNorm', 1e-4);
  });

  it('LastTokenPool takes the features of the last step; GlobalAvgPool1D the mean over time', async () => {
    const x = ref.randn([2, 4, 3], 48);
    const last = await runLayers([input([4, 3]), { id: 'l', kind: 'LastTokenPool', inputs: ['x'], out: [3] }], 'eval', { x });
    assertClose(last.y, { shape: [2, 3], data: [...x.data.slice(9, 12), ...x.data.slice(21, 24)] }, 'LastTokenPool');
    const mean = await runLayers([input([4, 3]), { id: 'm', kind: 'GlobalAvgPool1D', inputs: ['x'], out: [3] }], 'eval', { x });
    assertClose(mean.y, ref.meanOver(x, [1]), 'GlobalAvgPool1D');
  });

  it('TimeDistributedDense applies one Dense (with activation) at every step', async () => {
    const x = ref.randn([2, 4, 3], 49);
    const w = ref.randn([3, 5], 50);
    const b = ref.randn([5], 51);
    const { y } = await runLayers(
      [input([4, 3]), { id: 't', kind: 'TimeDistributedDense', inputs: ['x'], attrs: { units: 5, activation: 'tanh' }, out: [4, 5], params: [{ name: 'weight', shape: [3, 5] }, { name: 'bias', shape: [5] }] }],
      'eval', { x }, { 't.weight': w, 't.bias': b });
    assertClose(y, ref.map(ref.dense(x, w, b), Math.tanh), 'TimeDistributedDense');
  });
});

describe('sequence lowering: recurrent layers', () => {
  const kinds: seq.RecurrentOpts['kind'][] = ['SimpleRNN', 'LSTM', 'GRU'];
  let seed = 60;
  for (const kind of kinds) {
    for (const bidirectional of [false, true]) {
      for (const returnSequences of [false, true]) {
        const s = (seed += 4);
        it(`${kind} bidirectional=${bidirectional} return_sequences=${returnSequences} matches the cell equations (seed ${s})`, async () => {
          const [steps, d, u] = [5, 3, 4];
          const dirs = bidirectional ? 2 : 1;
          const g = { SimpleRNN: 1, LSTM: 4, GRU: 3 }[kind] * u;
          const x = ref.randn([2, steps, d], s);
          const w = ref.randn([dirs, g, d], s + 1, 0.5);
          const r = ref.randn([dirs, g, u], s + 2, 0.5);
          const b = ref.randn([dirs, 2 * g], s + 3, 0.5);
          const out = returnSequences ? [steps, dirs * u] : [dirs * u];
          const { y } = await runLayers(
            [input([steps, d]), {
              id: 'r', kind, inputs: ['x'], attrs: { units: u, bidirectional, return_sequences: returnSequences }, out,
              params: [{ name: 'W', shape: [dirs, g, d] }, { name: 'R', shape: [dirs, g, u] }, { name: 'B', shape: [dirs, 2 * g] }],
            }],
            'eval', { x }, { 'r.W': w, 'r.R': r, 'r.B': b });
          assertClose(y, seq.recurrent(x, w, r, b, { kind, units: u, bidirectional, returnSequences }), kind, 1e-4);
        });
      }
    }
  }
});

describe('sequence lowering: attention', () => {
  const weights = (d: number, inner: number, seed: number): seq.AttentionWeights => ({
    Wq: ref.randn([d, inner], seed), bq: ref.randn([inner], seed + 1), Wk: ref.randn([d, inner], seed + 2), bk: ref.randn([inner], seed + 3),
    Wv: ref.randn([d, inner], seed + 4), bv: ref.randn([inner], seed + 5), Wo: ref.randn([inner, d], seed + 6), bo: ref.randn([d], seed + 7),
  });
  const paramSpecs = (d: number, inner: number) => [
    { name: 'Wq', shape: [d, inner] }, { name: 'bq', shape: [inner] }, { name: 'Wk', shape: [d, inner] }, { name: 'bk', shape: [inner] },
    { name: 'Wv', shape: [d, inner] }, { name: 'bv', shape: [inner] }, { name: 'Wo', shape: [inner, d] }, { name: 'bo', shape: [d] },
  ];
  const feeds = (id: string, p: seq.AttentionWeights) => Object.fromEntries(Object.entries(p).map(([k, v]) => [`${id}.${k}`, v]));

  for (const causal of [false, true]) {
    it(`MultiHeadAttention heads 2, key_dim 3, causal ${causal} matches scaled dot-product attention`, async () => {
      const [steps, d, heads, keyDim] = [4, 4, 2, 3];
      const x = ref.randn([2, steps, d], 80, 0.5);
      const p = weights(d, heads * keyDim, 81);
      const { y } = await runLayers(
        [input([steps, d]), { id: 'a', kind: 'MultiHeadAttention', inputs: ['x'], attrs: { heads, key_dim: keyDim, causal, dropout: 0.3 }, out: [steps, d], params: paramSpecs(d, heads * keyDim) }],
        'eval', { x }, feeds('a', p));
      assertClose(y, seq.selfAttention(x, p, heads, keyDim, causal), `MHA causal=${causal}`, 1e-4);
    });
  }

  it('TransformerEncoderBlock is x + MHA(LN(x)), then + FF(GELU) on LN of that (eval: no dropout)', async () => {
    const [steps, d, heads, ff] = [3, 4, 2, 6];
    const x = ref.randn([2, steps, d], 90);
    const p = weights(d, d, 91);
    const ln = (s: number) => ({ gamma: ref.randn([d], s), beta: ref.randn([d], s + 1) });
    const [ln1, ln2] = [ln(100), ln(102)];
    const ff1w = ref.randn([d, ff], 104, 0.5);
    const ff1b = ref.randn([ff], 105);
    const ff2w = ref.randn([ff, d], 106, 0.5);
    const ff2b = ref.randn([d], 107);
    const params = [
      { name: 'ln1_gamma', shape: [d] }, { name: 'ln1_beta', shape: [d] }, ...paramSpecs(d, d), { name: 'ln2_gamma', shape: [d] }, { name: 'ln2_beta', shape: [d] },
      { name: 'ff1_weight', shape: [d, ff] }, { name: 'ff1_bias', shape: [ff] }, { name: 'ff2_weight', shape: [ff, d] }, { name: 'ff2_bias', shape: [d] },
    ];
    const { y } = await runLayers(
      [input([steps, d]), { id: 'b', kind: 'TransformerEncoderBlock', inputs: ['x'], attrs: { heads, ff_dim: ff, dropout: 0.1, causal: true }, out: [steps, d], params }],
      'eval', { x }, {
        ...feeds('b', p), 'b.ln1_gamma': ln1.gamma, 'b.ln1_beta': ln1.beta, 'b.ln2_gamma': ln2.gamma, 'b.ln2_beta': ln2.beta,
        'b.ff1_weight': ff1w, 'b.ff1_bias': ff1b, 'b.ff2_weight': ff2w, 'b.ff2_bias': ff2b,
      });
    const add = (a: T, b: T): T => ({ shape: a.shape, data: a.data.map((v, i) => v + b.data[i]) });
    const h = add(x, seq.selfAttention(seq.layerNorm(x, ln1.gamma.data, ln1.beta.data, 1e-5), p, heads, d / heads, true));
    const inner = ref.map(ref.dense(seq.layerNorm(h, ln2.gamma.data, ln2.beta.data, 1e-5), ff1w, ff1b), ref.activations.gelu);
    assertClose(y, add(h, ref.dense(inner, ff2w, ff2b)), 'TransformerEncoderBlock', 1e-4);
  });

  it('train-mode attention dropout is seeded: same seed same output, another seed differs', async () => {
    const [steps, d] = [4, 4];
    const x = ref.randn([2, steps, d], 110);
    const p = weights(d, d, 111);
    const layers: FakeLayer[] = [input([steps, d]), { id: 'a', kind: 'MultiHeadAttention', inputs: ['x'], attrs: { heads: 2, key_dim: 2, dropout: 0.5 }, out: [steps, d], params: paramSpecs(d, d) }];
    const a = await runLayers(layers, 'train', { x }, feeds('a', p), 5);
    const b = await runLayers(layers, 'train', { x }, feeds('a', p), 5);
    const c = await runLayers(layers, 'train', { x }, feeds('a', p), 6);
    assert.deepEqual(a.y.data, b.y.data);
    assert.ok(ref.maxRelError(a.y.data, c.y.data) > 1e-3, 'a different seed should drop different attention weights');
    assert.ok(ref.maxRelError(a.y.data, seq.selfAttention(x, p, 2, 2, false).data) > 1e-3, 'train mode should apply dropout');
  });
});
