import * as assert from 'assert';
import fc from 'fast-check';
import { histogram } from '../../src/engine/histogram';
import { barHeights, gradientHoverMarkdown, histogramSvg, sparkline } from '../../src/extension/training/histogramView';
import { decorationText, formatValue, gradientLevel, layerGradients } from '../../src/extension/training/layerGradients';
import { gradPoint, MetricSeries, thin } from '../../src/extension/training/metricSeries';
import { appendBatch, RateLimiter, type Clock } from '../../src/extension/training/rateLimiter';
import { detectOverfitting, overfittingMessage, smallDatasetMessage } from '../../src/extension/training/warningRules';
import type { EpochPoint } from '../../src/webview-protocol/dashboard';

/** A clock whose time only moves when the test says so. */
class FakeClock implements Clock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== h);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.t = due.at;
      this.timers = this.timers.filter((t) => t !== due);
      due.fn();
    }
    this.t = end;
  }
}

const epoch = (n: number, loss: number, valLoss?: number): EpochPoint => ({ epoch: n, loss, metrics: {}, valLoss, lr: 0.01, seconds: 1 });

describe('extension-training: histogram binning', () => {
  it('counts every finite value once, min in the first bin and max in the last', () => {
    const h = histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5);
    assert.deepStrictEqual(h.counts, [2, 2, 2, 2, 3]);
    assert.strictEqual(h.min, 0);
    assert.strictEqual(h.max, 10);
    assert.strictEqual(h.meanAbs, 5);
  });

  it('counts NaN and infinities apart, and puts a constant tensor in the middle bin', () => {
    const h = histogram([1, NaN, Infinity, 1, -Infinity], 4);
    assert.strictEqual(h.nonFinite, 3);
    assert.deepStrictEqual(h.counts, [0, 0, 2, 0]);
    const empty = histogram([], 3);
    assert.deepStrictEqual(empty.counts, [0, 0, 0]);
  });

  it('keeps the total for any input (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: false }), { maxLength: 200 }), fc.integer({ min: 1, max: 40 }), (xs, bins) => {
        const h = histogram(Float64Array.from(xs), bins);
        const finite = xs.filter((v) => Number.isFinite(v)).length;
        assert.strictEqual(h.counts.reduce((a, b) => a + b, 0), finite);
        assert.strictEqual(h.nonFinite, xs.length - finite);
        assert.strictEqual(h.counts.length, bins);
      }),
    );
  });

  it('draws one bar per bin, scaled to the largest count', () => {
    const h = histogram([0, 0, 0, 1], 2);
    assert.deepStrictEqual(barHeights(h), [1, 1 / 3]);
    const svg = histogramSvg(h, '#fff');
    assert.strictEqual((svg.match(/<rect /g) ?? []).length, 2);
  });
});

describe('extension-training: sparkline and hover', () => {
  it('maps the smallest value to the lowest block and the largest to the highest', () => {
    assert.strictEqual(sparkline([1, 2, 3]), '▁▅█');
    assert.strictEqual(sparkline([1e-6, 1e-3, 1], true), '▁▅█');
    assert.strictEqual(sparkline([0, 1], true), ' ▅');
    assert.strictEqual(sparkline([]), '');
  });

  it('puts the numbers, the trend and both histograms in the hover', () => {
    const g = layerGradients([{ name: 'd.weight', layer: 'd', param: 'weight', gradNorm: 0.5, weightNorm: 2, updateRatio: 0.001 }])[0];
    const md = gradientHoverMarkdown({ gradient: g, step: 40, trend: [1, 0.5], histograms: [{ name: 'weight', gradient: histogram([1, 2]), weight: histogram([3]) }] });
    assert.match(md, /\*\*d\*\* — gradients at step 40: healthy/);
    assert.match(md, /\| 0\.5 \| 2 \| 1\.00e-3 \|/);
    assert.match(md, /trend \(log scale\): █▁ 1 → 0\.5/);
    assert.strictEqual((md.match(/data:image\/svg\+xml;base64,/g) ?? []).length, 2);
  });
});

