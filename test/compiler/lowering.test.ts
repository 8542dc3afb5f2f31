// Forward lowering of every layer kind against the JS references, on small random inputs.
import { strict as assert } from 'assert';
import { runLayers } from './layer-harness';
import * as ref from './reference';
import type { T } from './reference';
import type { FakeLayer } from './fake-summary';

const TOL = 2e-5;

function assertClose(actual: T, expected: T, what: string, tol = TOL): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape [${actual.shape}] vs expected [${expected.shape}]`);
  const err = ref.maxRelError(actual.data, expected.data);
  assert.ok(err <= tol, `${what}: max relative error ${err.toExponential(2)} > ${tol} (shape [${expected.shape}])`);
}

const input = (shape: number[]): FakeLayer => ({ id: 'x', kind: 'Input', out: shape });

describe('compiler lowering: Dense and activations', () => {
  for (const activation of ['linear', 'relu', 'leaky_relu', 'gelu', 'sigmoid', 'tanh', 'softmax']) {
    it(`Dense with activation ${activation} matches x W + b (seed 11)`, async () => {
      const x = ref.randn([4, 5], 11);
      const w = ref.randn([5, 3], 12);
      const b = ref.randn([3], 13);
      let expected = ref.dense(x, w, b);
      expected = activation === 'softmax' ? ref.softmax(expected, 1) : ref.map(expected, ref.activations[activation]);
      const { y } = await runLayers(
        [input([5]), { id: 'd', kind: 'Dense', inputs: ['x'], attrs: { units: 3, activation }, out: [3], params: [{ name: 'weight', shape: [5, 3] }, { name: 'bias', shape: [3] }] }],
        'eval', { x }, { 'd.weight': w, 'd.bias': b });
      assertClose(y, expected, `Dense(${activation}) x[4,5] W[5,3]`);
    });
  }

  it('Dense on a [T, D] input applies to the last axis, without bias (seed 21)', async () => {
    const x = ref.randn([2, 3, 4], 21);
    const w = ref.randn([4, 6], 22);
    const { y } = await runLayers(
      [input([3, 4]), { id: 'd', kind: 'Dense', inputs: ['x'], attrs: { units: 6, use_bias: false }, out: [3, 6], params: [{ name: 'weight', shape: [4, 6] }] }],
      'eval', { x }, { 'd.weight': w });
    assertClose(y, ref.dense(x, w), 'Dense x[2,3,4] W[4,6]');
  });

  const standalone: [string, Record<string, unknown>, (x: T) => T][] = [
    ['ReLU', {}, (x) => ref.map(x, ref.activations.relu)],
    ['LeakyReLU', { alpha: 0.2 }, (x) => ref.map(x, (v) => (v > 0 ? v : 0.2 * v))],
    ['GELU', {}, (x) => ref.map(x, ref.activations.gelu)],
    ['Sigmoid', {}, (x) => ref.map(x, ref.activations.sigmoid)],
    ['Tanh', {}, (x) => ref.map(x, Math.tanh)],
    ['Softmax', {}, (x) => ref.softmax(x, 2)],
    ['Softmax', { axis: 0 }, (x) => ref.softmax(x, 1)],
  ];
  for (const [kind, attrs, f] of standalone) {
    it(`${kind} ${JSON.stringify(attrs)} on [3, 4] (seed 31)`, async () => {
      const x = ref.randn([2, 3, 4], 31, 2);
      const { y } = await runLayers([input([3, 4]), { id: 'a', kind, inputs: ['x'], attrs, out: [3, 4] }], 'eval', { x });
      assertClose(y, f(x), `${kind} ${JSON.stringify(attrs)} x[2,3,4]`);
    });
  }
});

interface ConvCase {
  name: string;
  inShape: number[]; // per sample [C, H, W] or [C, L]
  attrs: Record<string, unknown>;
  filters: number;
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** Expected pads, worked out by hand: top, left, bottom, right. */
  pads: [number, number, number, number];
  groups: number;
  bias: boolean;
}

const convCases: ConvCase[] = [
  { name: 'Conv2D 3x3 same', inShape: [2, 5, 5], attrs: { kernel_size: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'same', groups: 1 }, filters: 3, kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], groups: 1, bias: true },
  { name: 'Conv2D 2x2 same (asymmetric pads)', inShape: [1, 5, 4], attrs: { kernel_size: [2, 2], strides: [1, 1], dilation: [1, 1], padding: 'same', groups: 1 }, filters: 2, kernel: [2, 2], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 1, 1], groups: 1, bias: true },
  { name: 'Conv2D [3,2] stride [2,1] same', inShape: [2, 7, 5], attrs: { kernel_size: [3, 2], strides: [2, 1], dilation: [1, 1], padding: 'same', groups: 1 }, filters: 4, kernel: [3, 2], strides: [2, 1], dilations: [1, 1], pads: [1, 0, 1, 1], groups: 1, bias: true },
  { name: 'Conv2D 3x3 stride 2 dilation 2 groups 2 valid', inShape: [4, 9, 9], attrs: { kernel_size: [3, 3], strides: [2, 2], dilation: [2, 2], padding: 'valid', groups: 2 }, filters: 6, kernel: [3, 3], strides: [2, 2], dilations: [2, 2], pads: [0, 0, 0, 0], groups: 2, bias: true },
  { name: 'Conv2D 3x3 padding [1, 0] no bias', inShape: [2, 4, 5], attrs: { kernel_size: [3, 3], strides: [1, 1], dilation: [1, 1], padding: [1, 0], groups: 1, use_bias: false }, filters: 2, kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 0, 1, 0], groups: 1, bias: false },
  { name: 'Conv2D 3x3 dilation 2 stride 2 same', inShape: [1, 8, 8], attrs: { kernel_size: [3, 3], strides: [2, 2], dilation: [2, 2], padding: 'same', groups: 1 }, filters: 2, kernel: [3, 3], strides: [2, 2], dilations: [2, 2], pads: [1, 1, 2, 2], groups: 1, bias: true },
  { name: 'Conv1D k3 stride 2 same', inShape: [2, 9], attrs: { kernel_size: 3, strides: 2, dilation: 1, padding: 'same', groups: 1 }, filters: 3, kernel: [1, 3], strides: [1, 2], dilations: [1, 1], pads: [0, 1, 0, 1], groups: 1, bias: true },
  { name: 'Conv1D k3 dilation 2 groups 2 padding 1', inShape: [4, 8], attrs: { kernel_size: 3, strides: 1, dilation: 2, padding: 1, groups: 2 }, filters: 2, kernel: [1, 3], strides: [1, 1], dilations: [1, 2], pads: [0, 1, 0, 1], groups: 2, bias: true },
];

describe('compiler lowering: convolutions', () => {
  for (const c of convCases) {
    it(`${c.name} matches the direct convolution (seed 41)`, async () => {
      const oneD = c.inShape.length === 2;
      const x = ref.randn([2, ...c.inShape], 41);
      const cg = c.inShape[0] / c.groups;
      const wShape = oneD ? [c.filters, cg, c.kernel[1]] : [c.filters, cg, ...c.kernel];
      const w = ref.randn(wShape, 42);
      const b = ref.randn([c.filters], 43);
      const as4d = (t: T, extra: number[]) => ({ shape: extra, data: t.data });
      const x4 = oneD ? as4d(x, [2, c.inShape[0], 1, c.inShape[1]]) : x;
      const w4 = oneD ? as4d(w, [c.filters, cg, 1, c.kernel[1]]) : w;
      const e4 = ref.conv2d(x4, w4, c.bias ? b : undefined, { strides: c.strides, dilations: c.dilations, pads: c.pads, groups: c.groups });
      const expected = oneD ? { shape: [2, c.filters, e4.shape[3]], data: e4.data } : e4;
      const params = [{ name: 'weight', shape: wShape }, ...(c.bias ? [{ name: 'bias', shape: [c.filters] }] : [])];
      const { y } = await runLayers(
        [input(c.inShape), { id: 'conv', kind: oneD ? 'Conv1D' : 'Conv2D', inputs: ['x'], attrs: { filters: c.filters, ...c.attrs }, out: expected.shape.slice(1), params }],
        'eval', { x }, { 'conv.weight': w, 'conv.bias': b });
      assertClose(y, expected, `${c.name} x[${x.shape}] w[${wShape}]`);
    });
  }
});

describe('compiler lowering: pooling and reshapes', () => {
  const pools: { kind: string; inShape: number[]; attrs: Record<string, unknown>; k: [number, number]; s: [number, number]; pads: [number, number, number, number] }[] = [
    { kind: 'MaxPool2D', inShape: [2, 4, 6], attrs: { pool_size: [2, 2] }, k: [2, 2], s: [2, 2], pads: [0, 0, 0, 0] },
    { kind: 'MaxPool2D', inShape: [1, 5, 5], attrs: { pool_size: [2, 2], strides: [2, 2], padding: 'same' }, k: [2, 2], s: [2, 2], pads: [0, 0, 1, 1] },
    { kind: 'AvgPool2D', inShape: [2, 5, 4], attrs: { pool_size: [3, 2], strides: [2, 1], padding: [1, 0] }, k: [3, 2], s: [2, 1], pads: [1, 0, 1, 0] },
    { kind: 'AvgPool2D', inShape: [1, 5, 5], attrs: { pool_size: [2, 2], strides: [2, 2], padding: 'same' }, k: [2, 2], s: [2, 2], pads: [0, 0, 1, 1] },
  ];
  for (const p of pools) {
    it(`${p.kind} ${JSON.stringify(p.attrs)} on [${p.inShape}] (seed 51)`, async () => {
      const x = ref.randn([3, ...p.inShape], 51);
      const expected = ref.pool2d(x, p.kind === 'MaxPool2D' ? 'max' : 'avg', p.k, p.s, p.pads);
      const { y } = await runLayers([input(p.inShape), { id: 'p', kind: p.kind, inputs: ['x'], attrs: p.attrs, out: expected.shape.slice(1) }], 'eval', { x });
      assertClose(y, expected, `${p.kind} x[${x.shape}]`);
    });
  }

  it('GlobalAvgPool2D averages over H and W (seed 52)', async () => {
    const x = ref.randn([2, 3, 4, 5], 52);
    const { y } = await runLayers([input([3, 4, 5]), { id: 'p', kind: 'GlobalAvgPool2D', inputs: ['x'], out: [3] }], 'eval', { x });
    assertClose(y, ref.meanOver(x, [2, 3]), 'GlobalAvgPool2D x[2,3,4,5]');
  });

  it('GlobalAvgPool1D averages a [T, D] sequence over time (seed 53)', async () => {
    const x = ref.randn([2, 6, 3], 53);
    const { y } = await runLayers([input([6, 3]), { id: 'p', kind: 'GlobalAvgPool1D', inputs: ['x'], out: [3] }], 'eval', { x });
    assertClose(y, ref.meanOver(x, [1]), 'GlobalAvgPool1D x[2,6,3]');
  });

  it('Flatten and Reshape keep the batch and the element order (seed 54)', async () => {
    const x = ref.randn([3, 2, 3, 4], 54);
    const flat = await runLayers([input([2, 3, 4]), { id: 'f', kind: 'Flatten', inputs: ['x'], out: [24] }], 'eval', { x });
    assertClose(flat.y, { shape: [3, 24], data: x.data }, 'Flatten [2,3,4]');
    const re = await runLayers([input([2, 3, 4]), { id: 'r', kind: 'Reshape', inputs: ['x'], attrs: { shape: [6, -1] }, out: [6, 4] }], 'eval', { x });
    assertClose(re.y, { shape: [3, 6, 4], data: x.data }, 'Reshape [2,3,4] -> [6,-1]');
  });
});

describe('compiler lowering: merges', () => {
  it('Add sums three inputs (seed 61)', async () => {
    const [a, b, c] = [61, 62, 63].map((s) => ref.randn([2, 4], s));
    const layers: FakeLayer[] = [
      { id: 'a', kind: 'Input', out: [4] },
      { id: 'b', kind: 'Input', out: [4] },
      { id: 'c', kind: 'Input', out: [4] },
      { id: 's', kind: 'Add', inputs: ['a', 'b', 'c'], out: [4] },
    ];
    const { y } = await runLayers(layers, 'eval', { a, b, c });
    assertClose(y, { shape: [2, 4], data: a.data.map((v, i) => v + b.data[i] + c.data[i]) }, 'Add of 3 x [2,4]');
  });

  for (const axis of [0, -1, 2]) {
    it(`Concat along per-sample axis ${axis} of [C, H, W] (seed 64)`, async () => {
      const a = ref.randn([2, 2, 3, 2], 64);
      const b = ref.randn([2, 2, 3, 2], 65);
      const ax = (axis < 0 ? axis + 3 : axis) + 1;
      const outShape = a.shape.map((d, i) => (i === ax ? 2 * d : d));
      // Reference: walk the output and pick from a or b.
      const data: number[] = [];
      const idx = [0, 0, 0, 0];
      for (let flat = 0; flat < ref.size(outShape); flat++) {
        const fromB = idx[ax] >= a.shape[ax];
        const src = fromB ? b : a;
        const j = idx.map((v, i) => (i === ax && fromB ? v - a.shape[ax] : v));
        data.push(src.data[((j[0] * 2 + j[1]) * 3 + j[2]) * 2 + j[3]]);
        for (let d = 3; d >= 0; d--) {
          if (++idx[d] < outShape[d]) break;
          idx[d] = 0;
        }
      }
      const layers: FakeLayer[] = [
        { id: 'a', kind: 'Input', out: [2, 3, 2] },
        { id: 'b', kind: 'Input', out: [2, 3, 2] },
        { id: 'cat', kind: 'Concat', inputs: ['a', 'b'], attrs: { axis }, out: outShape.slice(1) },
      ];
      const { y } = await runLayers(layers, 'eval', { a, b });
      assertClose(y, { shape: outShape, data }, `Concat axis ${axis}`);
    });
  }
});

describe('compiler lowering: BatchNorm', () => {
  for (const shape of [[3, 4, 5], [6]]) {
    const bn: FakeLayer = {
      id: 'bn', kind: 'BatchNorm', inputs: ['x'], attrs: { momentum: 0.8, epsilon: 1e-3 }, out: shape,
      params: [{ name: 'gamma', shape: [shape[0]] }, { name: 'beta', shape: [shape[0]] }, { name: 'running_mean', shape: [shape[0]], trainable: false }, { name: 'running_var', shape: [shape[0]], trainable: false }],
    };
    const c = shape[0];
    const params = {
      'bn.gamma': ref.randn([c], 72),
      'bn.beta': ref.randn([c], 73),
      'bn.running_mean': ref.randn([c], 74),
      'bn.running_var': ref.map(ref.randn([c], 75), (v) => 0.5 + Math.abs(v)),
    };
    it(`train mode on [${shape}] uses batch statistics and updates the running ones (seed 71)`, async () => {
      const x = ref.map(ref.randn([4, ...shape], 71), (v) => 3 * v + 1);
      const { y, updates } = await runLayers([input(shape), bn], 'train', { x }, params);
      const e = ref.batchNorm(x, params['bn.gamma'].data, params['bn.beta'].data, 1e-3);
      assertClose(y, e.y, `BatchNorm train [${shape}]`, 1e-4);
      const blend = (old: number[], batch: number[]) => ({ shape: [c], data: old.map((o, i) => 0.8 * o + 0.2 * batch[i]) });
      assertClose({ shape: [c], data: updates['bn.running_mean'] }, blend(params['bn.running_mean'].data, e.mean), 'running_mean update');
      assertClose({ shape: [c], data: updates['bn.running_var'] }, blend(params['bn.running_var'].data, e.var), 'running_var update', 1e-4);
    });
    it(`eval mode on [${shape}] uses the running statistics (seed 71)`, async () => {
      const x = ref.randn([4, ...shape], 71);
      const { y, updates } = await runLayers([input(shape), bn], 'eval', { x }, params);
      const e = ref.batchNorm(x, params['bn.gamma'].data, params['bn.beta'].data, 1e-3, { mean: params['bn.running_mean'].data, var: params['bn.running_var'].data });
      assertClose(y, e.y, `BatchNorm eval [${shape}]`);
      assert.deepEqual(Object.keys(updates), [], 'eval mode must not update running statistics');
    });
  }
});

describe('compiler lowering: Dropout', () => {
  const layers = (rate: number): FakeLayer[] => [input([50, 40]), { id: 'drop', kind: 'Dropout', inputs: ['x'], attrs: { rate }, out: [50, 40] }];
  const ones: T = { shape: [4, 50, 40], data: new Array(8000).fill(1) };

  it('is the identity in eval mode', async () => {
    const x = ref.randn([2, 50, 40], 81);
    const { y } = await runLayers(layers(0.5), 'eval', { x });
    assertClose(y, x, 'Dropout eval');
  });

  for (const rate of [0.1, 0.5, 0.8]) {
    it(`train mode with rate ${rate} drops about that fraction and scales the rest by 1/(1-rate)`, async () => {
      const { y } = await runLayers(layers(rate), 'train', { x: ones }, {}, 12345);
      const kept = y.data.filter((v) => v !== 0);
      for (const v of kept) assert.ok(Math.abs(v - 1 / (1 - rate)) < 1e-5, `kept value ${v} should be ${1 / (1 - rate)}`);
      const dropped = 1 - kept.length / y.data.length;
      // 8000 Bernoulli draws: the standard error is below 0.006.
      assert.ok(Math.abs(dropped - rate) < 0.03, `dropped fraction ${dropped.toFixed(4)} vs rate ${rate} (seed 12345)`);
    });
  }

  it('masks are a deterministic function of the seed and look independent across elements', async () => {
    const a = await runLayers(layers(0.5), 'train', { x: ones }, {}, 7);
    const b = await runLayers(layers(0.5), 'train', { x: ones }, {}, 7);
    const c = await runLayers(layers(0.5), 'train', { x: ones }, {}, 8);
    assert.deepEqual(a.y.data, b.y.data, 'same seed 7 must give the same mask');
    const differ = a.y.data.filter((v, i) => v !== c.y.data[i]).length / a.y.data.length;
    assert.ok(differ > 0.4 && differ < 0.6, `seeds 7 and 8 should give unrelated masks, ${differ.toFixed(3)} of elements differ`);
    // Neighbouring elements: P(both kept) should be about 1/4.
    const keep = a.y.data.map((v) => (v !== 0 ? 1 : 0));
    let both = 0;
    for (let i = 0; i + 1 < keep.length; i++) both += keep[i] & keep[i + 1];
    const pBoth = both / (keep.length - 1);
    assert.ok(Math.abs(pBoth - 0.25) < 0.03, `P(neighbours both kept) = ${pBoth.toFixed(3)}, expected about 0.25 (seed 7)`);
    // Each sample of the batch gets its own mask.
    const per = 2000;
    const sameAsFirst = keep.slice(per, 2 * per).filter((v, i) => v === keep[i]).length / per;
    assert.ok(sameAsFirst < 0.6, `sample 2 repeats sample 1's mask (${sameAsFirst.toFixed(3)} equal)`);
  });
});
