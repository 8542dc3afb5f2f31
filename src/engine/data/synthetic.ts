// The 2-D toy sets of TensorFlow Playground: spirals, moons, circles, xor and Gaussian blobs.
// Every set is class-balanced (sample i gets class i mod k before shuffling), fully determined
// by its seed, and lands in roughly [-1.5, 1.5]^2 so no standardisation is needed.
import { Rng } from './rng';
import type { Dataset } from './types';

export interface SyntheticParams {
  samples: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. */
  noise: number;
  /** Number of classes, for spirals (arms) and blobs (clusters). */
  classes?: number;
  seed: number;
}

/** Draws one clean point of class `label` (noise is added by the caller). */
type PointSampler = (label: number, rng: Rng) => [number, number];

/**
 * Samples `samples` points, class `i mod k` for the i-th, and stores them in a random order
 * (so every prefix of the set is roughly balanced too).
 */
function generate(name: string, params: SyntheticParams, classNames: string[], sampler: PointSampler): Dataset {
  const n = params.samples;
  const k = classNames.length;
  const rng = new Rng(params.seed);
  const slot = rng.permutation(n);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % k;
    const [a, b] = sampler(label, rng);
    const at = slot[i];
    x[2 * at] = a + rng.normal(0, params.noise);
    x[2 * at + 1] = b + rng.normal(0, params.noise);
    y[at] = label;
  }
  return { name, x, sampleShape: [2], y, labelShape: [], numClasses: k, classNames, count: n };
}

function names(prefix: string, k: number): string[] {
  return Array.from({ length: k }, (_, i) => `${prefix}_${i}`);
}

/** k interleaved arms winding 1.75 turns out from the centre to radius 1. */
export function spirals(params: SyntheticParams): Dataset {
  const k = params.classes ?? 2;
  const turns = 1.75;
  return generate('spirals', params, names('arm', k), (label, rng) => {
    const t = rng.next();
    const radius = 0.05 + 0.95 * t; // keep the arms apart at the centre
    const angle = (2 * Math.PI * label) / k + t * turns * 2 * Math.PI;
    return [radius * Math.cos(angle), radius * Math.sin(angle)];
  });
}

/** Two interleaving half circles of radius 1, centred on the origin. */
export function moons(params: SyntheticParams): Dataset {
  return generate('moons', { ...params, classes: 2 }, ['upper', 'lower'], (label, rng) => {
    const t = Math.PI * rng.next();
    return label === 0 ? [Math.cos(t) - 0.5, Math.sin(t) - 0.25] : [0.5 - Math.cos(t), 0.25 - Math.sin(t)];
  });
}

/** A disc of radius 0.5 (class `inner`) inside a ring from radius 0.7 to 1 (class `outer`). */
export function circles(params: SyntheticParams): Dataset {
  return generate('circles', { ...params, classes: 2 }, ['outer', 'inner'], (label, rng) => {
    const angle = 2 * Math.PI * rng.next();
    // sqrt keeps the density uniform over the area rather than crowding the centre.
    const radius = label === 0 ? Math.sqrt(rng.uniform(0.49, 1)) : 0.5 * Math.sqrt(rng.next());
    return [radius * Math.cos(angle), radius * Math.sin(angle)];
  });
}

/** Uniform points in [-1, 1]^2 (kept 0.05 off the axes); class by the sign of x*y. */
export function xor(params: SyntheticParams): Dataset {
  return generate('xor', { ...params, classes: 2 }, ['same_sign', 'opposite_sign'], (label, rng) => {
    const sx = rng.bernoulli(0.5) ? 1 : -1;
    const sy = label === 0 ? sx : -sx;
    return [sx * rng.uniform(0.05, 1), sy * rng.uniform(0.05, 1)];
  });
}

/** k isotropic Gaussian clusters (std = noise) centred evenly on the unit circle. */
export function blobs(params: SyntheticParams): Dataset {
  const k = params.classes ?? 3;
  return generate('blobs', params, names('blob', k), (label) => {
    const angle = Math.PI / 2 + (2 * Math.PI * label) / k;
    return [Math.cos(angle), Math.sin(angle)];
  });
}
