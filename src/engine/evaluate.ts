// `eval`: loss and metrics of a checkpoint on one split of the model's data (the same seeded
// split the run used, so `validation` means the samples it validated on).
import * as path from 'path';
import { readCheckpoint } from './checkpoint';
import { EngineError } from './errors';
import { Evaluator, evalBatchSize } from './evaluator';
import { valuesFromCheckpoint } from './model-values';
import { prepareModel } from './prepare';
import type { EngineEvent, EvalResult, EvalSplit, SessionRequestOptions } from './protocol';
import { openSession } from './sessions';
import { DEFAULT_MEMORY_BUDGET_MB } from './batch-plan';
import { loadTrainingData, splitOf } from './training-data';
import { resolveWorkspacePath, workspaceRoot } from './workspace';

export interface EvalRequestData {
  modelPath: string;
  text: string;
  checkpoint: string;
  split: EvalSplit;
  options: SessionRequestOptions;
}

export async function evaluateCheckpoint(req: EvalRequestData, emit: (e: EngineEvent) => void = () => undefined): Promise<EvalResult> {
  const options = req.options ?? {};
  const workspace = workspaceRoot(options.workspace);
  const prepared = prepareModel(path.resolve(workspace, req.modelPath), req.text);
  const file = resolveWorkspacePath(workspace, req.checkpoint, 'checkpoint');
  const ckpt = readCheckpoint(file);
  const { params } = valuesFromCheckpoint(prepared.compiled, ckpt.tensors, file, false);
  const data = loadTrainingData(prepared, { workspace, seed: ckpt.header.seed });
  const split = req.split ?? 'validation';
  const set = splitOf(data, split);
  if (!set || set.count === 0) {
    const why = split === 'test' ? 'training.test_split is 0, so no test data is held out' : split === 'validation' ? 'training.validation_split is 0, so no validation data is held out' : 'the training split is empty';
    throw new EngineError('bad_request', `cannot evaluate on the ${split} split: ${why}`, { file: prepared.modelPath });
  }
  const session = await openSession(prepared.compiled.eval, options, 'eval', emit);
  const evaluator = new Evaluator(prepared.compiled, session, data.plan);
  const batch = evalBatchSize(prepared.run.batchSize, prepared.summary.totalActivationBytes, DEFAULT_MEMORY_BUDGET_MB * 1024 * 1024);
  const r = await evaluator.evaluate(set, params, batch);
  return { split, samples: r.samples, loss: r.loss, metrics: r.metrics };
}
