// Token-sequence classification tasks for sequence models (Embedding -> RNN / attention ->
// LastTokenPool -> Dense). Features are int64 token ids [length]; labels are class indices.
// Each task is class-balanced (sample i targets class i mod k, then the order is shuffled)
// and determined by its seed.
import { Rng } from './rng';
import type { Dataset } from './types';

export interface SequenceParams {
  samples: number;
  length: number;
  /** Number of distinct tokens (not used by parity, whose vocabulary is fixed at 4). */
  vocab: number;
  seed: number;
}

/** Fills `tokens` (length T) so that it encodes class `target`. */
type SequenceMaker = (target: number, tokens: Int32Array, rng: Rng) => void;

function generate(name: string, params: SequenceParams, vocabSize: number, classNames: string[], make: SequenceMaker): Dataset {
  const { samples: n, length: t } = params;
  const k = classNames.length;
  const rng = new Rng(params.seed);
  const slot = rng.permutation(n);
  const x = new BigInt64Array(n * t);
  const y = new Int32Array(n);
  const tokens = new Int32Array(t);
  for (let i = 0; i < n; i++) {
    const target = i % k;
    make(target, tokens, rng);
    const at = slot[i];
    for (let j = 0; j < t; j++) x[at * t + j] = BigInt(tokens[j]);
    y[at] = target;
  }
  return { name, x, sampleShape: [t], y, labelShape: [], numClasses: k, classNames, vocabSize, count: n };
}

function fillRandom(tokens: Int32Array, vocab: number, rng: Rng): void {
  for (let j = 0; j < tokens.length; j++) tokens[j] = rng.int(vocab);
}

function isSorted(tokens: Int32Array): boolean {
  for (let j = 1; j < tokens.length; j++) if (tokens[j] < tokens[j - 1]) return false;
  return true;
}

/**
 * Class 1: a non-decreasing sequence. Class 0: half of them random (not sorted), half sorted
 * except for one swapped adjacent pair, so "looks mostly sorted" is not enough.
 */
export function sortedTask(params: SequenceParams): Dataset {
  const v = params.vocab;
  let negatives = 0;
  return generate('sorted', params, v, ['unsorted', 'sorted'], (target, tokens, rng) => {
    if (target === 1) {
      fillRandom(tokens, v, rng);
      tokens.sort();
      return;
    }
    const nearlySorted = negatives++ % 2 === 1;
    for (;;) {
      fillRandom(tokens, v, rng);
      if (nearlySorted) {
        tokens.sort();
        // Swap one adjacent pair of different values; all-equal draws are redrawn.
        const distinct: number[] = [];
        for (let j = 1; j < tokens.length; j++) if (tokens[j] !== tokens[j - 1]) distinct.push(j);
        if (distinct.length === 0) continue;
        const j = distinct[rng.int(distinct.length)];
        const tmp = tokens[j];
        tokens[j] = tokens[j - 1];
        tokens[j - 1] = tmp;
      }
      if (!isSorted(tokens)) return;
    }
  });
}

/**
 * Each token is a bit plus a mark: 0/1 = unmarked bit 0/1, 2/3 = marked bit 0/1.
 * The label is the XOR of the marked bits (0 = even, 1 = odd).
 */
export function parityTask(params: SequenceParams): Dataset {
  return generate('parity', params, 4, ['even', 'odd'], (target, tokens, rng) => {
    fillRandom(tokens, 4, rng);
    let parity = 0;
    const marked: number[] = [];
    for (let j = 0; j < tokens.length; j++) {
      if (tokens[j] >= 2) {
        marked.push(j);
        parity ^= tokens[j] & 1;
      }
    }
    if (parity === target) return;
    if (marked.length > 0) {
      tokens[marked[rng.int(marked.length)]] ^= 1; // flip one marked bit
    } else {
      tokens[rng.int(tokens.length)] = 3; // nothing marked: mark a 1 to make the parity odd
    }
  });
}

/** The label is the token occurring most often; it always outnumbers every other token. */
export function majorityTask(params: SequenceParams): Dataset {
  const v = params.vocab;
  const names = Array.from({ length: v }, (_, i) => String(i));
  const counts = new Int32Array(v);
  return generate('majority', params, v, names, (target, tokens, rng) => {
    fillRandom(tokens, v, rng);
    counts.fill(0);
    for (const token of tokens) counts[token]++;
    const strictMajority = (): boolean => counts.every((c, token) => token === target || c < counts[target]);
    // Turn random other tokens into the target until it leads strictly.
    while (!strictMajority()) {
      const j = rng.int(tokens.length);
      if (tokens[j] === target) continue;
      counts[tokens[j]]--;
      counts[target]++;
      tokens[j] = target;
    }
  });
}

/** Random tokens; the label is the first one (to be recalled at the end of the sequence). */
export function copyFirstTask(params: SequenceParams): Dataset {
  const v = params.vocab;
  const names = Array.from({ length: v }, (_, i) => String(i));
  return generate('copy_first', params, v, names, (target, tokens, rng) => {
    fillRandom(tokens, v, rng);
    tokens[0] = target;
  });
}
