// RMSprop (PyTorch form, decay beta2): s = b2 s + (1 - b2) g^2;  d = g / (sqrt(s) + eps);
// with momentum: buf = momentum * buf + d, w -= lr * buf; else w -= lr * d.
import type { Optimizer, UpdateResult } from './optimizer';
import { descend, withL2 } from './optimizer';
import { scalarConst } from '../lower/scalars';

export const rmsprop: Optimizer = {
  slots: (cfg) => [{ slot: 'sq', fill: 0 }, ...(cfg.momentum > 0 ? [{ slot: 'momentum', fill: 0 }] : [])],
  bind: (env) => {
    const { g, dtype, cfg } = env;
    const c = (v: number) => scalarConst(g, dtype, v);
    const rho = c(cfg.beta2);
    const rhoC = c(1 - cfg.beta2);
    const eps = c(cfg.eps);
    const mu = c(cfg.momentum);
    return {
      update: (u): UpdateResult => {
        const grad = withL2(env, u);
        const sq = g.op('Add', [g.op('Mul', [u.state.sq, rho]), g.op('Mul', [g.op('Mul', [grad, grad]), rhoC])]);
        const d = g.op('Div', [grad, g.op('Add', [g.op('Sqrt', [sq]), eps])]);
        if (cfg.momentum === 0) return { ...descend(env, u.param, d), state: { sq } };
        const buf = g.op('Add', [g.op('Mul', [u.state.momentum, mu]), d]);
        return { ...descend(env, u.param, buf), state: { sq, momentum: buf } };
      },
    };
  },
};
