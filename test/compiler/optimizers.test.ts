// Each optimizer's update over three steps with given gradients, against a JS reference.
import { strict as assert } from 'assert';
import '../../src/onnx/ops';
import { Graph, serializeModel } from '../../src/onnx/graph';
import { optimizers } from '../../src/compiler/optimizers';
import type { OptimizerConfig } from '../../src/compiler/types';
import { session, f32 } from './run-graph';
import * as ref from './reference';

const base: OptimizerConfig = { type: 'sgd', lr: 0.1, momentum: 0, nesterov: false, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: 0 };

/** The reference update of one step (PyTorch semantics); `t` is 1-based. */
function referenceStep(cfg: OptimizerConfig, w: number[], g: number[], s: Record<string, number[]>, lr: number, t: number, decay: boolean): number[] {
  const wd = decay ? cfg.weightDecay : 0;
  return w.map((wi, i) => {
    let gi = g[i];
    switch (cfg.type) {
      case 'sgd': {
        gi += wd * wi;
        if (cfg.momentum === 0) return wi - lr * gi;
        s.momentum[i] = cfg.momentum * s.momentum[i] + gi;
        return wi - lr * (cfg.nesterov ? gi + cfg.momentum * s.momentum[i] : s.momentum[i]);
      }
      case 'adam':
      case 'adamw': {
        if (cfg.type === 'adam') gi += wd * wi;
        s.m[i] = cfg.beta1 * s.m[i] + (1 - cfg.beta1) * gi;
        s.v[i] = cfg.beta2 * s.v[i] + (1 - cfg.beta2) * gi * gi;
        const mHat = s.m[i] / (1 - cfg.beta1 ** t);
        const vHat = s.v[i] / (1 - cfg.beta2 ** t);
        const decayed = cfg.type === 'adamw' ? wi * (1 - lr * wd) : wi;
        return decayed - (lr * mHat) / (Math.sqrt(vHat) + cfg.eps);
      }
      case 'rmsprop': {
        gi += wd * wi;
        s.sq[i] = cfg.beta2 * s.sq[i] + (1 - cfg.beta2) * gi * gi;
        const d = gi / (Math.sqrt(s.sq[i]) + cfg.eps);
        if (cfg.momentum === 0) return wi - lr * d;
        s.momentum[i] = cfg.momentum * s.momentum[i] + d;
        return wi - lr * s.momentum[i];
      }
    }
  });
}

const cases: [string, Partial<OptimizerConfig>][] = [
  ['sgd', { type: 'sgd' }],
  ['sgd momentum 0.9', { type: 'sgd', momentum: 0.9 }],
  ['sgd nesterov momentum 0.8, weight_decay 0.1', { type: 'sgd', momentum: 0.8, nesterov: true, weightDecay: 0.1 }],
  ['adam', { type: 'adam', beta1: 0.8, beta2: 0.95, eps: 1e-6 }],
  ['adam with L2 weight_decay 0.05', { type: 'adam', weightDecay: 0.05 }],
  ['adamw weight_decay 0.1', { type: 'adamw', weightDecay: 0.1 }],
  ['rmsprop', { type: 'rmsprop', beta2: 0.9 }],
  ['rmsprop momentum 0.5, weight_decay 0.01', { type: 'rmsprop', beta2: 0.9, momentum: 0.5, weightDecay: 0.01 }],
];

describe('compiler optimizers', () => {
  for (const [name, over] of cases) {
    for (const decay of [true, false]) {
      it(`${name}: three steps match the reference (decay ${decay ? 'on' : 'off'}, seed 201)`, async () => {
        const cfg = { ...base, ...over };
        const opt = optimizers[cfg.type];
        const slots = opt.slots(cfg);
        const shape = [3, 2];
        const g = new Graph('opt');
        const w = g.input('w', 'float32', shape);
        const grad = g.input('g', 'float32', shape);
        const lr = g.input('lr', 'float32', []);
        const step = g.input('t', 'float32', []);
        const state = Object.fromEntries(slots.map((s) => [s.slot, g.input(`s.${s.slot}`, 'float32', shape)]));
        const r = opt.bind({ g, dtype: 'float32', cfg, lr, step }).update({ param: w, grad, state, decay });
        g.output(r.param);
        for (const v of Object.values(r.state)) g.output(v);
        assert.deepEqual(Object.keys(r.state).sort(), slots.map((s) => s.slot).sort(), 'update must return every slot');
        const run = await session(serializeModel(g));

        let wVal = ref.randn(shape, 201).data;
        let sVal: Record<string, number[]> = Object.fromEntries(slots.map((s) => [s.slot, new Array(6).fill(s.fill)]));
        let wRef = wVal.slice();
        const sRef: Record<string, number[]> = Object.fromEntries(slots.map((s) => [s.slot, new Array(6).fill(s.fill)]));
        const lrs = [0.1, 0.05, 0.02];
        for (let t = 1; t <= 3; t++) {
          const gVal = ref.randn(shape, 210 + t).data;
          const feeds = { w: f32(shape, wVal), g: f32(shape, gVal), lr: f32([], [lrs[t - 1]]), t: f32([], [t]), ...Object.fromEntries(slots.map((s) => [`s.${s.slot}`, f32(shape, sVal[s.slot])])) };
          const out = await run(feeds);
          wVal = out[r.param].data;
          sVal = Object.fromEntries(Object.entries(r.state).map(([slot, v]) => [slot, out[v].data]));
          wRef = referenceStep(cfg, wRef, gVal, sRef, lrs[t - 1], t, decay);
          const err = ref.maxRelError(wVal, wRef);
          assert.ok(err < 1e-5, `${name}: step ${t} weights differ by ${err.toExponential(2)}: got [${wVal.map((v) => v.toFixed(5))}] expected [${wRef.map((v) => v.toFixed(5))}]`);
        }
        // The update must have moved the weights (guards against a no-op update passing trivially).
        assert.ok(ref.maxRelError(wVal, ref.randn(shape, 201).data) > 1e-3, `${name}: weights did not change`);
      });
    }
  }
});