describe('extension-training: gradient levels and decoration text', () => {
  it('calls a gradient below 1e-7 of the weights vanishing, and a large or non-finite one exploding', () => {
    assert.strictEqual(gradientLevel(1e-8, 1, 0), 'vanishing');
    assert.strictEqual(gradientLevel(0, 1, 0), 'vanishing');
    assert.strictEqual(gradientLevel(1e-6, 1, 1e-6), 'ok');
    assert.strictEqual(gradientLevel(1e-6 * 50, 50, 1e-3), 'ok');
    assert.strictEqual(gradientLevel(2e-7, 50, 1e-3), 'vanishing');
    assert.strictEqual(gradientLevel(11, 1, 0.01), 'exploding');
    assert.strictEqual(gradientLevel(1, 1, 0.5), 'exploding');
    assert.strictEqual(gradientLevel(NaN, 1, 0), 'exploding');
  });

  it('combines a layer’s tensors: norms add in squares, the update ratio is the whole layer’s', () => {
    const [d] = layerGradients([
      { name: 'd.weight', layer: 'd', param: 'weight', gradNorm: 3, weightNorm: 3, updateRatio: 0.01 },
      { name: 'd.bias', layer: 'd', param: 'bias', gradNorm: 4, weightNorm: 4, updateRatio: 0.01 },
    ]);
    assert.strictEqual(d.gradNorm, 5);
    assert.strictEqual(d.weightNorm, 5);
    assert.ok(Math.abs(d.updateRatio - 0.01) < 1e-12);
    assert.strictEqual(decorationText(d), '∇ 5 · ‖w‖ 5 · Δ/w 0.01');
    const [v] = layerGradients([{ name: 'e.weight', layer: 'e', param: 'weight', gradNorm: 1e-9, weightNorm: 1, updateRatio: 0 }]);
    assert.strictEqual(decorationText(v), '∇ 1.00e-9 · ‖w‖ 1 · Δ/w 0  vanishing');
  });

  it('formats values with three significant digits', () => {
    assert.strictEqual(formatValue(0.012345), '0.0123');
    assert.strictEqual(formatValue(0.001234), '1.23e-3');
    assert.strictEqual(formatValue(123456), '1.23e5');
    assert.strictEqual(formatValue(Infinity), 'Infinity');
  });
});

describe('extension-training: rate limiting', () => {
  it('sends the first value at once and at most one combined value per interval after that', () => {
    const clock = new FakeClock();
    const sent: number[] = [];
    const l = new RateLimiter<number>(4, (v) => sent.push(v), undefined, clock);
    l.push(1);
    assert.deepStrictEqual(sent, [1]);
    for (let i = 2; i <= 100; i++) {
      l.push(i);
      clock.advance(10); // 100 pushes a second
    }
    clock.advance(1000);
    // 1 s of pushes at 4 per second: the first, then one per 250 ms, the last value last.
    assert.ok(sent.length <= 6, `sent ${sent.length}`);
    assert.strictEqual(sent[sent.length - 1], 100);
  });

  it('batches every item pushed between flushes, losing none', () => {
    const clock = new FakeClock();
    const batches: number[][] = [];
    const l = new RateLimiter<number[]>(10, (v) => batches.push(v), appendBatch, clock);
    for (let i = 0; i < 50; i++) {
      l.push([i]);
      clock.advance(7);
    }
    l.flushNow();
    assert.deepStrictEqual(batches.flat(), Array.from({ length: 50 }, (_, i) => i));
    assert.ok(batches.length <= 1 + Math.ceil((50 * 7) / 100) + 1);
  });

  it('drops what is pending on cancel', () => {
    const clock = new FakeClock();
    const sent: number[] = [];
    const l = new RateLimiter<number>(1, (v) => sent.push(v), undefined, clock);
    l.push(1);
    l.push(2);
    l.cancel();
    clock.advance(5000);
    assert.deepStrictEqual(sent, [1]);
  });
});

