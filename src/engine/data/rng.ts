// A small, fast, seeded pseudo-random generator shared by the data sets and the engine
// (weight init, shuffling, dropout seeds). Same seed, same sequence, on every platform:
// only 32-bit integer arithmetic (Math.imul, shifts) is used, never Math.random.
//
// Generator: xoshiro128** (Blackman & Vigna), 128 bits of state, period 2^128 - 1, which
// passes the usual statistical batteries and is plenty for ML work. The state is filled from
// the seed by splitmix32, so nearby seeds (0, 1, 2, ...) give unrelated streams.

/** The full generator state, for checkpoints: restoring it continues the exact same sequence. */
export interface RngState {
  /** The four 32-bit words of xoshiro128** (unsigned). */
  s: [number, number, number, number];
  /** The second normal of the last Box–Muller pair, not handed out yet. */
  spareNormal: number | null;
}

const TWO_POW_32 = 4294967296;

/** splitmix32 finaliser: a bijective 32-bit mix with good avalanche. */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 code units of a stream name. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /**
   * @param seed a safe integer (negative and values beyond 2^32 are fine and distinct).
   * @param stream optional 32-bit salt: the same seed with different streams gives independent sequences.
   * @throws RangeError when the seed is not a safe integer (a programming error, not user input:
   *   the model validator checks `seed:` values before they get here).
   */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Rng seed must be a safe integer, got ${seed}`);
    const lo = seed >>> 0; // low 32 bits (two's complement for negatives)
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    // splitmix32: walk a Weyl sequence started from the seed words and mix each step.
    let x = (lo ^ mix32(hi ^ 0x6a09e667) ^ mix32(stream ^ 0xbb67ae85)) >>> 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      words.push(mix32(x));
    }
    // The all-zero state is the one state xoshiro cannot leave.
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
    [this.s0, this.s1, this.s2, this.s3] = words;
  }

  /** An independent generator for a named purpose (`'init'`, `'shuffle'`, `'dropout'`) under one seed,
   *  so adding draws to one purpose never shifts another's sequence. */
  static derive(seed: number, stream: string): Rng {
    return new Rng(seed, hashString(stream));
  }

  /** A new generator seeded from this one's next draws (advances this one by two steps). */
  fork(): Rng {
    const a = this.nextUint32();
    const b = this.nextUint32();
    return new Rng(a, b);
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits (two draws). */
  next(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /**
   * Uniform integer in [0, n), without modulo bias (rejection sampling).
   * @throws RangeError unless n is an integer in [1, 2^32].
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) throw new RangeError(`Rng.int(n) needs 1 <= n <= 2^32, got ${n}`);
    // Accept only draws below the largest multiple of n that fits in 32 bits.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let u = this.nextUint32();
    while (u >= limit) u = this.nextUint32();
    return u % n;
  }

  /** Standard normal draw (or N(mean, std²)), Marsaglia's polar method; pairs are cached. */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return mean + std * u * f;
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  getState(): RngState {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spareNormal: this.spare };
  }

  /** @throws RangeError for a state that is not four 32-bit words, not all zero. */
  setState(state: RngState): void {
    const s = state.s;
    if (!Array.isArray(s) || s.length !== 4 || s.some((w) => !Number.isInteger(w) || w < 0 || w >= TWO_POW_32) || s.every((w) => w === 0)) {
      throw new RangeError('Rng state must be four unsigned 32-bit words, not all zero');
    }
    [this.s0, this.s1, this.s2, this.s3] = s.map((w) => w | 0);
    this.spare = state.spareNormal ?? null;
  }
}
