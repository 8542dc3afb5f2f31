// `export`: writes the eval-mode forward model with the checkpoint's weights baked in (opset 17,
// IR 8), reloads the written file in onnxruntime and checks that it reproduces the engine's
// eval graph on a batch of real samples. A file that does not reproduce them is removed. When the
// run standardised its features (CSV data), the export embeds that standardisation, so it takes
// the raw feature values of the user's file.
import * as fs from 'fs';
import * as path from 'path';
import type { Tensor } from 'onnxruntime-node';
import { buildExportModel } from '../compiler/export';
import { writeFileAtomic } from './atomic-write';
import { readCheckpoint } from './checkpoint';
import { EngineError } from './errors';
import { Evaluator } from './evaluator';
import { identityOrder, makeBatch } from './feeds';
import { valuesFromCheckpoint } from './model-values';
import { ort } from './ort';
import { prepareModel } from './prepare';
import type { EngineEvent, ExportResult, SessionRequestOptions } from './protocol';
import { sessionOptions } from './providers';
import { openSession } from './sessions';
import { loadTrainingData } from './training-data';
import { resolveWorkspacePath, workspaceRoot } from './workspace';

export interface ExportRequestData {
  modelPath: string;
  text: string;
  checkpoint: string;
  out: string;
  options: SessionRequestOptions;
}

/** Largest difference tolerated between the exported model and the eval graph. */
export const EXPORT_TOLERANCE = 1e-4;
const CHECK_SAMPLES = 64;

function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  if (x.length !== y.length) return Infinity;
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** The raw values behind standardised features: x * std + mean (to float rounding). */
function rawFeatures(t: Tensor, s: { mean: Float32Array; std: Float32Array }): Tensor {
  const x = t.data as Float32Array;
  const raw = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) raw[i] = x[i] * s.std[i % s.std.length] + s.mean[i % s.mean.length];
  return new ort.Tensor('float32', raw, [...t.dims]);
}

export async function exportModel(req: ExportRequestData, emit: (e: EngineEvent) => void = () => undefined): Promise<ExportResult> {
  const options = req.options ?? {};
  const workspace = workspaceRoot(options.workspace);
  const prepared = prepareModel(path.resolve(workspace, req.modelPath), req.text);
  const ckptFile = resolveWorkspacePath(workspace, req.checkpoint, 'checkpoint');
  const out = resolveWorkspacePath(workspace, req.out, 'export file');
  const ckpt = readCheckpoint(ckptFile);
  const { params } = valuesFromCheckpoint(prepared.compiled, ckpt.tensors, ckptFile, false);

  // The same split and standardisation as the run: both follow from the run seed.
  const data = loadTrainingData(prepared, { workspace, seed: ckpt.header.seed });
  const feature = data.plan.feature.name;
  const standardize = data.standardisation ? { [feature]: data.standardisation } : undefined;
  const bytes = buildExportModel(prepared.compiled, params, { standardize });

  // Reference: the engine's eval graph on real samples (validation if any, else training).
  const set = data.validation && data.validation.count > 0 ? data.validation : data.train;
  const n = Math.min(CHECK_SAMPLES, set.count);
  const batch = makeBatch(data.plan, set, identityOrder(set.count), 0, n);
  const evaluator = new Evaluator(prepared.compiled, await openSession(prepared.compiled.eval, options, 'eval', emit), data.plan);
  const expected = await evaluator.outputs(batch.feeds, params);

  try {
    writeFileAtomic(out, bytes);
  } catch (err) {
    throw new EngineError('io_failed', `cannot write ${out}: ${(err as Error).message}`, { file: out });
  }
  let maxDiff = 0;
  try {
    // Reloaded from the file, on the CPU: what someone else loading it would get.
    const exported = await ort.InferenceSession.create(out, sessionOptions({ provider: 'cpu', threads: options.threads }));
    const got = await exported.run({ [feature]: standardize ? rawFeatures(batch.feeds[feature], data.standardisation!) : batch.feeds[feature] });
    for (const [layer, want] of expected) {
      const have = got[layer];
      if (!have) throw new EngineError('export_mismatch', `the exported model has no output '${layer}' (it has ${exported.outputNames.join(', ')})`);
      maxDiff = Math.max(maxDiff, maxAbsDiff(have, want));
    }
  } catch (err) {
    fs.rmSync(out, { force: true });
    if (err instanceof EngineError) throw err;
    throw new EngineError('export_mismatch', `the exported model could not be run by onnxruntime (${(err as Error).message}); nothing was written`, { file: out });
  }
  if (!(maxDiff <= EXPORT_TOLERANCE)) {
    fs.rmSync(out, { force: true });
    throw new EngineError('export_mismatch', `the exported model's outputs differ from the engine's by up to ${maxDiff.toExponential(2)} (more than ${EXPORT_TOLERANCE}) on ${n} samples; the file was removed. This is a bug in Layerwise, please report it with the model.`, { file: out });
  }
  return { path: out, bytes: bytes.byteLength, maxAbsDiff: maxDiff, samples: n };
}
