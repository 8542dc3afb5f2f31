// What every attribution method returns, before the engine summarises it for display.

export interface MethodOutput {
  /** One attribution per element of the input, in its layout. */
  attributions: Float64Array;
  /** f(x): the attributed output at the input. */
  score: number;
  /** Integrated Gradients only: f at the baseline (for the completeness check). */
  baselineScore?: number;
}
