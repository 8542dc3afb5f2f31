// Text CSV data: tokenizers, the vocabulary (training split only, frequency order, caps),
// fixed-length ids (padding id 0 at either end, truncation at either end, unknown id 1), the
// csv source's text options and their errors, and the run's check of the vocabulary against
// the Embedding. Expected ids for fixtures/text-mini.csv are worked out by hand below.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkDataSpec, loadDataset, type DataSpec } from '../../src/engine/data';
import { parseCsvDataset } from '../../src/engine/data/csv';
import { splitIndices } from '../../src/engine/data/split';
import { buildVocabulary, encodeAll, tokenize, type TextOptions } from '../../src/engine/data/text';
import type { LoadContext } from '../../src/engine/data/types';
import { EngineError } from '../../src/engine/errors';
import { prepareModel } from '../../src/engine/prepare';
import { loadTrainingData } from '../../src/engine/training-data';
import { removeWorkspace, tempWorkspace } from '../engine/helpers';

const FIXTURES = path.join(__dirname, 'fixtures');
const ctx = (extra: Partial<LoadContext> = {}): LoadContext => ({ workspaceRoot: FIXTURES, baseDir: FIXTURES, seed: 5, ...extra });
const spec = (extra: Record<string, unknown> = {}): DataSpec => ({ source: 'csv', path: 'text-mini.csv', text: 'review', label: 'label', ...extra });

function load(s: DataSpec, c = ctx()) {
  const r = loadDataset(s, c);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.dataset;
}
function loadError(s: DataSpec, c = ctx()): string {
  const r = loadDataset(s, c);
  assert.ok(!r.ok, 'expected an error');
  return r.message;
}
const row = (x: BigInt64Array | Float32Array, i: number, t: number) => Array.from(x.subarray(i * t, (i + 1) * t), Number);

// Every row of text-mini.csv, all of them training rows: great x6, awful x4, going x3, screen x3,
// and x2, the x2, then the words seen once, each tie in code-unit order.
const FULL_VOCABULARY = [
  '<pad>', '<unk>', 'great', 'awful', 'going', 'screen', 'and', 'the',
  'a', 'alpha', 'battery', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india',
  'is', "it's", 'keeps', 'limit', 'long', 'not', 'past', 'phone', 'review', 'that', 'very',
];
const id = (word: string) => FULL_VOCABULARY.indexOf(word);
/** The word only row i (0-based) of the fixture contains. */
const MARKERS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', undefined, 'foxtrot', 'golf', 'hotel', 'india'];

describe('data/text: tokenizers and vocabulary', () => {
  it('splits words on everything but letters, digits and inner apostrophes, lowercasing on request', () => {
    assert.deepEqual(tokenize("It's NOT great, (really)!  Café-2000 l’eau", 'word', true), ["it's", 'not', 'great', 'really', 'café', '2000', 'l’eau']);
    assert.deepEqual(tokenize('Great GREAT', 'word', false), ['Great', 'GREAT']);
    assert.deepEqual(tokenize('...', 'word', true), []);
  });

  it('splits characters by code point, whitespace runs as one space', () => {
    assert.deepEqual(tokenize('  Ab \t\n c😀 ', 'char', true), ['a', 'b', ' ', 'c', '😀']);
  });

  it('orders the vocabulary by training frequency, ties in code-unit order, with min_count and a size cap', () => {
    const docs = [['b', 'a', 'c'], ['a', 'b'], ['z', 'z', 'z']];
    assert.deepEqual(buildVocabulary(docs, [0, 1], { minCount: 1 }), ['<pad>', '<unk>', 'a', 'b', 'c']);
    assert.deepEqual(buildVocabulary(docs, [0, 1, 2], { minCount: 2 }), ['<pad>', '<unk>', 'z', 'a', 'b']);
    assert.deepEqual(buildVocabulary(docs, [0, 1, 2], { minCount: 1, vocabSize: 4 }), ['<pad>', '<unk>', 'z', 'a']);
  });

  it('pads and truncates at either end and maps unseen tokens to id 1', () => {
    const vocabulary = ['<pad>', '<unk>', 'a', 'b'];
    const docs = [['a', 'b'], ['b', 'x', 'a', 'a', 'b'], []];
    const run = (pad: TextOptions['pad'], truncate: TextOptions['truncate']) => {
      const out = new BigInt64Array(3 * 4).fill(-1n);
      const counts = encodeAll(docs, vocabulary, { maxLength: 4, pad, truncate }, out);
      return { rows: [0, 1, 2].map((i) => row(out, i, 4)), counts };
    };
    const startEnd = run('start', 'end');
    assert.deepEqual(startEnd.rows, [[0, 0, 2, 3], [3, 1, 2, 2], [0, 0, 0, 0]]);
    assert.deepEqual(startEnd.counts, { truncated: 1, unknown: 1, tokens: 6 });
    assert.deepEqual(run('end', 'start').rows, [[2, 3, 0, 0], [1, 2, 2, 3], [0, 0, 0, 0]]);
  });
});

