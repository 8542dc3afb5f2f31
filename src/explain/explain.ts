// `explain`: attributions of one sample of a split (or of input values the host gives) for one
// output unit, with the model's top predictions and the trust checks (Integrated Gradients'
// completeness gap, the model-randomization check); `explainIndex`: the model's prediction for
// every sample of a split, for choosing what to explain. An ExplainSession holds what does not
// change between samples (the compiled model, the checkpoint's weights, the data, the ORT
// sessions), so a host that explains sample after sample (the Explain view, the tests) pays for
// them once.
import * as fs from 'fs';
import * as path from 'path';
import { initParams } from '../compiler/init';
import { hashString, mixSeeds } from '../compiler/random';
import { BACKWARD_FACTOR } from '../engine/batch-plan';
import { modelHash, readCheckpoint } from '../engine/checkpoint';
import { EngineError } from '../engine/errors';
import { valuesFromCheckpoint } from '../engine/model-values';
import { prepareModel, type PreparedModel } from '../engine/prepare';
import type { EngineEvent, EvalSplit, SessionRequestOptions } from '../engine/protocol';
import { openSession } from '../engine/sessions';
import type { Dataset } from '../engine/data/types';
import { loadTrainingData, splitOf, type TrainingData } from '../engine/training-data';
import { resolveWorkspacePath, workspaceRoot } from '../engine/workspace';
import { makeBaseline, sampleMean } from './baselines';
import { buildAttributionModels, type AttributionIO } from './graph';
import { attributionMap, foldTokens, inputKind, isMagnitudeMethod, slidAxes } from './layout';
import { runMethod } from './methods';
import { resolveOptions, resolveTopK } from './options';
import { argmax, topPredictions } from './predictions';
import { AttributionRunner, embedTokens, type ParamValues } from './runner';
import { COMPLETENESS_TOLERANCE, completenessCheck, massInMask, randomizationCheck } from './trust';
import type { AttributedOutput, ExplainIndexResult, ExplainOptions, ExplainResult, InputKind, SamplePrediction } from './types';

/** What a host sends to open an explain session (the `explain` request carries it too). */
export interface ExplainModelRequest {
  modelPath: string;
  /** The model file's text (the editor buffer may be unsaved). */
  text: string;
  /** Weights to explain; without one, the model's initial weights (training.seed). */
  checkpoint?: string;
  options: SessionRequestOptions;
}

export interface ExplainRequestData extends ExplainModelRequest {
  /** Split the sample is taken from; default validation. */
  split?: EvalSplit;
  /** Index of the sample within the split; give this or `input`. */
  sample?: number;
  /**
   * One input's values, flat, row-major over the model input's shape, in the data's own units:
   * the engine standardises them like the data set when the run does (CSV), and token-id inputs
   * take the ids. Give this or `sample`.
   */
  input?: number[];
  explain: ExplainOptions;
}

export interface ExplainIndexRequestData extends ExplainModelRequest {
  /** Split listed; default validation. */
  split?: EvalSplit;
}

/** What an explanation knows about where its input came from. */
interface InputOrigin {
  split?: EvalSplit;
  sample?: number;
  count?: number;
  label?: number | number[];
  classNames?: readonly string[];
  /** The object mask [H, W] of the sample, when the data set has masks. */
  mask?: Uint8Array;
  /** The data's own values when they were standardised. */
  raw?: number[];
  given?: boolean;
}

const MIB = 1024 * 1024;
/** Memory one chunk of attribution points may take (activations kept for the backward pass). */
const CHUNK_BUDGET_BYTES = 256 * MIB;
const MAX_CHUNK = 64;

/** Points per graph run: as many as fit the chunk budget, at most 64. */
export function attributionBatchSize(activationBytesPerSample: number): number {
  const perSample = Math.max(1, BACKWARD_FACTOR * activationBytesPerSample);
  return Math.max(1, Math.min(MAX_CHUNK, Math.floor(CHUNK_BUDGET_BYTES / perSample)));
}

