// The attribution methods against functions whose attributions are known by hand, the rank
// correlation, baselines, layouts and option checking; no model or onnxruntime involved.
import * as assert from 'assert';
import type { ScalarFunction } from '../../src/explain/runner';
import { gradientTimesInput, vanillaGradient } from '../../src/explain/methods/gradient';
import { integratedGradients, midpointAlphas } from '../../src/explain/methods/integrated-gradients';
import { occlusion, windowStarts } from '../../src/explain/methods/occlusion';
import { smoothGrad, smoothGradSigma } from '../../src/explain/methods/smoothgrad';
import { ranks, spearman } from '../../src/explain/rank';
import { blurred, makeBaseline } from '../../src/explain/baselines';
import { attributionMap, foldTokens, slidAxes } from '../../src/explain/layout';
import { resolveOptions } from '../../src/explain/options';
import { completenessCheck, massInMask, randomizationCheck } from '../../src/explain/trust';

/** A ScalarFunction from f and ∇f on single points, counting the points and the largest call. */
function fakeFunction(size: number, f: (x: Float64Array) => number, grad: (x: Float64Array) => Float64Array, maxBatch = 3): ScalarFunction & { largestCall: number } {
  let evaluations = 0;
  let largestCall = 0;
  const at = (xs: Float64Array, k: number) => xs.subarray(k * size, (k + 1) * size);
  return {
    size,
    maxBatch,
    get evaluations() {
      return evaluations;
    },
    get largestCall() {
      return largestCall;
    },
    async values(xs, n) {
      evaluations += n;
      largestCall = Math.max(largestCall, n);
      return Float64Array.from({ length: n }, (_, k) => f(at(xs, k)));
    },
    async gradients(xs, n) {
      evaluations += n;
      largestCall = Math.max(largestCall, n);
      const gradients = new Float64Array(n * size);
      const values = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        values[k] = f(at(xs, k));
        gradients.set(grad(at(xs, k)), k * size);
      }
      return { values, gradients };
    },
  };
}

/** f(x) = w · x + c. */
function linear(w: number[], c = 0) {
  return fakeFunction(
    w.length,
    (x) => w.reduce((s, wi, i) => s + wi * x[i], c),
    () => Float64Array.from(w),
  );
}

/** f(x) = tanh(w · x) + Σ sin(x_i): curved, so Riemann sums have an error that shrinks with steps. */
function curved(w: number[]) {
  const dot = (x: Float64Array) => w.reduce((s, wi, i) => s + wi * x[i], 0);
  return fakeFunction(
    w.length,
    (x) => Math.tanh(dot(x)) + x.reduce((s, v) => s + Math.sin(v), 0),
    (x) => {
      const t = Math.tanh(dot(x));
      return Float64Array.from(w, (wi, i) => wi * (1 - t * t) + Math.cos(x[i]));
    },
  );
}

const X = Float64Array.of(1, 2, 3, 4);
const W = [0.5, -1, 2, 0.25];