describe('data/text: the csv source with a text column', () => {
  it('tokenizes fixtures/text-mini.csv into ids [max_length] with the hand-worked vocabulary', () => {
    const d = load(spec({ max_length: 6 }), ctx({ holdOut: undefined }));
    assert.deepEqual(d.vocabulary, FULL_VOCABULARY);
    assert.equal(d.vocabSize, FULL_VOCABULARY.length);
    assert.ok(d.x instanceof BigInt64Array);
    assert.deepEqual(d.sampleShape, [6]);
    assert.equal(d.count, 10);
    assert.deepEqual(d.classNames, ['neg', 'pos']);
    assert.deepEqual(Array.from(d.y), [1, 0, 0, 1, 0, 0, 1, 1, 0, 1]);
    const x = d.x as BigInt64Array;
    assert.deepEqual(row(x, 0, 6), [0, id('great'), id('phone'), id('great'), id('screen'), id('alpha')]);
    assert.deepEqual(row(x, 2, 6), [0, 0, id("it's"), id('not'), id('great'), id('charlie')]);
    assert.deepEqual(row(x, 5, 6), [0, 0, 0, 0, 0, 0], 'an empty text is all padding');
    assert.deepEqual(row(x, 7, 6), ['a', 'very', 'long', 'review', 'that', 'keeps'].map(id), 'a long text keeps its first tokens');
  });

  it('pads at the end, cuts the start, caps the vocabulary and drops rare tokens on request', () => {
    const d = load(spec({ max_length: 6, pad: 'end', truncate: 'start' }), ctx({ holdOut: undefined }));
    const x = d.x as BigInt64Array;
    assert.deepEqual(row(x, 6, 6), [id('great'), id('foxtrot'), 0, 0, 0, 0]);
    assert.deepEqual(row(x, 7, 6), ['and', 'going', 'past', 'the', 'limit', 'golf'].map(id));
    const capped = load(spec({ max_length: 6, vocab_size: 5 }), ctx({ holdOut: undefined }));
    assert.deepEqual(capped.vocabulary, ['<pad>', '<unk>', 'great', 'awful', 'going']);
    assert.deepEqual(row(capped.x as BigInt64Array, 1, 6), [0, 1, 1, 1, 3, 1]);
    const common = load(spec({ max_length: 6, min_count: 3 }), ctx({ holdOut: undefined }));
    assert.deepEqual(common.vocabulary, ['<pad>', '<unk>', 'great', 'awful', 'going', 'screen']);
  });

  it('builds the vocabulary on the training rows of the run\'s split only', () => {
    const holdOut = { validation: 0.3, test: 0.1 };
    const d = load(spec({ max_length: 16 }), ctx({ holdOut }));
    const split = splitIndices(10, holdOut, 5);
    assert.ok(split.ok);
    const train = new Set(split.split.train);
    assert.equal(train.size, 6);
    const x = d.x as BigInt64Array;
    assert.ok(MARKERS.filter((m, i) => m && !train.has(i)).length >= 2, 'some markers are in held-out rows');
    MARKERS.forEach((marker, i) => {
      if (!marker) return;
      const ids = row(x, i, 16);
      if (train.has(i)) {
        assert.ok(d.vocabulary!.includes(marker), `${marker} (training row ${i}) is in the vocabulary`);
        assert.ok(ids.includes(d.vocabulary!.indexOf(marker)));
      } else {
        assert.ok(!d.vocabulary!.includes(marker), `${marker} (held-out row ${i}) is not in the vocabulary`);
        assert.equal(ids[ids.length - 1], 1, `${marker} is the unknown id in row ${i}`);
      }
    });
  });

  it('reads characters with the char tokenizer', () => {
    const d = parseCsvDataset('text,y\n"ab   a",0\nb,1\n', 'chars.csv', { text: { column: 'text', tokenizer: 'char', maxLength: 4, minCount: 1, lowercase: true, pad: 'end', truncate: 'end' } });
    assert.ok(d.ok, d.ok ? '' : d.message);
    assert.deepEqual(d.dataset.vocabulary, ['<pad>', '<unk>', 'a', 'b', ' ']);
    assert.deepEqual(row(d.dataset.x as BigInt64Array, 0, 4), [2, 3, 4, 2]);
    assert.deepEqual(row(d.dataset.x as BigInt64Array, 1, 4), [3, 0, 0, 0]);
  });

  it('says what is wrong with a text setup', () => {
    assert.match(loadError(spec({ text: 'body' })), /text-mini\.csv: text column "body" is not in the header \(columns: id, review, label\)/);
    assert.match(loadError(spec({ text: 'label' })), /column "label" is both the text and the label/);
    assert.match(loadError(spec({ features: ['id'] })), /text and features exclude each other/);
    assert.match(loadError(spec({ min_count: 50 })), /has no words in the training rows seen 50 times \(lower min_count\)/);
    assert.match(loadError(spec({ max_length: 0 })), /data\.max_length \(source csv\): must be an integer between 1 and 4096, got 0/);
    assert.match(loadError(spec({ lowercase: 'yes' })), /data\.lowercase \(source csv\): must be true or false, got "yes"/);
    assert.match(loadError(spec({ tokenizer: 'bpe' })), /data\.tokenizer \(source csv\): must be one of word, char/);
    const noText = checkDataSpec({ source: 'csv', path: 'x.csv', max_length: 8 });
    assert.ok(!noText.ok);
    assert.match(noText.message, /^data\.max_length: only applies together with data\.text; add text: or remove max_length$/);
    assert.match(loadError(spec(), ctx({ holdOut: { validation: 0.5, test: 0.49 } })), /too few to hold out/);
  });
});