function toLayerError(prepared: PreparedModel, err: unknown): unknown {
  const e = err as { name?: string; message?: string; layer?: string };
  if (e?.name !== 'CompileError') return err;
  return new EngineError('compile_failed', `cannot explain this model: ${e.message}`, { file: prepared.modelPath, layer: e.layer, line: e.layer ? prepared.lineOf(e.layer) : undefined });
}

export class ExplainSession {
  private readonly runners = new Map<AttributedOutput, Promise<AttributionRunner>>();
  private floatMean: Float64Array | undefined;
  private range: [number, number] | undefined;

  private constructor(
    readonly prepared: PreparedModel,
    /** The weights explained. */
    readonly params: ParamValues,
    readonly data: TrainingData,
    /** The run seed (split, default randomization seed). */
    readonly seed: number,
    /** Absolute path of the checkpoint, or a description of the initial weights. */
    readonly weights: string,
    private readonly options: SessionRequestOptions,
    private readonly emit: (e: EngineEvent) => void,
  ) {}

  static async open(req: ExplainModelRequest, emit: (e: EngineEvent) => void = () => undefined): Promise<ExplainSession> {
    const options = req.options ?? {};
    const workspace = workspaceRoot(options.workspace);
    const prepared = prepareModel(path.resolve(workspace, req.modelPath), req.text);
    let params: ParamValues;
    let seed = prepared.run.seed;
    let weights: string;
    if (req.checkpoint) {
      const file = resolveWorkspacePath(workspace, req.checkpoint, 'checkpoint');
      const ckpt = readCheckpoint(file);
      params = valuesFromCheckpoint(prepared.compiled, ckpt.tensors, file, false).params;
      seed = ckpt.header.seed;
      weights = file;
    } else {
      params = initParams(prepared.compiled.params, seed);
      weights = `initial weights (seed ${seed})`;
    }
    const data = loadTrainingData(prepared, { workspace, seed });
    return new ExplainSession(prepared, params, data, seed, weights, options, emit);
  }

  /** The ORT sessions for attributing `attributed`, built on first use. */
  runner(attributed: AttributedOutput): Promise<AttributionRunner> {
    let r = this.runners.get(attributed);
    if (!r) {
      r = (async () => {
        let models;
        try {
          models = buildAttributionModels(this.prepared.compiled, attributed);
        } catch (err) {
          throw toLayerError(this.prepared, err);
        }
        const forward = await openSession(models.forward, this.options, 'explain forward', this.emit);
        const gradient = await openSession(models.gradient, this.options, 'explain gradient', this.emit);
        return new AttributionRunner(models.io, forward, gradient, attributionBatchSize(this.prepared.summary.totalActivationBytes));
      })();
      r.catch(() => this.runners.delete(attributed));
      this.runners.set(attributed, r);
    }
    return r;
  }

  /** The model-input values of sample `index` of `set` (a view, not a copy). */
  private sampleValues(set: Dataset, index: number): Float32Array | BigInt64Array {
    const size = this.data.plan.featureSize;
    return set.x.subarray(index * size, (index + 1) * size);
  }

  /** The attributed values of one sample's model input under `params` (embedded for token ids). */
  private attributedInput(io: AttributionIO, params: ParamValues, x: Float32Array | BigInt64Array): Float64Array {
    if (!io.tokens) return Float64Array.from(x as Float32Array);
    return embedTokens(params.get(io.tokens.weight)!, io.tokens.dim, io.tokens.vocab, x as BigInt64Array);
  }

  /** The split's data, or an error that says why it has none. */
  private requireSplit(split: EvalSplit): Dataset {
    const set = splitOf(this.data, split);
    if (!set || set.count === 0) {
      const why = split === 'test' ? 'training.test_split is 0, so no test data is held out' : split === 'validation' ? 'training.validation_split is 0, so no validation data is held out; use --split train' : 'the training split is empty';
      throw new EngineError('bad_request', `cannot explain a sample of the ${split} split: ${why}`, { file: this.prepared.modelPath });
    }
    return set;
  }

