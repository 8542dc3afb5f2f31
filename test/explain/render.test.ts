// The PNG layouts of `layerwise explain`: image panels side by side or overlaid, strips of cells
// for tabular and token inputs.
import * as assert from 'assert';
import { diverging, sequential } from '../../src/explain/colormap';
import { renderExplanation } from '../../src/explain/render';
import type { ExplainResult } from '../../src/explain/types';

function result(kind: ExplainResult['input']['kind'], shape: number[], map: number[], mapShape: number[], display: ExplainResult['display'], withCheck: boolean): ExplainResult {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    model: 'm',
    checkpoint: 'c',
    split: 'validation',
    sample: 0,
    count: 1,
    options: { method: 'gradient', steps: 1, baseline: 'zeros', samples: 1, noise: 0, window: [1], stride: [1], seed: 0 },
    output: 'logit',
    input: { kind, shape, values: Array.from({ length: size }, (_, i) => i) },
    target: { index: 0, predicted: true },
    predictions: [],
    classifier: true,
    attributions: map,
    map,
    mapShape,
    display,
    score: 0,
    ...(withCheck ? { randomization: { spearman: 0, spearmanSigned: 0, threshold: 0.5, alike: false, seed: 1, map: map.map((v) => -v), message: '' } } : {}),
    evaluations: 1,
    seconds: 0,
    warnings: [],
  };
}

const at = (img: { width: number; pixels: Uint8Array }, x: number, y: number) => Array.from(img.pixels.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));

describe('explain/render', () => {
  it('images: input | map | re-initialised map, each scaled to at least 168 pixels', () => {
    const map = Array.from({ length: 28 * 28 }, (_, i) => (i % 28) - 14);
    const img = renderExplanation(result('image', [1, 28, 28], map, [28, 28], 'signed', true), 'side');
    assert.deepStrictEqual([img.width, img.height], [3 * 168 + 2 * 6, 168]);
    assert.deepStrictEqual(at(img, 0, 0), [0, 0, 0], 'input panel: the darkest pixel is black');
    assert.deepStrictEqual(at(img, 174 + 14 * 6, 0), diverging(0), 'map panel: zero is the diverging midpoint');
    const left = at(img, 174, 0);
    const right = at(img, 174 + 27 * 6, 0);
    assert.ok(left[2] > left[0] && right[0] > right[2], 'negative blue, positive red');
    const noCheck = renderExplanation(result('image', [1, 28, 28], map, [28, 28], 'signed', false), 'overlay');
    assert.deepStrictEqual([noCheck.width, noCheck.height], [168, 168]);
  });

  it('tokens and tabular inputs: a strip of cells, input row first', () => {
    const strip = renderExplanation(result('tokens', [5], [0, 1, 2, 3, 4], [5], 'magnitude', true), 'side');
    assert.deepStrictEqual([strip.width, strip.height], [5 * 16, 3 * 16 + 2 * 6]);
    assert.deepStrictEqual(at(strip, 4 * 16, 0), [255, 255, 255], 'largest token id is white');
    assert.deepStrictEqual(at(strip, 0, 16 + 6), sequential(0));
    const tab = renderExplanation(result('tabular', [300], new Array(300).fill(1), [300], 'signed', false), 'overlay');
    assert.deepStrictEqual([tab.width, tab.height], [300 * 2, 2 * 2 + 6]);
  });
});
