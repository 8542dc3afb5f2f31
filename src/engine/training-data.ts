// The data of a run: the model's `data:` source loaded, split into training / validation / test
// by a permutation derived from the run seed (so every command that takes the same seed sees the
// same split), CSV features standardised with statistics of the training split only, and
// checked against the model's Input layer and loss.
import * as path from 'path';
import { loadDataset } from './data';
import type { Dataset } from './data/types';
import { fitStandardizer } from './data/standardize';
import { embeddingVocabularyProblem } from './data/vocab-check';
import { splitIndices, subset } from './data/split';
import { EngineError } from './errors';
import { planFeeds, type FeedPlan } from './feeds';
import type { EvalSplit } from './protocol';
import type { PreparedModel } from './prepare';
import { LineIndex } from '../model/types';

export interface TrainingData {
  train: Dataset;
  validation?: Dataset;
  test?: Dataset;
  plan: FeedPlan;
  /** The standardisation applied to the features (CSV data), fitted on the training split; one value per element of a sample. */
  standardisation?: { mean: Float32Array; std: Float32Array };
  /** What config.json records about the data. */
  describe: Record<string, unknown>;
}

/** Sources whose features are raw columns of a user's file and get standardised. */
const STANDARDISED_SOURCES = new Set(['csv']);

export function splitOf(data: TrainingData, split: EvalSplit): Dataset | undefined {
  return split === 'train' ? data.train : split === 'validation' ? data.validation : data.test;
}

export function loadTrainingData(prepared: PreparedModel, opts: { workspace: string; seed: number }): TrainingData {
  const { model, compiled, run } = prepared;
  const section = model.data;
  const lines = new LineIndex(prepared.text);
  const lineOf = (sec: typeof section) => (sec ? lines.position((sec.keyRange ?? sec.range).start).line + 1 : undefined);
  const dataLine = lineOf(section);
  const trainingLine = lineOf(model.training);
  if (!section) {
    throw new EngineError('data_failed', 'the model has no data: section, so there is nothing to train on; add e.g. data: {source: digits}', { file: prepared.modelPath });
  }
  const result = loadDataset(section, { workspaceRoot: opts.workspace, baseDir: path.dirname(prepared.modelPath), seed: opts.seed, holdOut: { validation: run.validationSplit, test: run.testSplit } });
  if (!result.ok) throw new EngineError('data_failed', result.message, { file: prepared.modelPath, line: dataLine });
  const all = result.dataset;
  if (all.count < 1) throw new EngineError('data_failed', `data '${all.name}' has no samples`, { file: prepared.modelPath, line: dataLine });

  const split = splitIndices(all.count, { validation: run.validationSplit, test: run.testSplit }, opts.seed);
  if (!split.ok) throw new EngineError('data_failed', split.message, { file: prepared.modelPath, line: trainingLine ?? dataLine });
  const idx = split.split;
  const train = subset(all, idx.train);
  const validation = idx.validation.length ? subset(all, idx.validation) : undefined;
  const test = idx.test.length ? subset(all, idx.test) : undefined;

  const source = section.params.source?.value;
  let standardisation: TrainingData['standardisation'];
  if (typeof source === 'string' && STANDARDISED_SOURCES.has(source) && train.x instanceof Float32Array) {
    const fitted = fitStandardizer(train.x, train.sampleShape, Int32Array.from({ length: train.count }, (_, i) => i));
    for (const part of [train, validation, test]) if (part && part.x instanceof Float32Array) fitted.applyInPlace(part.x);
    standardisation = { mean: fitted.mean, std: fitted.std };
  }

  const outLayer = prepared.summary.layers.find((l) => l.spec.id === compiled.config.loss.output);
  const outShape = outLayer?.output?.shape ?? [];
  const classes = outShape.length ? outShape[outShape.length - 1] : undefined;
  const plan = planFeeds(compiled.trainIO.features, compiled.trainIO.labels, all, prepared.lineOf, classes !== undefined ? { id: compiled.config.loss.output, classes } : undefined);
  const vocabulary = embeddingVocabularyProblem(all, plan.feature.layer, prepared.summary.layers);
  if (vocabulary) throw new EngineError('data_failed', vocabulary.message, { file: prepared.modelPath, layer: vocabulary.layer, line: prepared.lineOf(vocabulary.layer) });
  return {
    train,
    validation,
    test,
    plan,
    standardisation,
    describe: {
      source: all.name,
      samples: all.count,
      sampleShape: all.sampleShape,
      labelShape: all.labelShape,
      classes: all.numClasses,
      classNames: all.classNames,
      ...(all.vocabulary ? { vocabulary: all.vocabulary } : {}),
      split: { train: train.count, validation: validation?.count ?? 0, test: test?.count ?? 0, seed: opts.seed },
      standardisation: standardisation && { mean: Array.from(standardisation.mean), std: Array.from(standardisation.std) },
    },
  };
}
