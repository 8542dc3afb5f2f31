// Runs the chosen attribution method on one input.
import type { ScalarFunction } from '../runner';
import type { ResolvedMethodOptions } from '../types';
import { gradientTimesInput, vanillaGradient } from './gradient';
import { integratedGradients } from './integrated-gradients';
import { occlusion } from './occlusion';
import { smoothGrad } from './smoothgrad';
import type { MethodOutput } from './types';

export interface MethodInput {
  /** The input in the attributed space, and its per-sample shape. */
  x: Float64Array;
  shape: number[];
  /** Axes occlusion windows slide along. */
  axes: number[];
  /** The reference input; asked for only by the methods that use one. */
  baseline: () => Float64Array;
}

export function runMethod(fn: ScalarFunction, input: MethodInput, o: ResolvedMethodOptions): Promise<MethodOutput> {
  switch (o.method) {
    case 'gradient':
      return vanillaGradient(fn, input.x);
    case 'gradient_x_input':
      return gradientTimesInput(fn, input.x);
    case 'smoothgrad':
      return smoothGrad(fn, input.x, o.samples, o.noise, o.seed);
    case 'integrated_gradients':
      return integratedGradients(fn, input.x, input.baseline(), o.steps);
    case 'occlusion':
      return occlusion(fn, input.x, input.baseline(), { shape: input.shape, axes: input.axes, window: o.window, stride: o.stride });
  }
}

export type { MethodOutput } from './types';