describe('explain/methods', () => {
  it('vanilla gradient and gradient × input of a linear function', async () => {
    const g = await vanillaGradient(linear(W, 3), X);
    assert.deepStrictEqual(Array.from(g.attributions), W);
    assert.strictEqual(g.score, 0.5 - 2 + 6 + 1 + 3);
    const gxi = await gradientTimesInput(linear(W), X);
    assert.deepStrictEqual(Array.from(gxi.attributions), [0.5, -2, 6, 1]);
  });

  it('occlusion with window 2, stride 1: each element gets the mean drop of the windows covering it (by hand)', async () => {
    // Contributions w_i x_i = [0.5, -2, 6, 1]; windows {0,1} {1,2} {2,3} drop -1.5, 4, 7.
    const r = await occlusion(linear(W), X, new Float64Array(4), { shape: [4], axes: [0], window: [2], stride: [1] });
    assert.deepStrictEqual(Array.from(r.attributions), [-1.5, (-1.5 + 4) / 2, (4 + 7) / 2, 7]);
  });

  it('occlusion with window 3, stride 2 adds a window flush with the end; a baseline replaces instead of zeros', async () => {
    // Starts 0 and (flush) 1: windows {0,1,2} drops 4.5, {1,2,3} drops 5.
    const r = await occlusion(linear(W), X, new Float64Array(4), { shape: [4], axes: [0], window: [3], stride: [2] });
    assert.deepStrictEqual(Array.from(r.attributions), [4.5, 4.75, 4.75, 5]);
    // Baseline 1 everywhere: drops are Σ w_i (x_i − 1) over the window: {0,1,2} → 0 − 1 + 4 = 3, {1,2,3} → −1 + 4 + 0.75.
    const b = await occlusion(linear(W), X, new Float64Array(4).fill(1), { shape: [4], axes: [0], window: [3], stride: [2] });
    assert.deepStrictEqual(Array.from(b.attributions), [3, (3 + 3.75) / 2, (3 + 3.75) / 2, 3.75]);
  });

  it('occlusion of an image covers all channels of a pixel together', async () => {
    // [C=2, H=2, W=2]; f = Σ w x with w = 1..8 and x = 1: occluding pixel (h, w) drops w at both channels.
    const w = [1, 2, 3, 4, 5, 6, 7, 8];
    const r = await occlusion(linear(w), new Float64Array(8).fill(1), new Float64Array(8), { shape: [2, 2, 2], axes: slidAxes('image', [2, 2, 2]), window: [1, 1], stride: [1, 1] });
    const perPixel = [1 + 5, 2 + 6, 3 + 7, 4 + 8];
    assert.deepStrictEqual(Array.from(r.attributions), [...perPixel, ...perPixel]);
  });

  it('window starts cover every element', () => {
    assert.deepStrictEqual(windowStarts(28, 4, 2), Array.from({ length: 13 }, (_, i) => 2 * i));
    assert.deepStrictEqual(windowStarts(10, 4, 3), [0, 3, 6]);
    assert.deepStrictEqual(windowStarts(10, 4, 4), [0, 4, 6]);
    assert.deepStrictEqual(windowStarts(3, 5, 1), [0]);
  });

  it('Integrated Gradients: exact for linear functions, completeness gap shrinking with steps for curved ones', async () => {
    const lin = await integratedGradients(linear(W, 1), X, new Float64Array(4), 3);
    assert.deepStrictEqual(Array.from(lin.attributions), [0.5, -2, 6, 1]);
    assert.deepStrictEqual([lin.score, lin.baselineScore], [6.5, 1]);
    const x = Float64Array.of(0.8, -1.2, 2.5);
    const base = Float64Array.of(0.1, 0.3, -0.4);
    const gaps: number[] = [];
    for (const steps of [2, 8, 32, 128]) {
      const fn = curved([1.5, -0.7, 0.4]);
      const r = await integratedGradients(fn, x, base, steps);
      const c = completenessCheck(r.attributions, r.score, r.baselineScore!, steps, 'zeros');
      gaps.push(c.relativeGap);
      assert.ok(fn.largestCall <= fn.maxBatch, 'points are fed in chunks of maxBatch');
      assert.strictEqual(fn.evaluations, steps + 2, 'one gradient per step, plus f(x) and f(baseline)');
    }
    for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] < gaps[i - 1] / 3, `gap shrinks with steps: ${gaps.join(', ')}`);
    assert.ok(gaps[gaps.length - 1] < 1e-3, `gap at 128 steps: ${gaps[gaps.length - 1]}`);
    assert.deepStrictEqual(midpointAlphas(4), [0.125, 0.375, 0.625, 0.875]);
  });

  it('SmoothGrad: seeded, the plain gradient without noise, and unbiased for a linear gradient', async () => {
    const x = Float64Array.of(0.3, -0.5, 1.1);
    const q = [2, -1, 0.5];
    // f = Σ q_i x_i² / 2 has ∇f = q ⊙ x, linear in x, so noise averages out.
    const quad = () =>
      fakeFunction(
        3,
        (v) => v.reduce((s, vi, i) => s + (q[i] * vi * vi) / 2, 0),
        (v) => Float64Array.from(v, (vi, i) => q[i] * vi),
        7,
      );
    const exact = Float64Array.from(x, (v, i) => q[i] * v);
    const none = await smoothGrad(quad(), x, 5, 0, 1);
    assert.deepStrictEqual(Array.from(none.attributions), Array.from(exact));
    const a = await smoothGrad(quad(), x, 4000, 0.2, 42);
    const b = await smoothGrad(quad(), x, 4000, 0.2, 42);
    assert.deepStrictEqual(Array.from(a.attributions), Array.from(b.attributions), 'same seed, same result');
    const sigma = smoothGradSigma(x, 0.2);
    assert.ok(Math.abs(sigma - 0.2 * 1.6) < 1e-12);
    a.attributions.forEach((v, i) => assert.ok(Math.abs(v - exact[i]) < 4 * Math.abs(q[i]) * sigma / Math.sqrt(4000) + 1e-12, `element ${i}: ${v} vs ${exact[i]}`));
    const c = await smoothGrad(quad(), x, 50, 0.2, 43);
    assert.notDeepStrictEqual(Array.from(c.attributions), Array.from(a.attributions));
  });
});

