// The view's choices: filtering samples by outcome, confidence and class; rows typed by the user;
// the bar chart and token strip data; the options sent per method; the trust checks' texts.
import * as assert from 'assert';
import type { SamplePrediction } from '../../../src/explain/types';
import { diverging, sequential } from '../../../src/explain/colormap';
import { featureBars, tokenStrip } from '../../../webview/explain/logic/charts';
import { describeSample, filterSamples, summary } from '../../../webview/explain/logic/filter';
import { DEFAULT_SETTINGS, explainOptions, requestKey } from '../../../webview/explain/logic/methods';
import { parseRow, splitRow } from '../../../webview/explain/logic/rowInput';
import { completenessLine, randomizationLine } from '../../../webview/explain/logic/trustText';

const S: SamplePrediction[] = [
  { sample: 0, label: 0, predicted: 0, confidence: 0.99 },
  { sample: 1, label: 1, predicted: 2, confidence: 0.55 },
  { sample: 2, label: 2, predicted: 2, confidence: 0.7 },
  { sample: 3, label: 1, predicted: 1, confidence: 0.95 },
  { sample: 4, label: 2, predicted: 0, confidence: 0.8 },
];
const ids = (l: SamplePrediction[]) => l.map((s) => s.sample);

describe('webview/explain sample filtering', () => {
  it('keeps misclassified or correct samples, low confidence, one true or predicted class', () => {
    assert.deepStrictEqual(ids(filterSamples(S, { outcome: 'all', sort: 'index' })), [0, 1, 2, 3, 4]);
    assert.deepStrictEqual(ids(filterSamples(S, { outcome: 'misclassified', sort: 'index' })), [1, 4]);
    assert.deepStrictEqual(ids(filterSamples(S, { outcome: 'correct', sort: 'index' })), [0, 2, 3]);
    assert.deepStrictEqual(ids(filterSamples(S, { outcome: 'all', maxConfidence: 0.8, sort: 'index' })), [1, 2]);
    assert.deepStrictEqual(ids(filterSamples(S, { outcome: 'all', label: 2, sort: 'index' })), [2, 4]);
    assert.deepStrictEqual(ids(filterSamples(S, { outcome: 'misclassified', predicted: 2, sort: 'index' })), [1]);
    assert.deepStrictEqual(summary(S), { total: 5, misclassified: 2 });
  });

  it('orders by confidence either way, or regression samples by error, ties in split order', () => {
    assert.deepStrictEqual(ids(filterSamples(S, { outcome: 'all', sort: 'confidence-asc' })), [1, 2, 4, 3, 0]);
    assert.deepStrictEqual(ids(filterSamples(S, { outcome: 'all', sort: 'confidence-desc' })), [0, 3, 4, 2, 1]);
    const reg: SamplePrediction[] = [{ sample: 0, error: 0.5 }, { sample: 1, error: 2 }, { sample: 2, error: 0.5 }];
    assert.deepStrictEqual(ids(filterSamples(reg, { outcome: 'all', sort: 'error-desc' })), [1, 0, 2]);
    assert.deepStrictEqual(ids(filterSamples(reg, { outcome: 'misclassified', sort: 'index' })), [], 'regression samples are never misclassified');
  });

  it('describes a sample by its classes and confidence', () => {
    assert.strictEqual(describeSample(S[1], ['circle', 'square', 'triangle']), '#1  square → triangle (55 %)');
    assert.strictEqual(describeSample({ sample: 7, predicted: 3, confidence: 0.5 }), '#7  class 3 (50 %)');
    assert.strictEqual(describeSample({ sample: 2, error: 0.12345 }), '#2  error 0.123');
  });
});

describe('webview/explain rows typed by the user', () => {
  it('splits on commas, semicolons, tabs or spaces and drops brackets', () => {
    assert.deepStrictEqual(splitRow(' 1, 2.5 ;3\t-4e-2  5 '), ['1', '2.5', '3', '-4e-2', '5']);
    assert.deepStrictEqual(splitRow('[1, 2]'), ['1', '2']);
    assert.deepStrictEqual(splitRow('1,,2'), ['1', '', '2']);
  });

  it('checks the count, the numbers and token ids, and spots a leftover label column', () => {
    assert.deepStrictEqual(parseRow('5.1,3.5,1.4,0.2', { count: 4 }), { ok: true, values: [5.1, 3.5, 1.4, 0.2] });
    assert.deepStrictEqual(parseRow('5.1,3.5,1.4,0.2,setosa', { count: 4 }), { ok: false, message: 'value 5 ("setosa") is not a number' });
    assert.deepStrictEqual(parseRow('5.1,3.5,1.4,0.2,0', { count: 4 }), { ok: false, message: 'the row has 5 values, the model takes 4 — does the row still hold the label column? Leave it out' });
    assert.deepStrictEqual(parseRow('1,,2', { count: 3 }), { ok: false, message: 'value 2 ("") is not a number' });
    assert.deepStrictEqual(parseRow('', { count: 3 }), { ok: false, message: 'enter 3 numbers, separated by commas or spaces' });
    assert.deepStrictEqual(parseRow('3 1 4', { count: 3, vocab: 5 }), { ok: true, values: [3, 1, 4] });
    assert.deepStrictEqual(parseRow('3 1 5', { count: 3, vocab: 5 }), { ok: false, message: 'value 3 (5) is not a token id: ids are integers from 0 to 4' });
    assert.deepStrictEqual(parseRow('3 1.5 4', { count: 3, vocab: 5 }).ok, false);
  });
});