  /** A given input's values as the model sees them: checked, standardised like the data set, ids as int64. */
  private modelInput(values: unknown, vocab: number | undefined): { x: Float32Array | BigInt64Array; raw?: number[] } {
    const feature = this.data.plan.feature;
    const size = this.data.plan.featureSize;
    const shape = `[${(feature.shape as number[]).join(', ')}]`;
    if (!Array.isArray(values) || values.length !== size) {
      const got = Array.isArray(values) ? `${values.length} values` : JSON.stringify(values)?.slice(0, 40);
      throw new EngineError('bad_request', `the input must be ${size} numbers (the model input's shape ${shape}, row-major), got ${got}`, { file: this.prepared.modelPath });
    }
    const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0) throw new EngineError('bad_request', `input value ${bad} is not a finite number: ${JSON.stringify(values[bad])}`);
    if (feature.dtype === 'int64') {
      const wrong = values.findIndex((v) => !Number.isInteger(v) || v < 0 || (vocab !== undefined && v >= vocab));
      if (wrong >= 0) throw new EngineError('bad_request', `token ${wrong} is ${values[wrong]}, but token ids are integers from 0 to ${vocab !== undefined ? vocab - 1 : 'the vocabulary size - 1'}`);
      return { x: BigInt64Array.from(values as number[], (v) => BigInt(v)) };
    }
    const std = this.data.standardisation;
    if (!std) return { x: Float32Array.from(values as number[]) };
    return { x: Float32Array.from(values as number[], (v, i) => (v - std.mean[i]) / std.std[i]), raw: [...(values as number[])] };
  }

  /** Smallest and largest feature value of the training split, in the data's own units. */
  private valueRange(): [number, number] {
    if (this.range) return this.range;
    const x = this.data.train.x as Float32Array;
    const std = this.data.standardisation;
    const size = this.data.plan.featureSize;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < x.length; i++) {
      const v = std ? x[i] * std.std[i % size] + std.mean[i % size] : x[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    this.range = Number.isFinite(lo) ? [lo, hi] : [0, 1];
    return this.range;
  }

  /** The training split's mean in the attributed space under `params`. */
  private trainingMean(io: AttributionIO, params: ParamValues): Float64Array {
    const train = this.data.train;
    if (!io.tokens) {
      this.floatMean ??= sampleMean(train.x as Float32Array, train.count, this.data.plan.featureSize);
      return this.floatMean;
    }
    const size = io.tokens.length * io.tokens.dim;
    const mean = new Float64Array(size);
    for (let s = 0; s < train.count; s++) {
      const e = this.attributedInput(io, params, this.sampleValues(train, s));
      for (let i = 0; i < size; i++) mean[i] += e[i];
    }
    for (let i = 0; i < size; i++) mean[i] /= Math.max(1, train.count);
    return mean;
  }

  /** Explains sample `sample` of `split`. */
  async explain(split: EvalSplit, sample: number, options: ExplainOptions): Promise<ExplainResult> {
    const set = this.requireSplit(split);
    if (!Number.isInteger(sample) || sample < 0 || sample >= set.count) {
      throw new EngineError('bad_request', `sample ${sample} is not in the ${split} split, which has ${set.count} samples (0 to ${set.count - 1})`);
    }
    const labelSize = set.labelShape.reduce((a, b) => a * b, 1);
    const label = set.y instanceof Int32Array && labelSize === 1 ? set.y[sample] : Array.from(set.y.subarray(sample * labelSize, (sample + 1) * labelSize));
    const per = set.masks ? set.masks.length / set.count : 0;
    const std = this.data.standardisation;
    const x = this.sampleValues(set, sample);
    return this.explainValues(x, options, {
      split,
      sample,
      count: set.count,
      label,
      classNames: set.classNames,
      mask: set.masks?.subarray(sample * per, (sample + 1) * per),
      raw: std ? Array.from(x as Float32Array, (v, i) => v * std.std[i] + std.mean[i]) : undefined,
    });
  }

  /**
   * Explains input values the host gives (an image file, a row of a CSV file), in the data's own
   * units; see `ExplainRequestData.input`.
   */
  async explainInput(values: number[], options: ExplainOptions): Promise<ExplainResult> {
    const { x, raw } = this.modelInput(values, (await this.runner('logit')).io.tokens?.vocab);
    return this.explainValues(x, options, { given: true, raw, classNames: this.data.train.classNames });
  }

  /**
   * The model's prediction for every sample of `split`, one forward pass per chunk of samples.
   * An empty split gives an empty list (with every split's size, so a host can pick another).
   */
  async index(split: EvalSplit): Promise<ExplainIndexResult> {
    const started = Date.now();
    const set: Dataset = splitOf(this.data, split) ?? { ...this.data.train, count: 0 };
    const runner = await this.runner('logit');
    const io = runner.io;
    const k = runner.outputSize;
    const classifier = io.probabilities !== undefined;
    const labelSize = set.labelShape.reduce((a, b) => a * b, 1);
    const samples: SamplePrediction[] = [];
    for (let s = 0; s < set.count; s += runner.maxBatch) {
      const m = Math.min(runner.maxBatch, set.count - s);
      const xs = new Float64Array(m * runner.inputSize);
      for (let j = 0; j < m; j++) xs.set(this.attributedInput(io, this.params, this.sampleValues(set, s + j)), j * runner.inputSize);
      const out = await runner.forward(this.params, 0, xs, m);
      for (let j = 0; j < m; j++) {
        const sample = s + j;
        const scores = out.scores.subarray(j * k, (j + 1) * k);
        const y = set.y.subarray(sample * labelSize, (sample + 1) * labelSize);
        if (!classifier) {
          let error = 0;
          for (let i = 0; i < k; i++) error += Math.abs(scores[i] - Number(y[i] ?? 0));
          samples.push({ sample, error: error / Math.max(1, k) });
          continue;
        }
        const probs = out.probabilities!.subarray(j * k, (j + 1) * k);
        const p: SamplePrediction = { sample, ...predictedClass(probs) };
        if (labelSize === 1) p.label = Math.round(Number(y[0]));
        samples.push(p);
      }
    }
    const labelled = samples.filter((p) => p.label !== undefined);
    const modelShape = this.data.plan.feature.shape as number[];
    const kind = inputKind(modelShape, this.data.plan.feature.dtype === 'int64');
    return {
      model: this.prepared.name,
      checkpoint: this.weights,
      split,
      splits: { train: this.data.train.count, validation: this.data.validation?.count ?? 0, test: this.data.test?.count ?? 0 },
      classifier,
      outputSize: k,
      ...(this.data.train.classNames ? { classNames: [...this.data.train.classNames] } : {}),
      input: { kind, shape: [...modelShape], ...(io.tokens ? { vocab: io.tokens.vocab } : { range: this.valueRange() }), standardised: this.data.standardisation !== undefined },
      samples,
      ...(classifier && labelled.length === samples.length && samples.length > 0 ? { accuracy: labelled.filter((p) => p.label === p.predicted).length / samples.length } : {}),
      seconds: (Date.now() - started) / 1000,
    };
  }

  private async explainValues(x: Float32Array | BigInt64Array, options: ExplainOptions, origin: InputOrigin): Promise<ExplainResult> {
    const started = Date.now();
    if (!options || typeof options !== 'object') throw new EngineError('bad_request', 'the explain options are missing; give at least a method');
    const attributed = options.output ?? 'logit';
    if (attributed !== 'logit' && attributed !== 'probability') throw new EngineError('bad_request', `output (--output) must be logit or probability, got ${JSON.stringify(attributed)}`);
    const topK = resolveTopK(options.topK);
    const runner = await this.runner(attributed);
    const io = runner.io;
    const feature = this.data.plan.feature;
    const modelShape = feature.shape as number[];
    const kind: InputKind = inputKind(modelShape, feature.dtype === 'int64');
    const axes = slidAxes(kind, io.inputShape);
    const resolved = resolveOptions(options, kind, io.inputShape, axes);
    const magnitude = isMagnitudeMethod(resolved.method);

    // The model's answer, and the unit to explain.
    const attributedX = this.attributedInput(io, this.params, x);
    const fwd = await runner.forward(this.params, 0, attributedX, 1);
    const predicted = argmax(fwd.probabilities ?? fwd.scores);
    const target = options.target ?? predicted;
    if (!Number.isInteger(target) || target < 0 || target >= runner.outputSize) {
      throw new EngineError('bad_request', `target (--target) must be an output unit from 0 to ${runner.outputSize - 1} of layer '${io.outputLayer}', got ${JSON.stringify(target)}`, { layer: io.outputLayer, line: this.prepared.lineOf(io.outputLayer), file: this.prepared.modelPath });
    }
    const names = origin.classNames;

    const attribute = async (params: ParamValues) => {
      const fn = runner.bind(params, target);
      const xp = params === this.params ? attributedX : this.attributedInput(io, params, x);
      const baseline = () => makeBaseline(resolved.baseline, xp, { kind, shape: io.inputShape, mean: () => this.trainingMean(io, params) });
      const out = await runMethod(fn, { x: xp, shape: io.inputShape, axes, baseline }, resolved);
      const perElement = io.tokens ? foldTokens(out.attributions, io.tokens.length, io.tokens.dim, magnitude) : out.attributions;
      const map = attributionMap(kind, modelShape, perElement, magnitude);
      return { out, perElement, map, evaluations: fn.evaluations };
    };

    const warnings: string[] = [];
    const trained = await attribute(this.params);
    let evaluations = 1 + trained.evaluations;
    if (trained.map.values.every((v) => v === 0)) warnings.push('every attribution is 0: the attributed output does not change with the input here (e.g. dead ReLUs, or a saturated probability; try --output logit)');

    const completeness =
      resolved.method === 'integrated_gradients' && trained.out.baselineScore !== undefined
        ? completenessCheck(trained.perElement, trained.out.score, trained.out.baselineScore, resolved.steps, resolved.baseline)
        : undefined;
    if (completeness && completeness.relativeGap > COMPLETENESS_TOLERANCE) {
      warnings.push(`the attributions add up to ${completeness.sum.toPrecision(4)} but f(x) − f(baseline) is ${(completeness.score - completeness.baselineScore).toPrecision(4)} (a ${(100 * completeness.relativeGap).toFixed(1)} % gap); raise --steps (now ${resolved.steps}) for a more exact integral`);
    }

    let randomization: ExplainResult['randomization'];
    if (options.randomizationCheck ?? true) {
      const seed = options.randomizationSeed ?? mixSeeds(this.seed, hashString('explain/randomization'));
      if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new EngineError('bad_request', `randomizationSeed must be an integer from 0 to ${2 ** 32 - 1}, got ${JSON.stringify(seed)}`);
      const random = await attribute(initParams(this.prepared.compiled.params, seed));
      evaluations += random.evaluations;
      randomization = randomizationCheck(trained.map.values, random.map.values, seed);
    }

    let mask: ExplainResult['mask'];
    const [h, w] = trained.map.shape;
    if (kind === 'image' && origin.mask && origin.mask.length === h * w) {
      const m = origin.mask;
      let inside = 0;
      for (const v of m) inside += v ? 1 : 0;
      mask = { values: Array.from(m), share: inside / m.length, attributionMass: massInMask(trained.map.values, m) };
    }

    const values = Array.from(x as ArrayLike<number | bigint>, Number);
    const label = origin.label;
    return {
      model: this.prepared.name,
      checkpoint: this.weights,
      ...(origin.split !== undefined ? { split: origin.split, sample: origin.sample, count: origin.count } : {}),
      ...(label !== undefined ? { label } : {}),
      ...(typeof label === 'number' && names?.[label] !== undefined ? { labelName: names[label] } : {}),
      options: resolved,
      output: attributed,
      input: { kind, shape: modelShape, values, ...(origin.raw ? { raw: origin.raw } : {}), ...(origin.given ? { given: true } : {}) },
      target: { index: target, ...(names?.[target] !== undefined ? { name: names[target] } : {}), predicted: target === predicted },
      predictions: topPredictions(fwd.scores, fwd.probabilities, topK, names),
      classifier: fwd.probabilities !== undefined,
      attributions: Array.from(trained.perElement),
      map: Array.from(trained.map.values),
      mapShape: trained.map.shape,
      display: magnitude ? 'magnitude' : 'signed',
      score: trained.out.score,
      ...(completeness ? { completeness } : {}),
      ...(randomization ? { randomization } : {}),
      ...(mask ? { mask } : {}),
      evaluations,
      seconds: (Date.now() - started) / 1000,
      warnings,
    };
  }
}

