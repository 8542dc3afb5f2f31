// Loads a CSV file with a header row into a Dataset: numeric feature columns (or one text
// column, tokenized into ids), and a label column holding class names, integer classes, or
// (task: regression) float targets. Errors name the file, the 1-based line and the column.
import * as fs from 'fs';
import * as path from 'path';
import { parseCsvText, type CsvRow } from './csvParse';
import { splitIndices, type SplitFractions } from './split';
import { buildVocabulary, encodeAll, tokenize, type TextOptions } from './text';
import type { Dataset, LoadResult } from './types';

export { fitStandardizer, type Standardizer } from './standardize';

export interface CsvOptions {
  /** Label column name, or several for multi-target regression; default: the last column. */
  label?: string | string[];
  /** Feature columns in order; default: every column that is not a label. */
  features?: string[];
  task?: 'classification' | 'regression';
  /** One character; default ','. */
  delimiter?: string;
  /** A text column as the only feature, tokenized with these options. */
  text?: TextOptions & { column: string };
  /**
   * The run's split (fractions held out and seed, as split.ts cuts it): a text vocabulary is
   * built on the training rows only. Without it every row counts as training data.
   */
  split?: { fractions: SplitFractions; seed: number };
}

/** Integer class labels beyond this are almost surely regression targets. */
const MAX_CLASSES = 10000;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

function fail(message: string): LoadResult {
  return { ok: false, message };
}

/** Parses CSV text; `file` is only used to name the source in messages and the data set. */
export function parseCsvDataset(text: string, file: string, options: CsvOptions = {}): LoadResult {
  const task = options.task ?? 'classification';
  const parsed = parseCsvText(text, options.delimiter ?? ',', file);
  if (!parsed.ok) return parsed;
  const [headerRow, ...rows] = parsed.rows;
  if (headerRow === undefined) return fail(`${file}: the file is empty; it needs a header row and at least one data row`);
  const header = headerRow.fields.map((h) => h.trim());
  const seen = new Map<string, number>();
  for (let c = 0; c < header.length; c++) {
    if (header[c] === '') return fail(`${file}:${headerRow.line}: column ${c + 1} has an empty name in the header row`);
    const before = seen.get(header[c]);
    if (before !== undefined) return fail(`${file}:${headerRow.line}: column name "${header[c]}" appears twice (columns ${before + 1} and ${c + 1})`);
    seen.set(header[c], c);
  }
  const columnOf = (name: string, role: string): number | string => {
    const c = seen.get(name);
    return c ?? `${file}: ${role} column "${name}" is not in the header (columns: ${header.join(', ')})`;
  };

  const labelNames = options.label === undefined ? [header[header.length - 1]] : Array.isArray(options.label) ? options.label : [options.label];
  if (labelNames.length === 0) return fail(`${file}: label lists no column`);
  if (task === 'classification' && labelNames.length > 1) return fail(`${file}: classification takes one label column, got ${labelNames.length} (${labelNames.join(', ')}); use task: regression for several targets`);
  const labelCols: number[] = [];
  for (const name of labelNames) {
    const c = columnOf(name, 'label');
    if (typeof c === 'string') return fail(c);
    labelCols.push(c);
  }
  if (rows.length === 0) return fail(`${file}: the header row is followed by no data rows`);
  for (const row of rows) {
    if (row.fields.length !== header.length) {
      return fail(`${file}:${row.line}: this row has ${row.fields.length} fields but the header has ${header.length} (ragged row)`);
    }
  }
  const name = path.basename(file);
  let features: Pick<Dataset, 'x' | 'sampleShape'> & Partial<Pick<Dataset, 'vocabSize' | 'vocabulary'>>;
  if (options.text) {
    if (options.features) return fail(`${file}: text and features exclude each other: the text column "${options.text.column}" is the only feature`);
    const c = columnOf(options.text.column, 'text');
    if (typeof c === 'string') return fail(c);
    if (labelCols.includes(c)) return fail(`${file}: column "${options.text.column}" is both the text and the label`);
    const encoded = textFeatures(rows, c, file, options.text, options.split);
    if (typeof encoded === 'string') return fail(encoded);
    features = encoded;
  } else {
    const numeric = numericFeatures(rows, header, labelCols, file, options.features);
    if (typeof numeric === 'string') return fail(numeric);
    features = numeric;
  }
  const labels = readLabels(rows, header, labelCols, file, task);
  if (typeof labels === 'string') return fail(labels);
  return { ok: true, dataset: { name, ...features, count: rows.length, ...labels } };
}

/** The first error's message, or the value. */
type Checked<T> = T | string;