describe('webview/explain bar chart and token strip', () => {
  it('shows the largest |attribution| first, up to the limit, bars relative to the largest', () => {
    const chart = featureBars([0.1, -0.8, 0.4, 0], [1, 2, 3, 4], 'signed', { raw: [10, 20, 30, 40], names: ['a', 'b'], limit: 3 });
    assert.deepStrictEqual(chart.bars.map((b) => [b.feature, b.name, b.value, b.raw, b.length]), [
      [1, 'b', 2, 20, 1],
      [2, 'feature 2', 3, 30, 0.5],
      [0, 'a', 1, 10, 0.125],
    ]);
    assert.deepStrictEqual([chart.hidden, chart.max], [1, 0.8]);
    assert.strictEqual(chart.bars[0].color, `rgb(${diverging(-1).join(', ')})`, 'the largest negative bar is full blue');
    assert.strictEqual(chart.bars[1].color, `rgb(${diverging(0.5).join(', ')})`, 'colours on the largest |attribution|, like the lengths');
    assert.deepStrictEqual(featureBars([0, 0], [1, 1], 'signed').bars.map((b) => b.length), [0, 0]);
  });

  it('colours tokens on their own scale and picks a readable text colour', () => {
    const cells = tokenStrip([4, 0, 2], [0, 1, 0.25], 'magnitude');
    assert.deepStrictEqual(cells.map((c) => [c.position, c.id, c.attribution]), [[0, 4, 0], [1, 0, 1], [2, 2, 0.25]]);
    assert.strictEqual(cells[0].background, `rgb(${sequential(0).join(', ')})`);
    assert.strictEqual(cells[1].background, `rgb(${sequential(1).join(', ')})`);
    assert.deepStrictEqual([cells[0].darkText, cells[1].darkText], [false, true], 'light text on the dark end, dark text on the bright end');
  });
});

describe('webview/explain options and trust texts', () => {
  it('sends each method only the settings it reads, with the randomization check on', () => {
    const s = { ...DEFAULT_SETTINGS, steps: 32, baseline: 'blurred' as const, window: 6 };
    assert.deepStrictEqual(explainOptions('integrated_gradients', s, 'image', undefined, 5), { method: 'integrated_gradients', output: 'logit', topK: 5, randomizationCheck: true, steps: 32, baseline: 'blurred' });
    assert.deepStrictEqual(explainOptions('integrated_gradients', s, 'tabular', 2, 3), { method: 'integrated_gradients', output: 'logit', topK: 3, randomizationCheck: true, target: 2, steps: 32, baseline: 'zeros' });
    assert.deepStrictEqual(explainOptions('gradient', s, 'image', 0, 5), { method: 'gradient', output: 'logit', topK: 5, randomizationCheck: true, target: 0 });
    assert.deepStrictEqual(explainOptions('occlusion', s, 'image', undefined, 5).window, 6);
    assert.deepStrictEqual(explainOptions('occlusion', s, 'tokens', undefined, 5).window, 1);
    assert.deepStrictEqual(explainOptions('smoothgrad', s, 'image', undefined, 5), { method: 'smoothgrad', output: 'logit', topK: 5, randomizationCheck: true, samples: 32, noise: 0.15 });
  });

  it('request keys ignore the order of options and tell apart everything else', () => {
    const a = requestKey({ weights: 'w', source: 's:validation:1', options: { method: 'gradient', target: 1, topK: 5 } });
    const b = requestKey({ weights: 'w', source: 's:validation:1', options: { topK: 5, target: 1, method: 'gradient' } });
    assert.strictEqual(a, b);
    assert.notStrictEqual(a, requestKey({ weights: 'w', source: 's:validation:1', options: { method: 'gradient', target: 2, topK: 5 } }));
    assert.notStrictEqual(a, requestKey({ weights: 'v', source: 's:validation:1', options: { method: 'gradient', target: 1, topK: 5 } }));
    assert.notStrictEqual(a, requestKey({ weights: 'w', source: 's:validation:2', options: { method: 'gradient', target: 1, topK: 5 } }));
  });

  it('says when the maps are alike with random weights, and when the completeness gap is large', () => {
    const map = Array.from({ length: 16 }, (_, i) => i);
    const alike = randomizationLine({ spearman: 0.82, spearmanSigned: 0.7, threshold: 0.5, alike: true, seed: 9, map, message: '' });
    assert.strictEqual(alike.level, 'warn');
    assert.match(alike.title, /Alike with random weights \(ρ = 0\.82\)/);
    assert.match(alike.meaning, /do not read it as the model’s reasoning/);
    const differs = randomizationLine({ spearman: 0.08, spearmanSigned: 0.01, threshold: 0.5, alike: false, seed: 9, map, message: '' });
    assert.deepStrictEqual([differs.level, /necessary condition/.test(differs.meaning)], ['ok', true]);
    // Two features rank alike or reversed whatever the weights: the check says it cannot tell.
    const two = randomizationLine({ spearman: 1, spearmanSigned: -1, threshold: 0.5, alike: true, seed: 9, map: [0.1, 0.3], message: '' });
    assert.deepStrictEqual([two.level, two.title], ['warn', 'Randomization check inconclusive (ρ = 1.00 over 2 elements)']);
    const small = completenessLine({ score: 3, baselineScore: 1, sum: 2.004, gap: 0.004, relativeGap: 0.002, steps: 64, baseline: 'zeros' });
    assert.deepStrictEqual([small.level, small.title], ['ok', 'Completeness gap 0.20 %']);
    assert.match(small.numbers, /Σ attributions 2\.004 vs f\(x\) − f\(baseline\) = 3\.000 − 1\.000 = 2\.000 \(64 steps, zeros baseline\)/);
    const big = completenessLine({ score: 3, baselineScore: 1, sum: 2.5, gap: 0.5, relativeGap: 0.25, steps: 4, baseline: 'zeros' });
    assert.deepStrictEqual([big.level, /Raise the steps/.test(big.meaning)], ['warn', true]);
  });
});