describe('explain/trust, rank, baselines, layout, options', () => {
  it('Spearman: 1 for a monotone map, −1 reversed, tied values share ranks, 0 for a constant side', () => {
    assert.deepStrictEqual(Array.from(ranks([10, 20, 20, 5])), [2, 3.5, 3.5, 1]);
    assert.ok(Math.abs(spearman([1, 2, 3, 4], [1, 8, 27, 64]) - 1) < 1e-12);
    assert.ok(Math.abs(spearman([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12);
    assert.strictEqual(spearman([1, 2, 3], [5, 5, 5]), 0);
  });

  it('the randomization check calls alike maps alike, whatever their scale or sign', () => {
    const trained = [0.1, -0.5, 0.9, 0.05, -0.3, 0.7];
    const same = randomizationCheck(trained, trained.map((v) => -3 * v), 7);
    assert.ok(same.alike && Math.abs(same.spearman - 1) < 1e-12 && same.spearmanSigned < -0.99 && same.seed === 7);
    const other = randomizationCheck(trained, [0.9, 0.05, 0.1, 0.7, 0.5, 0.3], 7);
    assert.ok(!other.alike && other.spearman < 0.5, `ρ = ${other.spearman}`);
  });

  it('mass in mask is the share of |map| where the mask is set', () => {
    assert.strictEqual(massInMask([1, -1, 2, 0], [0, 1, 1, 0]), 0.75);
    assert.strictEqual(massInMask([0, 0], [1, 0]), 0);
  });

  it('blurred baselines keep a constant image constant and smooth a spike; tabular inputs have none', () => {
    const flat = blurred(new Float64Array(2 * 6 * 6).fill(0.4), [2, 6, 6], 'image');
    assert.ok(flat.every((v) => Math.abs(v - 0.4) < 1e-12));
    const spike = new Float64Array(9 * 9);
    spike[40] = 1;
    const b = blurred(spike, [1, 9, 9], 'image');
    assert.ok(b[40] < 0.2 && b[40] > b[41] && b[41] > b[42] && b[0] > 0);
    assert.ok(Math.abs(b.reduce((s, v) => s + v, 0) - 1) < 0.2, 'mass is roughly kept');
    assert.throws(() => makeBaseline('blurred', new Float64Array(3), { kind: 'tabular', shape: [3], mean: () => new Float64Array(3) }), /blurred baseline needs an image/);
    const mean = Float64Array.of(1, 2, 3);
    assert.strictEqual(makeBaseline('mean', new Float64Array(3), { kind: 'tabular', shape: [3], mean: () => mean }), mean);
  });

  it('token attributions fold over the embedding: sums for signed maps, norms for magnitudes; images combine channels', () => {
    const e = [1, -2, 2, 0.5, 3, 4];
    assert.deepStrictEqual(Array.from(foldTokens(e, 3, 2, false)), [-1, 2.5, 7]);
    assert.deepStrictEqual(Array.from(foldTokens(e, 3, 2, true)), [Math.sqrt(5), Math.sqrt(4.25), 5]);
    const m = attributionMap('image', [2, 1, 2], [1, -2, 3, 4], false);
    assert.deepStrictEqual([Array.from(m.values), m.shape], [[4, 2], [1, 2]]);
    assert.deepStrictEqual(Array.from(attributionMap('image', [2, 1, 2], [1, -2, 3, 4], true).values), [4, 6]);
    assert.deepStrictEqual(slidAxes('tokens', [6, 4]), [0]);
    assert.deepStrictEqual(slidAxes('tensor', [3, 50]), [1]);
  });

  it('options: defaults by input kind, and messages that name the option and its flag', () => {
    const img = resolveOptions({ method: 'occlusion' }, 'image', [1, 28, 28], [1, 2]);
    assert.deepStrictEqual([img.window, img.stride, img.steps, img.baseline], [[4, 4], [2, 2], 64, 'zeros']);
    assert.deepStrictEqual(resolveOptions({ method: 'occlusion', window: 50 }, 'image', [1, 28, 28], [1, 2]).window, [28, 28]);
    assert.deepStrictEqual(resolveOptions({ method: 'occlusion' }, 'tabular', [5], [0]).window, [1]);
    assert.throws(() => resolveOptions({ method: 'integrated_gradients', steps: 0 }, 'tabular', [5], [0]), /steps \(--steps\) must be an integer from 1/);
    assert.throws(() => resolveOptions({ method: 'lime' as never }, 'tabular', [5], [0]), /method \(--method\) must be one of/);
    assert.throws(() => resolveOptions({ method: 'smoothgrad', noise: -1 }, 'tabular', [5], [0]), /noise \(--noise\)/);
    assert.throws(() => resolveOptions({ method: 'occlusion', window: [2, 2, 2] }, 'image', [1, 28, 28], [1, 2]), /list of 2/);
  });
});
