import * as assert from 'assert';
import { analyzeModel } from '../../src/analysis/analyze';
import { cnn, generatedModel, mlp } from '../../src/bench/networks';
import { formatTable, median, ratioRow, verdict } from '../../src/bench/report';

describe('benchmark', () => {
  it('runs networks identical to the PyTorch peer (parameter counts by hand)', () => {
    // MLP: 784*256+256 + 256*128+128 + 128*10+10 = 235,146
    // LeNet: (6*1*25+6) + (16*6*25+16) + (400*120+120) + (120*84+84) + (84*10+10) = 61,706
    for (const [net, params] of [[mlp, 235146], [cnn, 61706]] as const) {
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
});
