// Adam and AdamW with bias correction from the step input:
// m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
// Adam adds an L2 penalty to g; AdamW instead decays the weight directly: w -= lr * wd * w.
import type { Optimizer, OptimizerEnv, BoundOptimizer } from './optimizer';
import { descend, withL2 } from './optimizer';
import { scalarConst } from '../lower/scalars';

function bindAdam(env: OptimizerEnv, decoupled: boolean): BoundOptimizer {
  const { g, dtype, cfg } = env;
  const c = (v: number) => scalarConst(g, dtype, v);
  const one = c(1);
  // 1 / (1 - beta^t), shared by every tensor.
  const correction = (beta: number) => g.op('Div', [one, g.op('Sub', [one, g.op('Pow', [c(beta), env.step])])]);
  const bc1 = correction(cfg.beta1);
  const bc2 = correction(cfg.beta2);
  const b1 = c(cfg.beta1);
  const b2 = c(cfg.beta2);
  const b1c = c(1 - cfg.beta1);
  const b2c = c(1 - cfg.beta2);
  const eps = c(cfg.eps);
  return {
    update: (u) => {
      const grad = decoupled ? u.grad : withL2(env, u);
      const m = g.op('Add', [g.op('Mul', [u.state.m, b1]), g.op('Mul', [grad, b1c])]);
      const v = g.op('Add', [g.op('Mul', [u.state.v, b2]), g.op('Mul', [g.op('Mul', [grad, grad]), b2c])]);
      const mHat = g.op('Mul', [m, bc1]);
      const vHat = g.op('Mul', [v, bc2]);
      let direction = g.op('Div', [mHat, g.op('Add', [g.op('Sqrt', [vHat]), eps])]);
      if (decoupled && u.decay && cfg.weightDecay > 0) direction = g.op('Add', [direction, g.op('Mul', [u.param, c(cfg.weightDecay)])]);
      return { param: descend(env, u.param, direction), state: { m, v } };
    },
  };
}

const slots = () => [{ slot: 'm', fill: 0 }, { slot: 'v', fill: 0 }];

export const adam: Optimizer = { slots, bind: (env) => bindAdam(env, false) };
export const adamw: Optimizer = { slots, bind: (env) => bindAdam(env, true) };
