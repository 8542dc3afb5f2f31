// The parsed form of a *.nn.yaml model file. Every node keeps the source range it came from
// (character offsets into the document text) so diagnostics, hovers and edits can point back
// at the exact line and column. Offsets are converted to line/column by `LineIndex`.

/** A half-open character range [start, end) in the document text. */
export interface Range {
  start: number;
  end: number;
}

/** Any YAML scalar or structure as written, with its ranges. */
export interface SourceValue {
  /** The plain JS value (what `yaml` would give for this node). */
  value: unknown;
  /** Range of the value itself. */
  range: Range;
  /** Range of the key this value belongs to, when it is a mapping value. */
  keyRange?: Range;
}

/** One reference to another layer (an entry of `inputs:`). */
export interface InputRef {
  id: string;
  range: Range;
}

export interface LayerSpec {
  /** Layer id: as written, or generated (`<kind lowercase>_<n>`) when omitted. */
  id: string;
  /** True when `id:` was written in the file. */
  idWritten: boolean;
  /** Range of the `id:` value when written, else of the `type:` value. */
  idRange: Range;
  /**
   * The layer kind as written (`type:` value), e.g. `Dense`. Not yet checked against known kinds.
   * Empty when `type:` is missing or not a name (the parser reports `missing-kind`/`bad-kind`).
   */
  kind: string;
  kindRange: Range;
  /**
   * The layers feeding this one. When `inputs:` is absent, the previous layer in the list
   * (`implicitInputs` is true, ranges point at the layer's `type:` value); the first layer
   * and Input layers get none.
   */
  inputs: InputRef[];
  implicitInputs: boolean;
  /** Range of the `inputs:` value when written. */
  inputsRange?: Range;
  /** Every other key of the layer mapping: the layer's parameters, as written. */
  params: Record<string, SourceValue>;
  /** Range of the whole layer item in the `layers:` sequence. */
  range: Range;
  /** Index of this layer in the `layers:` sequence. */
  index: number;
}

/** A section that is a mapping of settings (`optimizer:`, `training:`, `data:` ...). */
export interface SectionSpec {
  /** `type:` (or the scalar shorthand, e.g. `loss: cross_entropy`). */
  type?: SourceValue;
  /** The remaining keys. */
  params: Record<string, SourceValue>;
  range: Range;
  keyRange?: Range;
}

export interface ModelSpec {
  /** `name:`; defaults to the file name without `.nn.yaml`. */
  name?: SourceValue;
  description?: SourceValue;
  layers: LayerSpec[];
  /** Range of the `layers:` sequence (or of the document when absent). */
  layersRange: Range;
  /** `outputs:` ids; when absent, every layer nothing else consumes. */
  outputs?: InputRef[];
  /** Range of the `outputs:` value when written (absent when `outputs` holds the default). */
  outputsRange?: Range;
  /** `loss:` e.g. `{type: cross_entropy, label_smoothing: 0.1, output: logits}`. */
  loss?: SectionSpec;
  /** `metrics: [accuracy]`. */
  metrics?: SourceValue[];
  metricsRange?: Range;
  /** `optimizer: {type: adam, lr: 0.001, weight_decay: 0, clip_norm: 1}` */
  optimizer?: SectionSpec;
  /** `schedule: {type: cosine, warmup_epochs: 2}` */
  schedule?: SectionSpec;
  /** `training: {epochs, batch_size, seed, validation_split, early_stopping: {...}, accumulate}` */
  training?: SectionSpec;
  /** `data: {source: digits}` or `{source: csv, path: data.csv, label: y}` */
  data?: SectionSpec;
  /** Top-level keys that are not part of the format. */
  unknownKeys: { key: string; range: Range }[];
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A minimal replacement of document text; ranges are offsets into the text before the edit. */
export interface TextEdit {
  range: Range;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

export interface Diagnostic {
  severity: Severity;
  range: Range;
  /** A sentence that says what is wrong and what to do. */
  message: string;
  /** Stable machine-readable code, e.g. `unknown-kind`, `shape-mismatch`. */
  code: string;
  /** The layer concerned, when there is one. */
  layer?: string;
  fixes?: QuickFix[];
}

export interface ParseResult {
  /** Null only when the text is not a YAML mapping at all. */
  model: ModelSpec | null;
  /** YAML syntax errors and structural problems (wrong types of sections, malformed layers). */
  diagnostics: Diagnostic[];
}

/** Converts offsets to 0-based line/column and back. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  /** 0-based line and column of an offset. */
  position(offset: number): { line: number; col: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, col: o - this.starts[lo] };
  }
  offset(line: number, col: number): number {
    const l = Math.max(0, Math.min(line, this.starts.length - 1));
    return Math.min(this.starts[l] + col, this.text.length);
  }
  get lineCount(): number {
    return this.starts.length;
  }
}