describe('data/text: a run checks the vocabulary against the Embedding', () => {
  let ws: string;
  before(() => {
    ws = tempWorkspace('lw-text-');
    fs.copyFileSync(path.join(FIXTURES, 'text-mini.csv'), path.join(ws, 'text-mini.csv'));
  });
  after(() => removeWorkspace(ws));

  const model = (vocab: number) => `name: words
layers:
  - {id: words, type: Input, shape: [8], dtype: int64}
  - {id: embed, type: Embedding, vocab_size: ${vocab}, dim: 4}
  - {id: rec, type: GRU, units: 4}
  - {id: out, type: Dense, units: 2}
training: {seed: 5, validation_split: 0.3}
data: {source: csv, path: text-mini.csv, text: review, label: label, max_length: 8}
`;

  it('names the Embedding whose table is smaller than the vocabulary', () => {
    const file = path.join(ws, 'small.nn.yaml');
    fs.writeFileSync(file, model(10));
    assert.throws(
      () => loadTrainingData(prepareModel(file, model(10)), { workspace: ws, seed: 5 }),
      (e: unknown) => e instanceof EngineError && e.code === 'data_failed' && e.details.layer === 'embed' && e.details.line === 4 && /Embedding 'embed' has vocab_size 10 but data 'text-mini\.csv' has token ids up to \d+; set vocab_size: \d+, or cap the text's vocabulary with data vocab_size: 10/.test(e.message),
    );
  });

  it('records the vocabulary in the run description when it fits', () => {
    const file = path.join(ws, 'fits.nn.yaml');
    fs.writeFileSync(file, model(64));
    const data = loadTrainingData(prepareModel(file, model(64)), { workspace: ws, seed: 5 });
    const vocabulary = data.describe.vocabulary as string[];
    assert.deepEqual(vocabulary.slice(0, 2), ['<pad>', '<unk>']);
    assert.ok(vocabulary.includes('great'));
    assert.equal(data.train.count + data.validation!.count, 10);
    assert.deepEqual(data.train.sampleShape, [8]);
  });
});
