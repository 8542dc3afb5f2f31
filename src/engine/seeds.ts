// Every random choice of a run is a pure function of the run seed and a position in the run
// (epoch, step, micro-batch), never of how many draws came before. That is what lets a resumed
// run, or a run that splits its batches differently, draw exactly what an uninterrupted one does.
import { Rng } from './data/rng';

/** The order in which epoch `epoch` (1-based) visits the `n` training samples. */
export function epochOrder(runSeed: number, epoch: number, n: number): Int32Array {
  return Rng.derive(runSeed, `shuffle/epoch/${epoch}`).permutation(n);
}

/**
 * The int64 seed fed to the train step for micro-batch `micro` of optimizer step `step` (both
 * 0-based); it drives the dropout masks inside the graph.
 */
export function stepSeed(runSeed: number, step: number, micro = 0): bigint {
  const rng = Rng.derive(runSeed, `step/${step}/${micro}`);
  return BigInt(rng.nextUint32()) * 65536n + BigInt(rng.nextUint32() >>> 16);
}
