// SGD with optional (Nesterov) momentum, PyTorch form:
// v = momentum * v + g;  direction = nesterov ? g + momentum * v : v;  w -= lr * direction.
import type { Optimizer, UpdateResult } from './optimizer';
import { descend, withL2 } from './optimizer';
import { scalarConst } from '../lower/scalars';

export const sgd: Optimizer = {
  slots: (cfg) => (cfg.momentum > 0 ? [{ slot: 'momentum', fill: 0 }] : []),
  bind: (env) => ({
    update: (u): UpdateResult => {
      const { g } = env;
      const grad = withL2(env, u);
      if (env.cfg.momentum === 0) return { ...descend(env, u.param, grad), state: {} };
      const mu = scalarConst(g, env.dtype, env.cfg.momentum);
      const v = g.op('Add', [g.op('Mul', [u.state.momentum, mu]), grad]);
      const direction = env.cfg.nesterov ? g.op('Add', [grad, g.op('Mul', [v, mu])]) : v;
      return { ...descend(env, u.param, direction), state: { momentum: v } };
    },
  }),
};
