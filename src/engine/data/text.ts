// Free text to token ids for sequence models: a word- or character-level tokenizer, a
// vocabulary counted on the training split only (so validation and test texts meet unseen
// tokens as a model in use would), and fixed-length id sequences: id 0 pads, id 1 stands for
// every token outside the vocabulary.

export type TokenizerKind = 'word' | 'char';
export type TextEnd = 'start' | 'end';

export interface TextOptions {
  tokenizer: TokenizerKind;
  /** Ids per sample; longer texts are cut, shorter ones padded. */
  maxLength: number;
  /** Most ids, counting the padding and unknown ids; undefined: every token seen min_count times. */
  vocabSize?: number;
  /** Training-split occurrences a token needs to get an id of its own. */
  minCount: number;
  lowercase: boolean;
  /** Where the padding goes. */
  pad: TextEnd;
  /** Which end of a long text is cut off. */
  truncate: TextEnd;
}

export const PAD_ID = 0;
export const UNKNOWN_ID = 1;
/** Vocabulary entries of the two reserved ids. */
export const PAD_TOKEN = '<pad>';
export const UNKNOWN_TOKEN = '<unk>';

// A word: letters and digits, with inner apostrophes ("don't", "l'eau"); punctuation is dropped.
const WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*/gu;

/** The tokens of one text. Characters: every code point, whitespace runs as one space. */
export function tokenize(text: string, kind: TokenizerKind, lowercase: boolean): string[] {
  const t = lowercase ? text.toLowerCase() : text;
  if (kind === 'word') return t.match(WORD) ?? [];
  return Array.from(t.replace(/\s+/g, ' ').trim());
}

/**
 * Token strings by id: `<pad>`, `<unk>`, then the training tokens seen at least `minCount` times,
 * most frequent first (ties in code-unit order, so the ids are the same on every machine), at
 * most `vocabSize` entries in all.
 */
export function buildVocabulary(docs: readonly string[][], trainIndices: ArrayLike<number>, opts: Pick<TextOptions, 'vocabSize' | 'minCount'>): string[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < trainIndices.length; i++) {
    for (const token of docs[trainIndices[i]]) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  const kept = [...counts].filter(([, c]) => c >= opts.minCount);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const room = opts.vocabSize === undefined ? kept.length : Math.max(0, opts.vocabSize - 2);
  return [PAD_TOKEN, UNKNOWN_TOKEN, ...kept.slice(0, room).map(([token]) => token)];
}

export interface EncodeCounts {
  /** Texts longer than max_length. */
  truncated: number;
  /** Tokens that got the unknown id. */
  unknown: number;
  tokens: number;
}

/** Writes the ids of `docs` into `out` ([docs.length, maxLength], row-major) and counts what was lost. */
export function encodeAll(docs: readonly string[][], vocabulary: readonly string[], opts: Pick<TextOptions, 'maxLength' | 'pad' | 'truncate'>, out: BigInt64Array): EncodeCounts {
  const ids = new Map(vocabulary.map((token, id) => [token, id]));
  const t = opts.maxLength;
  const counts: EncodeCounts = { truncated: 0, unknown: 0, tokens: 0 };
  docs.forEach((doc, i) => {
    let kept = doc;
    if (doc.length > t) {
      counts.truncated++;
      kept = opts.truncate === 'end' ? doc.slice(0, t) : doc.slice(doc.length - t);
    }
    const offset = i * t + (opts.pad === 'start' ? t - kept.length : 0);
    out.fill(BigInt(PAD_ID), i * t, (i + 1) * t);
    kept.forEach((token, j) => {
      const id = ids.get(token);
      // The reserved entries are not tokens a text can contain.
      const known = id !== undefined && id > UNKNOWN_ID;
      if (!known) counts.unknown++;
      out[offset + j] = BigInt(known ? id : UNKNOWN_ID);
    });
    counts.tokens += kept.length;
  });
  return counts;
}
