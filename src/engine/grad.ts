// `grad`: one batch, every parameter and its raw gradient (of the batch-mean loss, before any
// clipping or weight decay) written as .npy files, so the gradients can be checked with any
// other framework:
//   input.<input layer>.npy, labels.npy, <layer>.<param>.npy, <layer>.<param>.grad.npy, loss.json
// The gradients come from the gradient half of the train step (forward in train mode, loss,
// backward), the same graph gradient accumulation uses.
import * as path from 'path';
import type { Tensor } from 'onnxruntime-node';
import { initParams } from '../compiler/init';
import { compileAccumulation } from '../compiler/compile';
import { writeFileAtomic } from './atomic-write';
import { readCheckpoint } from './checkpoint';
import { encodeNpy, type NpyWriteDtype } from './data/npy';
import { Rng } from './data/rng';
import { EngineError } from './errors';
import { makeBatch, type FeedMap } from './feeds';
import { valuesFromCheckpoint } from './model-values';
import { ort } from './ort';
import { prepareModel } from './prepare';
import type { EngineEvent, GradResult, SessionRequestOptions } from './protocol';
import { stepSeed } from './seeds';
import { openSession } from './sessions';
import { loadTrainingData } from './training-data';
import { resolveWorkspacePath, workspaceRoot } from './workspace';

export interface GradRequestData {
  modelPath: string;
  text: string;
  checkpoint?: string;
  batch: number;
  seed: number;
  outDir: string;
  options: SessionRequestOptions;
}

/** The samples of the gradient batch: the first `n` of a seeded permutation of the training split. */
export function gradBatchOrder(seed: number, count: number): Int32Array {
  return Rng.derive(seed, 'grad/batch').permutation(count);
}

function npyBytes(file: string, data: ArrayLike<number> | BigInt64Array, shape: readonly number[], dtype: NpyWriteDtype): Uint8Array {
  const enc = encodeNpy(data, shape, dtype);
  if (!enc.ok) throw new EngineError('internal', `${file}: ${enc.message}`);
  return enc.bytes;
}

function tensorDtype(t: Tensor): NpyWriteDtype {
  if (t.type === 'int64') return 'int64';
  if (t.type === 'float64') return 'float64';
  return 'float32';
}

export async function writeGradients(req: GradRequestData, emit: (e: EngineEvent) => void = () => undefined): Promise<GradResult> {
  const options = req.options ?? {};
  const workspace = workspaceRoot(options.workspace);
  const prepared = prepareModel(path.resolve(workspace, req.modelPath), req.text);
  const { compiled } = prepared;
  if (!Number.isInteger(req.batch) || req.batch < 1) throw new EngineError('bad_request', `--batch must be a positive integer, got ${req.batch}`);
  if (!Number.isSafeInteger(req.seed) || req.seed < 0) throw new EngineError('bad_request', `--seed must be a non-negative integer, got ${req.seed}`);
  const outDir = resolveWorkspacePath(workspace, req.outDir, 'output folder');
  let params: Map<string, Float32Array>;
  let dataSeed = prepared.run.seed;
  let source: string;
  if (req.checkpoint) {
    const file = resolveWorkspacePath(workspace, req.checkpoint, 'checkpoint');
    const ckpt = readCheckpoint(file);
    params = valuesFromCheckpoint(compiled, ckpt.tensors, file, false).params;
    dataSeed = ckpt.header.seed;
    source = `checkpoint ${file}`;
  } else {
    params = initParams(compiled.params, prepared.run.seed);
    source = `initial values (seed ${prepared.run.seed})`;
  }

  const data = loadTrainingData(prepared, { workspace, seed: dataSeed });
  const n = Math.min(req.batch, data.train.count);
  const batch = makeBatch(data.plan, data.train, gradBatchOrder(req.seed, data.train.count), 0, n);
  const { grad: gradModel, gradIO } = compileAccumulation(compiled);
  const session = await openSession(gradModel, options, 'gradient step', emit);
  const seed = stepSeed(req.seed, 0);
  const feeds: FeedMap = { ...batch.feeds, [gradIO.seed]: new ort.Tensor('int64', BigInt64Array.of(seed), []) };
  for (const p of compiled.params) feeds[p.name] = new ort.Tensor('float32', params.get(p.name)!, p.shape);
  const out = await session.run(feeds);
  const loss = Number((out[gradIO.loss].data as Float32Array)[0]);
  const metrics: Record<string, number> = {};
  for (const m of gradIO.metrics) metrics[m.metric] = Number((out[m.output].data as Float32Array)[0]) / n;

  const files = new Map<string, Uint8Array>();
  const feature = batch.feeds[data.plan.feature.name];
  files.set(`input.${data.plan.feature.name}.npy`, npyBytes('input', feature.data as Float32Array, feature.dims, tensorDtype(feature)));
  const labels = batch.feeds[data.plan.label.name];
  files.set('labels.npy', npyBytes('labels', labels.data as Float32Array, labels.dims, tensorDtype(labels)));
  const gradByParam = new Map(gradIO.grads.map((g) => [g.param, out[g.output]]));
  for (const p of compiled.params) {
    files.set(`${p.name}.npy`, npyBytes(p.name, params.get(p.name)!, p.shape, 'float32'));
    const g = gradByParam.get(p.name);
    if (g) files.set(`${p.name}.grad.npy`, npyBytes(`${p.name}.grad`, g.data as Float32Array, p.shape, 'float32'));
  }
  const timeSteps = gradIO.timeGradNorms?.map((t) => ({ layer: t.layer, norms: Array.from(out[t.output].data as Float32Array) }));
  const dropout = prepared.summary.layers.filter((l) => l.kind === 'Dropout' || (typeof l.attrs.dropout === 'number' && l.attrs.dropout > 0)).map((l) => l.spec.id);
  const batchNorm = prepared.summary.layers.filter((l) => l.kind === 'BatchNorm').map((l) => l.spec.id);
  files.set(
    'loss.json',
    Buffer.from(
      JSON.stringify(
        {
          model: prepared.name,
          loss,
          lossType: compiled.config.loss.type,
          lossOutput: compiled.config.loss.output,
          metrics,
          batch: n,
          seed: req.seed,
          dropoutSeed: seed.toString(),
          params: source,
          layout: 'channels-first; Dense weight is [in, out]; gradients are of the batch-mean loss, before clipping and weight decay',
          ...(timeSteps?.length ? { timeSteps, timeStepsNote: 'per recurrent layer: L2 norm over the batch and features of d loss / d (its input at step t)' } : {}),
          trainMode: { dropoutLayers: dropout, batchNormLayers: batchNorm, note: 'train-mode forward: BatchNorm uses batch statistics; dropout masks come from the graph hash of dropoutSeed' },
          files: [...files.keys()].filter((f) => f !== 'loss.json'),
        },
        null,
        2,
      ) + '\n',
      'utf8',
    ),
  );
  for (const [name, bytes] of files) {
    const target = path.join(outDir, name);
    try {
      writeFileAtomic(target, bytes);
    } catch (err) {
      throw new EngineError('io_failed', `cannot write ${target}: ${(err as Error).message}`, { file: target });
    }
  }
  return { outDir, files: [...files.keys()], loss, samples: n, ...(timeSteps?.length ? { timeSteps } : {}) };
}
