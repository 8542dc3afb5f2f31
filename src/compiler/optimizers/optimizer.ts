// What every optimizer provides: its state slots and the graph ops of one update of one tensor.
import type { Graph } from '../../onnx/graph';
import type { FloatType } from '../lower/context';
import type { OptimizerConfig } from '../types';
import { scalarConst } from '../lower/scalars';

export interface SlotSpec {
  slot: string;
  /** Initial value of every element. */
  fill: number;
}

export interface TensorUpdate {
  /** Current parameter value. */
  param: string;
  /** Its gradient (already clipped). */
  grad: string;
  /** Current value of each state slot. */
  state: Record<string, string>;
  /** Whether weight decay applies to this tensor. */
  decay: boolean;
}

export interface UpdateResult {
  param: string;
  /** What was subtracted from the param (param - step = the new param), for the update-ratio statistic. */
  step: string;
  state: Record<string, string>;
}

/** An optimizer bound to one graph: shared scalars (bias corrections ...) are built once. */
export interface BoundOptimizer {
  update(u: TensorUpdate): UpdateResult;
}

export interface OptimizerEnv {
  g: Graph;
  dtype: FloatType;
  cfg: OptimizerConfig;
  /** Scalar learning rate. */
  lr: string;
  /** Scalar 1-based step number, in the float type. */
  step: string;
}

export interface Optimizer {
  slots(cfg: OptimizerConfig): SlotSpec[];
  bind(env: OptimizerEnv): BoundOptimizer;
}

/** grad + weight_decay * param, the L2 penalty's gradient (when decay applies). */
export function withL2(env: OptimizerEnv, u: TensorUpdate): string {
  if (!u.decay || env.cfg.weightDecay === 0) return u.grad;
  return env.g.op('Add', [u.grad, env.g.op('Mul', [u.param, scalarConst(env.g, env.dtype, env.cfg.weightDecay)])]);
}

/** param - lr * direction, and that step. */
export function descend(env: OptimizerEnv, param: string, direction: string): Pick<UpdateResult, 'param' | 'step'> {
  const step = env.g.op('Mul', [direction, env.lr]);
  return { param: env.g.op('Sub', [param, step]), step };
}
