// Parameter counts and FLOPs checked against arithmetic done by hand (written out in the
// comments), independently of the fixture files.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { analyzeModel } from '../../src/analysis/analyze';
import type { LayerInfo } from '../../src/analysis/types';

/** Analyses `Input(shape)` followed by one layer given as flow-YAML, and returns that layer. */
function single(inputShape: string, layer: string, dtype = 'float32'): LayerInfo {
  const r = analyzeModel(`layers:\n  - {type: Input, shape: ${inputShape}, dtype: ${dtype}}\n  - ${layer}\n`);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
  return r.summary!.layers[1];
}

function paramShapes(l: LayerInfo): Record<string, number[]> {
  return Object.fromEntries(l.params.map((p) => [p.name, p.shape]));
}

describe('parameter counts by hand', () => {
  it('Conv2D 3x3, 1 -> 32 channels', () => {
    const l = single('[1, 28, 28]', '{type: Conv2D, filters: 32, kernel_size: 3}');
    // weight 32*1*3*3 = 288, bias 32: 288 + 32 = 320
    assert.equal(l.paramCount, 320);
    // valid: 28 - 3 + 1 = 26 -> [32, 26, 26]
    assert.deepEqual(l.output!.shape, [32, 26, 26]);
    // 32*26*26 = 21,632 outputs, each 1*3*3 = 9 multiply-adds = 18 FLOPs: 389,376; + 21,632 bias adds = 411,008
    assert.equal(l.flops, 411008);
  });

  it('Conv2D with groups', () => {
    const l = single('[6, 10, 10]', '{type: Conv2D, filters: 9, kernel_size: [3, 1], groups: 3, use_bias: false}');
    // weight [9, 6/3 = 2, 3, 1] = 54, no bias
    assert.equal(l.paramCount, 54);
    assert.deepEqual(paramShapes(l), { weight: [9, 2, 3, 1] });
    // [9, 10 - 3 + 1 = 8, 10]
    assert.deepEqual(l.output!.shape, [9, 8, 10]);
  });

  it('Conv2D same padding with an even kernel pads asymmetrically', () => {
    const l = single('[1, 7, 7]', '{type: Conv2D, filters: 1, kernel_size: 2, padding: same}');
    // out = ceil(7 / 1) = 7; total pad = (7 - 1)*1 + 2 - 7 = 1 -> 0 before, 1 after
    assert.deepEqual(l.output!.shape, [1, 7, 7]);
    assert.deepEqual(l.attrs.pads, [0, 0, 1, 1]);
  });

  it('Conv1D', () => {
    const l = single('[3, 50]', '{type: Conv1D, filters: 16, kernel_size: 5, strides: 2}');
    // 16*3*5 + 16 = 240 + 16 = 256
    assert.equal(l.paramCount, 256);
    // floor((50 - 5) / 2) + 1 = 22 + 1 = 23
    assert.deepEqual(l.output!.shape, [16, 23]);
  });

  it('Dense on a vector and on a sequence (last axis)', () => {
    const v = single('[784]', '{type: Dense, units: 128}');
    // 784*128 + 128 = 100,352 + 128 = 100,480
    assert.equal(v.paramCount, 100480);
    const s = single('[10, 6]', '{type: Dense, units: 4}');
    // 6*4 + 4 = 28 parameters; output [10, 4]; FLOPs 10 rows * (2*6*4 = 48) + 40 bias = 520
    assert.equal(s.paramCount, 28);
    assert.deepEqual(s.output!.shape, [10, 4]);
    assert.equal(s.flops, 520);
  });

  it('BatchNorm has 4 tensors, 2 trainable', () => {
    const l = single('[16, 5, 5]', '{type: BatchNorm}');
    // gamma, beta, running_mean, running_var: 4 * 16 = 64 in total, 2 * 16 = 32 trainable
    assert.equal(l.paramCount, 64);
    assert.deepEqual(
      l.params.map((p) => [p.name, p.trainable, p.init]),
      [
        ['gamma', true, 'ones'],
        ['beta', true, 'zeros'],
        ['running_mean', false, 'zeros'],
        ['running_var', false, 'ones'],
      ],
    );
  });

  it('LayerNorm over the last axis', () => {
    const l = single('[7, 12]', '{type: LayerNorm}');
    // gamma 12 + beta 12 = 24
    assert.equal(l.paramCount, 24);
  });

  it('Embedding', () => {
    const l = single('[30]', '{type: Embedding, vocab_size: 1000, dim: 64}', 'int64');
    // 1000 * 64 = 64,000; [30] -> [30, 64]
    assert.equal(l.paramCount, 64000);
    assert.deepEqual(l.output!.shape, [30, 64]);
  });

  it('LSTM in ONNX layout', () => {
    const l = single('[12, 10]', '{type: LSTM, units: 20}');
    // W [1, 4*20, 10] = 800, R [1, 80, 20] = 1,600, B [1, 8*20] = 160: 2,560
    // (Keras counts 4*(10*20 + 20*20 + 20) = 2,480: ONNX has a second bias per gate, +80)
    assert.equal(l.paramCount, 2560);
    assert.deepEqual(paramShapes(l), { W: [1, 80, 10], R: [1, 80, 20], B: [1, 160] });
    assert.deepEqual(l.output!.shape, [20]);
  });

  it('bidirectional GRU doubles the weights and the output width', () => {
    const l = single('[12, 10]', '{type: GRU, units: 8, bidirectional: true, return_sequences: true}');
    // per direction: W 3*8*10 = 240, R 3*8*8 = 192, B 6*8 = 48 -> 480; two directions: 960
    assert.equal(l.paramCount, 960);
    assert.deepEqual(l.output!.shape, [12, 16]);
  });

  it('SimpleRNN', () => {
    const l = single('[5, 3]', '{type: SimpleRNN, units: 4}');
    // W 4*3 = 12, R 4*4 = 16, B 2*4 = 8: 36
    assert.equal(l.paramCount, 36);
    // per step: 2*4*(3 + 4) = 56 multiply-add FLOPs + 8 bias adds + 4 tanh = 68; 5 steps: 340
    assert.equal(l.flops, 340);
  });

  it('MultiHeadAttention', () => {
    const l = single('[10, 64]', '{type: MultiHeadAttention, heads: 8}');
    // key_dim = 64 / 8 = 8, so each projection is 64 x 64 + 64: 4 * (4,096 + 64) = 16,640
    assert.equal(l.paramCount, 16640);
    assert.equal(l.attrs.key_dim, 8);
  });

  it('TransformerEncoderBlock', () => {
    const l = single('[10, 16]', '{type: TransformerEncoderBlock, heads: 2, ff_dim: 32}');
    // 2 LayerNorms: 2 * (16 + 16) = 64
    // attention: 4 * (16*16 + 16) = 1,088
    // feed-forward: 16*32 + 32 = 544 and 32*16 + 16 = 528
    // 64 + 1,088 + 544 + 528 = 2,224
    assert.equal(l.paramCount, 2224);
  });

  it('PositionalEmbedding: learned table, sinusoidal none', () => {
    // learned: 50 * 8 = 400
    assert.equal(single('[20, 8]', '{type: PositionalEmbedding, max_length: 50}').paramCount, 400);
    assert.equal(single('[20, 8]', '{type: PositionalEmbedding, max_length: 50, mode: sinusoidal}').paramCount, 0);
  });

  it('TimeDistributedDense', () => {
    const l = single('[6, 5]', '{type: TimeDistributedDense, units: 3}');
    // 5*3 + 3 = 18; [6, 5] -> [6, 3]
    assert.equal(l.paramCount, 18);
    assert.deepEqual(l.output!.shape, [6, 3]);
  });

  it('pools have no parameters and the right sizes', () => {
    // floor((9 - 3) / 3) + 1 = 3
    assert.deepEqual(single('[2, 9, 9]', '{type: MaxPool2D, pool_size: 3}').output!.shape, [2, 3, 3]);
    // same, stride 2: ceil(9 / 2) = 5
    assert.deepEqual(single('[2, 9, 9]', '{type: AvgPool2D, pool_size: 2, strides: 2, padding: same}').output!.shape, [2, 5, 5]);
    assert.deepEqual(single('[2, 9, 9]', '{type: GlobalAvgPool2D}').output!.shape, [2]);
    assert.deepEqual(single('[4, 6]', '{type: GlobalAvgPool1D}').output!.shape, [6]);
    assert.deepEqual(single('[4, 6]', '{type: LastTokenPool}').output!.shape, [6]);
  });

  it('Reshape infers -1 and Flatten keeps the count', () => {
    // 2*3*4 = 24 values; [-1, 6] -> [4, 6]
    assert.deepEqual(single('[2, 3, 4]', '{type: Reshape, shape: [-1, 6]}').output!.shape, [4, 6]);
    assert.deepEqual(single('[2, 3, 4]', '{type: Flatten}').output!.shape, [24]);
  });

  it('Add broadcasts and Concat sums the axis', () => {
    const r = analyzeModel(
      [
        'layers:',
        '  - {id: x, type: Input, shape: [3, 4]}',
        '  - {id: bias, type: Input, shape: [4]}',
        '  - {id: sum, type: Add, inputs: [x, bias]}',
        '  - {id: cat, type: Concat, axis: 0, inputs: [sum, x]}',
      ].join('\n'),
    );
    assert.deepEqual(r.diagnostics, []);
    const [, , sum, cat] = r.summary!.layers;
    assert.deepEqual(sum.output!.shape, [3, 4]);
    // 3 + 3 = 6 rows
    assert.deepEqual(cat.output!.shape, [6, 4]);
  });

  it('the digits example: 151,434 parameters', () => {
    // conv1 32*1*9 + 32 = 320; bn1 4*32 = 128; conv2 64*32*9 + 64 = 18,496;
    // hidden 64*4*4 = 1024 inputs: 1024*128 + 128 = 131,200; logits 128*10 + 10 = 1,290
    // 320 + 128 + 18,496 + 131,200 + 1,290 = 151,434 (of which 64 running statistics)
    const r = analyzeModel(readFileSync(path.join(__dirname, '../../examples/digits-cnn.nn.yaml'), 'utf8'));
    assert.equal(r.summary!.totalParams, 151434);
    assert.equal(r.summary!.trainableParams, 151434 - 64);
  });
});