function cellNumber(row: CsvRow, c: number, header: string[], file: string): Checked<number> {
  const cell = row.fields[c].trim();
  if (!NUMBER.test(cell)) {
    const shown = cell === '' ? 'an empty cell' : `"${cell}"`;
    return `${file}:${row.line}: column ${c + 1} ("${header[c]}"): ${shown} is not a number`;
  }
  return Number(cell);
}

/** Numeric feature columns (default: every column but the labels) as float32 [n, f]. */
function numericFeatures(rows: CsvRow[], header: string[], labelCols: number[], file: string, names: string[] | undefined): Checked<{ x: Float32Array; sampleShape: number[] }> {
  const featureNames = names ?? header.filter((_, c) => !labelCols.includes(c));
  const featureCols: number[] = [];
  for (const name of featureNames) {
    const c = header.indexOf(name);
    if (c < 0) return `${file}: feature column "${name}" is not in the header (columns: ${header.join(', ')})`;
    if (labelCols.includes(c)) return `${file}: column "${name}" is both a feature and the label`;
    featureCols.push(c);
  }
  if (featureCols.length === 0) return `${file}: no feature columns (the header has only the label column)`;
  const n = rows.length;
  const f = featureCols.length;
  const x = new Float32Array(n * f);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) {
      const v = cellNumber(rows[i], featureCols[j], header, file);
      if (typeof v === 'string') return v;
      x[i * f + j] = v;
    }
  }
  return { x, sampleShape: [f] };
}

/** The text column as int64 token ids [n, max_length], with the vocabulary of the training rows. */
function textFeatures(rows: CsvRow[], column: number, file: string, opts: TextOptions, split: CsvOptions['split']): Checked<{ x: BigInt64Array; sampleShape: number[]; vocabSize: number; vocabulary: string[] }> {
  const n = rows.length;
  const docs = rows.map((r) => tokenize(r.fields[column], opts.tokenizer, opts.lowercase));
  let train: ArrayLike<number> = Int32Array.from({ length: n }, (_, i) => i);
  if (split) {
    const cut = splitIndices(n, split.fractions, split.seed);
    if (!cut.ok) return `${file}: ${cut.message}`;
    train = cut.split.train;
  }
  const vocabulary = buildVocabulary(docs, train, opts);
  if (vocabulary.length <= 2) return `${file}: the text column has no ${opts.tokenizer === 'word' ? 'words' : 'characters'} in the training rows${opts.minCount > 1 ? ` seen ${opts.minCount} times (lower min_count)` : ''}`;
  const x = new BigInt64Array(n * opts.maxLength);
  encodeAll(docs, vocabulary, opts, x);
  return { x, sampleShape: [opts.maxLength], vocabSize: vocabulary.length, vocabulary };
}

/** Class indices (names in sorted order, or integers as written) or float regression targets. */
function readLabels(rows: CsvRow[], header: string[], labelCols: number[], file: string, task: 'classification' | 'regression'): Checked<Pick<Dataset, 'y' | 'labelShape' | 'numClasses' | 'classNames'>> {
  const n = rows.length;
  if (task === 'regression') {
    const k = labelCols.length;
    const y = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        const v = cellNumber(rows[i], labelCols[j], header, file);
        if (typeof v === 'string') return v;
        y[i * k + j] = v;
      }
    }
    return { y, labelShape: [k] };
  }

  const lc = labelCols[0];
  const cells = rows.map((r) => r.fields[lc].trim());
  for (let i = 0; i < n; i++) {
    if (cells[i] === '') return `${file}:${rows[i].line}: column ${lc + 1} ("${header[lc]}"): the label is empty`;
  }
  const y = new Int32Array(n);
  if (cells.every((c) => INTEGER.test(c))) {
    // Integer labels are class indices as written.
    let max = 0;
    for (let i = 0; i < n; i++) {
      const v = Number(cells[i]);
      if (v < 0 || v >= MAX_CLASSES) {
        return `${file}:${rows[i].line}: column ${lc + 1} ("${header[lc]}"): class ${cells[i]} is outside 0..${MAX_CLASSES - 1}; integer labels are class indices (use task: regression for numeric targets)`;
      }
      y[i] = v;
      if (v > max) max = v;
    }
    return { y, labelShape: [], numClasses: max + 1 };
  }
  // Class names map to indices in sorted (code unit) order, the same on every machine.
  const classNames = [...new Set(cells)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classNames.map((c, i) => [c, i]));
  for (let i = 0; i < n; i++) y[i] = index.get(cells[i]) as number;
  return { y, labelShape: [], numClasses: classNames.length, classNames };
}

/** Reads and parses a CSV file (the path should already have passed the workspace guard). */
export function loadCsv(file: string, options: CsvOptions = {}): LoadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return fail(`cannot read ${file}: ${(err as Error).message}`);
  }
  return parseCsvDataset(text, file, options);
}
