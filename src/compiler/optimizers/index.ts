// The optimizers by name.
import type { OptimizerType } from '../types';
import type { Optimizer } from './optimizer';
import { sgd } from './sgd';
import { adam, adamw } from './adam';
import { rmsprop } from './rmsprop';

export const optimizers: Record<OptimizerType, Optimizer> = { sgd, adam, adamw, rmsprop };