describe('extension-training: metric series', () => {
  it('thins long series to at most the limit, keeping the first and the newest point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 2, max: 500 }), (n, max) => {
        const xs = Array.from({ length: n }, (_, i) => i);
        const out = thin(xs, max);
        assert.ok(out.length <= Math.max(max, 0) || n <= max);
        if (n > 0) {
          assert.strictEqual(out[0], 0);
          assert.strictEqual(out[out.length - 1], n - 1);
        }
        for (let i = 1; i < out.length; i++) assert.ok(out[i] > out[i - 1]);
      }),
    );
  });

  it('replaces epochs redone after a resume and averages |gradient| per layer by element count', () => {
    const s = new MetricSeries(10);
    s.addEpoch(epoch(1, 1));
    s.addEpoch(epoch(2, 0.8));
    s.addEpoch(epoch(3, 0.7));
    s.addEpoch(epoch(2, 0.75));
    assert.deepStrictEqual(
      s.epochs.map((e) => [e.epoch, e.loss]),
      [
        [1, 1],
        [2, 0.75],
      ],
    );
    // Element-weighted: a = (0.5 * 6 + 2 * 2) / 8; tensors without a finite mean are left out.
    const p = gradPoint(5, [
      { layer: 'a', gradMeanAbs: 0.5, elements: 6 },
      { layer: 'a', gradMeanAbs: 2, elements: 2 },
      { layer: 'c', gradMeanAbs: 0.25, elements: 3 },
      { layer: 'c', gradMeanAbs: NaN, elements: 3 },
      { layer: 'e', elements: 3 },
    ]);
    assert.deepStrictEqual(p, { step: 5, layers: { a: 7 / 8, c: 0.25 } });
    for (let i = 0; i < 25; i++) s.addGrad({ step: i, layers: {} });
    assert.ok(s.grads.length <= 10);
    assert.strictEqual(s.grads[s.grads.length - 1].step, 24);
  });
});

describe('extension-training: warnings', () => {
  it('detects validation loss rising while training loss falls', () => {
    const history = [epoch(1, 1, 0.9), epoch(2, 0.6, 0.5), epoch(3, 0.4, 0.52), epoch(4, 0.3, 0.55), epoch(5, 0.2, 0.6)];
    const o = detectOverfitting(history, 3);
    assert.deepStrictEqual(o, { fromEpoch: 2, toEpoch: 5, valFrom: 0.5, valTo: 0.6, trainFrom: 0.6, trainTo: 0.2 });
    assert.match(overfittingMessage(o!), /risen for 3 epochs .* dropout, weight decay .* early stopping .* more data/);
  });

  it('does not call noise, a plateau or a diverging run overfitting', () => {
    const noisy = [epoch(1, 1, 0.5), epoch(2, 0.9, 0.52), epoch(3, 0.8, 0.51), epoch(4, 0.7, 0.53)];
    assert.strictEqual(detectOverfitting(noisy, 3), undefined);
    const flat = [epoch(1, 1, 0.5), epoch(2, 0.9, 0.5), epoch(3, 0.8, 0.5), epoch(4, 0.7, 0.5)];
    assert.strictEqual(detectOverfitting(flat, 3), undefined);
    const diverging = [epoch(1, 1, 0.5), epoch(2, 1.1, 0.6), epoch(3, 1.2, 0.7), epoch(4, 1.3, 0.8)];
    assert.strictEqual(detectOverfitting(diverging, 3), undefined);
    assert.strictEqual(detectOverfitting([epoch(1, 1), epoch(2, 0.5), epoch(3, 0.2), epoch(4, 0.1)], 3), undefined);
  });

  it('warns when the parameters far outnumber the training samples', () => {
    assert.strictEqual(smallDatasetMessage(17226, 1438), undefined);
    assert.match(smallDatasetMessage(1_000_000, 200)!, /200 samples for 1,000,000 parameters \(5000 per sample\)/);
    assert.strictEqual(smallDatasetMessage(100, 0), undefined);
  });
});
