// Initialisation: per-init statistics, determinism per seed, independence of tensors.
import { strict as assert } from 'assert';
import { initParams } from '../../src/compiler/init';
import type { ParamTensor } from '../../src/compiler/types';

const param = (name: string, shape: number[], init: ParamTensor['init'], fanIn: number, fanOut: number): ParamTensor => ({ name, layer: name.split('.')[0], param: name.split('.')[1], shape, trainable: true, init, fanIn, fanOut });

function stats(v: Float32Array): { mean: number; std: number; maxAbs: number } {
  let s = 0;
  let q = 0;
  let m = 0;
  for (const x of v) { s += x; q += x * x; m = Math.max(m, Math.abs(x)); }
  const mean = s / v.length;
  return { mean, std: Math.sqrt(q / v.length - mean * mean), maxAbs: m };
}

describe('compiler initialisation', () => {
  const cases: [ParamTensor, number, number | undefined][] = [
    // [tensor, expected std, bound of |value| (uniform inits)]
    [param('a.weight', [200, 300], 'he_normal', 200, 300), Math.sqrt(2 / 200), undefined],
    [param('b.weight', [64, 32, 3, 3], 'he_uniform', 288, 576), Math.sqrt(6 / 288) / Math.sqrt(3), Math.sqrt(6 / 288)],
    [param('c.weight', [300, 100], 'glorot_uniform', 300, 100), Math.sqrt(6 / 400) / Math.sqrt(3), Math.sqrt(6 / 400)],
    [param('d.weight', [500, 64], 'normal_0.02', 500, 64), 0.02, undefined],
  ];
  for (const [p, std, bound] of cases) {
    it(`${p.init} on [${p.shape}] has std ${std.toFixed(4)} and mean 0 (seed 3)`, () => {
      const v = initParams([p], 3).get(p.name)!;
      const s = stats(v);
      assert.ok(Math.abs(s.std / std - 1) < 0.03, `${p.name} ${p.init}: std ${s.std} vs ${std}`);
      assert.ok(Math.abs(s.mean) < 0.05 * std, `${p.name} ${p.init}: mean ${s.mean}`);
      if (bound !== undefined) assert.ok(s.maxAbs <= bound, `${p.name}: |value| ${s.maxAbs} beyond the bound ${bound}`);
    });
  }

  it('zeros and ones fill exactly', () => {
    const v = initParams([param('bn.beta', [7], 'zeros', 7, 7), param('bn.gamma', [7], 'ones', 7, 7)], 1);
    assert.deepEqual(Array.from(v.get('bn.beta')!), new Array(7).fill(0));
    assert.deepEqual(Array.from(v.get('bn.gamma')!), new Array(7).fill(1));
  });

  it('orthogonal gives orthonormal rows of a wide matrix and columns of a tall one (seed 5)', () => {
    for (const shape of [[4, 10], [10, 4]]) {
      const v = initParams([param('r.weight', shape, 'orthogonal', shape[1], shape[0])], 5).get('r.weight')!;
      const [rows, cols] = shape;
      const tall = rows >= cols;
      const n = tall ? cols : rows;
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          let dot = 0;
          for (let i = 0; i < (tall ? rows : cols); i++) dot += tall ? v[i * cols + a] * v[i * cols + b] : v[a * cols + i] * v[b * cols + i];
          assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-5, `shape [${shape}]: vectors ${a}, ${b} dot ${dot}`);
        }
    }
  });

  // The recurrent weight R of SimpleRNN / LSTM / GRU is [dirs, gates·units, units] (as the
  // analysis declares it): every direction's every gate block [units, units] must be orthogonal.
  const recurrent: [string, number, number, number][] = [
    // [cell, gates, units, directions]
    ['SimpleRNN', 1, 16, 1],
    ['LSTM', 4, 12, 1],
    ['GRU', 3, 10, 1],
    ['SimpleRNN', 1, 9, 2],
    ['LSTM', 4, 8, 2],
    ['GRU', 3, 6, 2],
  ];
  for (const [cell, gates, units, dirs] of recurrent) {
    it(`orthogonal gives each [${units}, ${units}] gate block of a ${dirs === 2 ? 'bidirectional ' : ''}${cell}'s R an orthogonal matrix (QᵀQ = I, seed 7)`, () => {
      const shape = [dirs, gates * units, units];
      const v = initParams([param('rnn.R', shape, 'orthogonal', units, gates * units)], 7).get('rnn.R')!;
      for (let d = 0; d < dirs; d++)
        for (let g = 0; g < gates; g++) {
          const base = (d * gates + g) * units * units;
          const q = (r: number, c: number) => v[base + r * units + c];
          for (let a = 0; a < units; a++)
            for (let b = 0; b < units; b++) {
              let dot = 0;
              for (let i = 0; i < units; i++) dot += q(i, a) * q(i, b);
              assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-5, `${cell} direction ${d} gate ${g}: (QᵀQ)[${a}][${b}] = ${dot}`);
            }
        }
      const again = initParams([param('rnn.R', shape, 'orthogonal', units, gates * units)], 7).get('rnn.R')!;
      assert.deepEqual(Array.from(again), Array.from(v), 'same seed, same values');
      if (gates * dirs > 1) assert.notDeepEqual(Array.from(v.subarray(0, units * units)), Array.from(v.subarray(units * units, 2 * units * units)), 'blocks are drawn independently');
    });
  }

  it('is deterministic per seed, differs across seeds, and one tensor does not depend on the others', () => {
    const w = param('dense_1.weight', [20, 10], 'glorot_uniform', 20, 10);
    const other = param('dense_2.weight', [10, 3], 'he_normal', 10, 3);
    const a = initParams([w, other], 42).get(w.name)!;
    const b = initParams([w], 42).get(w.name)!;
    const c = initParams([w], 43).get(w.name)!;
    assert.deepEqual(Array.from(a), Array.from(b), 'same seed 42 must give the same values, with or without other tensors');
    assert.notDeepEqual(Array.from(a), Array.from(c), 'seeds 42 and 43 must differ');
    const d = initParams([other, w], 42);
    assert.notDeepEqual(Array.from(d.get(w.name)!.slice(0, 3)), Array.from(d.get(other.name)!.slice(0, 3)), 'tensors draw from separate streams');
  });
});