/** The last session opened, reused while the model text, weights and session options stay the same. */
let cached: { key: string; session: Promise<ExplainSession> } | undefined;

function sessionKey(req: ExplainModelRequest): string {
  const workspace = workspaceRoot(req.options?.workspace);
  let stamp = '';
  if (req.checkpoint) {
    try {
      const st = fs.statSync(path.resolve(workspace, req.checkpoint));
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch {
      stamp = 'missing';
    }
  }
  const o = req.options ?? {};
  return JSON.stringify([workspace, path.resolve(workspace, req.modelPath), modelHash(req.text), req.checkpoint ?? '', stamp, o.provider ?? '', o.threads ?? 0]);
}

/** An ExplainSession for `req`, the cached one when nothing it depends on changed. */
export function explainSession(req: ExplainModelRequest, emit: (e: EngineEvent) => void = () => undefined): Promise<ExplainSession> {
  const key = sessionKey(req);
  if (cached?.key !== key) {
    const session = ExplainSession.open(req, emit);
    cached = { key, session };
    session.catch(() => {
      if (cached?.session === session) cached = undefined;
    });
  }
  return cached.session;
}

/** Which of a single-sample classifier output's classes is predicted, and how sure the model is. */
export function predictedClass(probabilities: ArrayLike<number>): { predicted: number; confidence: number } {
  if (probabilities.length === 1) {
    const p = probabilities[0];
    return p >= 0.5 ? { predicted: 1, confidence: p } : { predicted: 0, confidence: 1 - p };
  }
  const predicted = argmax(probabilities);
  return { predicted, confidence: probabilities[predicted] };
}

/** The `explain` request: one sample of a split, or the given input, explained (see ExplainResult). */
export async function explainSample(req: ExplainRequestData, emit: (e: EngineEvent) => void = () => undefined): Promise<ExplainResult> {
  const hasSample = req.sample !== undefined && req.sample !== null;
  const hasInput = req.input !== undefined && req.input !== null;
  if (hasSample === hasInput) throw new EngineError('bad_request', hasInput ? 'give either a sample index or input values to explain, not both' : 'give a sample index (sample) or input values (input) to explain');
  const session = await explainSession(req, emit);
  return hasInput ? session.explainInput(req.input!, req.explain) : session.explain(req.split ?? 'validation', req.sample!, req.explain);
}

/** The `explainIndex` request: the model's prediction for every sample of a split. */
export async function explainIndex(req: ExplainIndexRequestData, emit: (e: EngineEvent) => void = () => undefined): Promise<ExplainIndexResult> {
  const session = await explainSession(req, emit);
  return session.index(req.split ?? 'validation');
}
