import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeModel } from '../../src/analysis/analyze';
import { cnn, generatedModel, lstm, mlp, transformer } from '../../src/bench/networks';
import { formatTable, median, ratioRow, verdict } from '../../src/bench/report';
import { parseTrace, summariseTrace } from '../../src/bench/profile';

describe('benchmark', () => {
  it('runs networks identical to the PyTorch peer (parameter counts by hand)', () => {
    // MLP: 784*256+256 + 256*128+128 + 128*10+10 = 235,146
    // LeNet: (6*1*25+6) + (16*6*25+16) + (400*120+120) + (120*84+84) + (84*10+10) = 61,706
    // LSTM: 64*32 embedding + (4*64*32 + 4*64*64 + 2*4*64) + (64*10+10) = 2,048 + 25,088 + 650 = 27,786
    //   (torch.nn.LSTM: weight_ih, weight_hh, bias_ih, bias_hh: the same 25,088)
    // Transformer: 64*64 embedding + 32*64 positions + 2 blocks * (2 LayerNorms 2*128 + Q, K, V, O
    //   4*(64*64+64) + FF (64*128+128) + (128*64+64)) + final LayerNorm 128 + (64*10+10)
    //   = 4,096 + 2,048 + 2*33,472 + 128 + 650 = 73,866 (torch.nn.TransformerEncoderLayer: 33,472 each)
    for (const [net, params] of [[mlp, 235146], [cnn, 61706], [lstm, 27786], [transformer, 73866]] as const) {
      const r = analyzeModel(net.text);
      assert.deepStrictEqual(r.diagnostics.map((d) => d.message), []);
      assert.strictEqual(r.summary?.totalParams, params, net.id);
    }
  });

  it('generates a valid model with the requested number of layers', () => {
    for (const n of [20, 200]) {
      const r = analyzeModel(generatedModel(n));
      assert.deepStrictEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.strictEqual(r.summary?.layers.length, n);
    }
  });

  it('judges ratios against targets in the right direction', () => {
    assert.strictEqual(verdict(ratioRow('speed', 300, 'peer', 100, 3)), 'PASS');
    assert.strictEqual(verdict(ratioRow('speed', 290, 'peer', 100, 3)), 'MISS');
    assert.strictEqual(verdict({ name: 'mem', ours: 3, peerName: 'ws', peer: 1, ratio: 3, target: 2, lowerIsBetter: true }), 'MISS');
    assert.strictEqual(verdict({ name: 'mem', ours: 1, peerName: 'ws', peer: 1, ratio: 1, target: 2, lowerIsBetter: true }), 'PASS');
    assert.strictEqual(median([5, 1, 3, 100]), 4);
    const table = formatTable([ratioRow('train step (samples/s)', 45000, 'PyTorch eager', 15000, 3)]);
    assert.match(table, /train step \(samples\/s\)\s+45,000\s+PyTorch eager\s+15,000\s+3\.00x\s+>= 3x\s+PASS/);
  });

  it('reads kernel time out of a recorded onnxruntime profile (warm-up run skipped)', () => {
    // Three model_run events of the MLP train step, four kernels each, recorded by onnxruntime 1.30.
    const events = parseTrace(fs.readFileSync(path.join(__dirname, 'fixtures', 'ort-profile-sample.json'), 'utf8'));
    assert.ok(events);
    const p = summariseTrace(events, 1);
    assert.strictEqual(p.runs, 2);
    assert.strictEqual(p.runUs, 67548 + 9724);
    assert.strictEqual(p.kernelUs, 124 + 16 + 4102 + 17 + 63 + 16 + 12 + 8);
    assert.ok(Math.abs(p.overheadShare - (77272 - 4358) / 77272) < 1e-12);
    assert.deepStrictEqual(p.byOp[0], { op: 'ReduceSumSquare', us: 124 + 4102 + 63 + 12 });
    assert.strictEqual(parseTrace('not json'), undefined);
  });

  it('counts a Loop body inside the Loop kernel once, not twice', () => {
    const p = summariseTrace([
      { cat: 'Session', name: 'model_run', ts: 0, dur: 100 },
      { cat: 'Node', name: 'train steps_kernel_time', ts: 5, dur: 80 },
      { cat: 'Node', name: 'n_Gemm_3_kernel_time', ts: 10, dur: 30 },
      { cat: 'Node', name: 'n_Relu_4_kernel_time', ts: 90, dur: 5 },
      { cat: 'Node', name: 'n_Relu_5_kernel_time', ts: 200, dur: 5 },
    ]);
    assert.strictEqual(p.kernelUs, 85);
    assert.ok(Math.abs(p.overheadShare - 0.15) < 1e-12);
    assert.deepStrictEqual(p.byOp.map((o) => o.op), ['train steps', 'Relu']);
  });
});
