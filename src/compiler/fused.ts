// K train steps in one onnxruntime run: an ONNX `Loop` whose body is the compiled train step.
// Params and optimizer state are loop-carried values, so they cross the JavaScript/native
// boundary once per K steps instead of once per step. The samples come in as the rows of a
// feature and a label tensor (the whole training split, as the trainer keeps it: no stacked
// copies) with a [K, N] matrix saying which rows make each step's batch; learning rates, step
// numbers and seeds come as [K] vectors. Each iteration picks its batch with Gather. Built from
// the train-step model's bytes, so it needs nothing from the compiler but its output, and the
// body computes exactly what one step computes.
import { onnx } from 'onnx-proto';
import type { CompiledModel, MetricOutput, TrainStepIO } from './types';
import { modelError } from './fail';

export interface FusedStepIO {
  /** Same names as `TrainStepIO.features`; each fed as [M, ...shape]: the rows the batches are drawn from. */
  features: TrainStepIO['features'];
  /** Same name as `TrainStepIO.labels`; fed as [M, ...shape], row for row with the features. */
  labels: TrainStepIO['labels'];
  /** int64 [K, N]: the feature and label rows of each step's batch. */
  rows: string;
  /** float32 [K]: learning rate of each step. */
  lr: string;
  /** int64 [K]: 1-based update number of each step. */
  step: string;
  /** int64 [K]: dropout seed of each step. */
  seed: string;
  /** float32 [K]: each step's mean loss. */
  losses: string;
  /** float32 [K] per metric: each step's sum over its batch. */
  metrics: MetricOutput[];
  /** float32 [K, L]: each step's per-layer finite codes (see `TrainStepIO.nonFinite`). */
  nonFinite: string;
  /** Param and state inputs (same names as the train step) and the outputs with their values after K steps. */
  carries: TrainStepIO['carries'];
  /**
   * Outputs of the train step computed for the last of the K steps only (same names and shapes
   * as in the train step, no K axis): the `lastOnly` argument of `buildFusedTrainModel`.
   */
  lastOnly: string[];
}

export interface FusedTrainModel {
  /** ONNX bytes; K is the length of the fed `lr` vector, so one model serves any K. */
  model: Uint8Array;
  io: FusedStepIO;
}

/** Prefix for every value inside the loop body, so no body name shadows an outer-scope name. */
const BODY = 'lw.fused/';
const ITER = `${BODY}iter`;
const COND_IN = `${BODY}cond_in`;
const COND_OUT = `${BODY}cond_out`;
const INT64 = onnx.TensorProto.DataType.INT64;
const BOOL = onnx.TensorProto.DataType.BOOL;

function scalarInfo(name: string, elemType: number): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: [] } } } };
}

/** `info` renamed, with `extra` dims put in front of its shape (after dropping its first `drop` dims). */
function withName(info: onnx.IValueInfoProto, name: string, extra: onnx.TensorShapeProto.IDimension[] = [], drop = 0): onnx.IValueInfoProto {
  const t = info.type?.tensorType;
  return { name, type: { tensorType: { elemType: t?.elemType, shape: { dim: [...extra, ...(t?.shape?.dim ?? []).slice(drop)] } } } };
}

/** The nodes that `wanted` depends on, in their original order (the step's statistics are dropped). */
function liveNodes(nodes: onnx.INodeProto[], wanted: Iterable<string>): onnx.INodeProto[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => (n.output ?? []).forEach((o) => producer.set(o, i)));
  const live = new Set<number>();
  const stack = [...wanted];
  while (stack.length) {
    const i = producer.get(stack.pop()!);
    if (i === undefined || live.has(i)) continue;
    live.add(i);
    for (const input of nodes[i].input ?? []) if (input) stack.push(input);
  }
  return nodes.filter((_, i) => live.has(i));
}

/** A float32 tensor of `info`'s static shape filled with NaN, named `name`; throws for other types and symbolic shapes. */
function nanTensor(info: onnx.IValueInfoProto, name: string): onnx.ITensorProto {
  const t = info.type?.tensorType;
  const dims = (t?.shape?.dim ?? []).map((d) => (d.dimValue === undefined || d.dimValue === null ? NaN : Number(d.dimValue)));
  if (t?.elemType !== onnx.TensorProto.DataType.FLOAT || dims.some((d) => !Number.isInteger(d))) {
    throw modelError(`internal: '${info.name}' cannot be a last-step output (float32 of static shape only)`);
  }
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(NaN);
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer) };
}

/**
 * Wraps the compiled train step in a Loop; throws a model error if the step is not shaped as
 * expected. Outputs named in `lastOnly` (float32, static shapes: the gradient statistics) are
 * computed in the last iteration only, inside an `If`, and come out once, as in a single step:
 * a run reports the statistics of its last update, and the other iterations skip their passes
 * over every parameter tensor (measured: the Loop with statistics every update was 6-9 % slower).
 */
export function buildFusedTrainModel(compiled: CompiledModel, lastOnly: string[] = []): FusedTrainModel {
  const io = compiled.trainIO;
  const step = onnx.ModelProto.decode(compiled.train);
  const g = step.graph;
  if (!g) throw modelError('internal: the train-step model has no graph');
  const inputInfo = new Map((g.input ?? []).map((v) => [v.name!, v]));
  const outputInfo = new Map((g.output ?? []).map((v) => [v.name!, v]));
  const info = (name: string, of: Map<string, onnx.IValueInfoProto>) => {
    const v = of.get(name);
    if (!v) throw modelError(`internal: the train step has no value '${name}' to fuse`);
    return v;
  };
  const rename = (name: string) => (name ? BODY + name : name);

  // Per-step controls: outer inputs of [K] whose iteration element feeds the step; the batch:
  // the iteration's row of `rows`, then those rows of every sample tensor.
  const perStep = [io.lr, io.step, io.seed];
  const sampled = [...io.features.map((f) => f.name), io.labels.name];
  const rows = 'lw.fused.rows';
  const batchRows = `${BODY}batch_rows`;
  const K: onnx.TensorShapeProto.IDimension = { dimParam: 'K' };
  const M: onnx.TensorShapeProto.IDimension = { dimParam: 'M' };
  const gather = (name: string, from: string, index: string, to: string): onnx.INodeProto => ({
    opType: 'Gather',
    name: `${BODY}${name}`,
    input: [from, index],
    output: [to],
    attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
  });
  const slices: onnx.INodeProto[] = [
    ...perStep.map((name) => gather(`slice ${name}`, name, ITER, rename(name))),
    gather('batch rows', rows, ITER, batchRows),
    ...sampled.map((name) => gather(`batch of ${name}`, name, batchRows, rename(name))),
  ];

  const carried = io.carries;
  const carriedInputs = new Set(carried.map((c) => c.input));
  // A param or state tensor that the step reads but never updates is read from the outer scope.
  const readOnly = [...io.params, ...io.state].filter((n) => !carriedInputs.has(n));
  const readOnlyNodes: onnx.INodeProto[] = readOnly.map((name) => ({ opType: 'Identity', name: `${BODY}read ${name}`, input: [name], output: [rename(name)] }));

  const scanOutputs = [io.loss, ...io.metrics.map((m) => m.output), io.nonFinite];
  const bodyOutputs = [...carried.map((c) => c.output), ...scanOutputs];
  const renamed = (n: onnx.INodeProto) => ({ ...n, input: (n.input ?? []).map(rename), output: (n.output ?? []).map(rename) });
  const coreNodes = liveNodes(g.node ?? [], bodyOutputs);
  const stepNodes = coreNodes.map(renamed);

  // The last-iteration-only outputs: loop-carried values that an If recomputes in the last
  // iteration (its then-branch holds the nodes only they need) and passes on unchanged before.
  const trips = 'lw.fused.k';
  const lastIndex = 'lw.fused.last';
  const isLast = `${BODY}is_last`;
  const prev = (o: string) => `${BODY}prev/${o}`;
  const next = (o: string) => `${BODY}next/${o}`;
  const initial = (o: string) => `lw.fused.initial/${o}`;
  const initials = lastOnly.map((o) => nanTensor(info(o, outputInfo), initial(o)));
  const lastNodes: onnx.INodeProto[] = [];
  if (lastOnly.length > 0) {
    const core = new Set(coreNodes);
    const thenNodes = liveNodes(g.node ?? [], lastOnly).filter((n) => !core.has(n)).map(renamed);
    // Each through an Identity: a branch's output may not be a value of the enclosing graph.
    const thenBranch: onnx.IGraphProto = {
      name: 'last_step_outputs',
      node: [...thenNodes, ...lastOnly.map((o) => ({ opType: 'Identity', name: `${BODY}give ${o}`, input: [rename(o)], output: [`${BODY}then/${o}`] }))],
      output: lastOnly.map((o) => withName(info(o, outputInfo), `${BODY}then/${o}`)),
    };
    const elseBranch: onnx.IGraphProto = {
      name: 'earlier_step_outputs',
      node: lastOnly.map((o) => ({ opType: 'Identity', name: `${BODY}keep ${o}`, input: [prev(o)], output: [`${BODY}kept/${o}`] })),
      output: lastOnly.map((o) => withName(info(o, outputInfo), `${BODY}kept/${o}`)),
    };
    lastNodes.push(
      { opType: 'Equal', name: `${BODY}last iteration?`, input: [ITER, lastIndex], output: [isLast] },
      {
        opType: 'If',
        name: `${BODY}last-step outputs`,
        input: [isLast],
        output: lastOnly.map(next),
        attribute: [
          { name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: thenBranch },
          { name: 'else_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: elseBranch },
        ],
      },
    );
  }

  const body: onnx.IGraphProto = {
    name: 'train_step_body',
    input: [
      scalarInfo(ITER, INT64),
      scalarInfo(COND_IN, BOOL),
      ...carried.map((c) => withName(info(c.input, inputInfo), rename(c.input))),
      ...lastOnly.map((o) => withName(info(o, outputInfo), prev(o))),
    ],
    output: [
      scalarInfo(COND_OUT, BOOL),
      ...carried.map((c) => withName(info(c.output, outputInfo), rename(c.output))),
      ...lastOnly.map((o) => withName(info(o, outputInfo), next(o))),
      ...scanOutputs.map((o) => withName(info(o, outputInfo), rename(o))),
    ],
    initializer: (g.initializer ?? []).map((t) => ({ ...t, name: rename(t.name ?? '') })),
    node: [{ opType: 'Identity', name: `${BODY}keep going`, input: [COND_IN], output: [COND_OUT] }, ...slices, ...readOnlyNodes, ...stepNodes, ...lastNodes],
  };

  // K is read off the lr vector: Loop wants an int64 scalar trip count.
  const tripShape = 'lw.fused.k_shape';
  const scalarShape = 'lw.fused.scalar_shape';
  const one = 'lw.fused.one';
  const outer: onnx.IGraphProto = {
    name: 'fused_train_steps',
    input: [
      ...perStep.map((name) => withName(info(name, inputInfo), name, [K])),
      ...sampled.map((name) => withName(info(name, inputInfo), name, [M], 1)),
      { name: rows, type: { tensorType: { elemType: INT64, shape: { dim: [K, { dimParam: 'N' }] } } } },
      ...[...io.params, ...io.state].map((name) => info(name, inputInfo)),
    ],
    initializer: [
      { name: scalarShape, dims: [0], dataType: INT64, rawData: new Uint8Array(0) },
      ...(lastOnly.length > 0 ? [{ name: one, dims: [], dataType: INT64, rawData: new Uint8Array(BigInt64Array.of(1n).buffer) }] : []),
      ...initials,
    ],
    node: [
      { opType: 'Shape', name: 'trip count shape', input: [io.lr], output: [tripShape] },
      { opType: 'Reshape', name: 'trip count', input: [tripShape, scalarShape], output: [trips] },
      ...(lastOnly.length > 0 ? [{ opType: 'Sub', name: 'last iteration', input: [trips, one], output: [lastIndex] }] : []),
      {
        opType: 'Loop',
        name: 'train steps',
        input: [trips, '', ...carried.map((c) => c.input), ...lastOnly.map(initial)],
        output: [...carried.map((c) => c.output), ...lastOnly, ...scanOutputs],
        attribute: [{ name: 'body', type: onnx.AttributeProto.AttributeType.GRAPH, g: body }],
      },
    ],
    output: [
      ...carried.map((c) => info(c.output, outputInfo)),
      ...lastOnly.map((o) => info(o, outputInfo)),
      ...scanOutputs.map((o) => withName(info(o, outputInfo), o, [K])),
    ],
  };
  const model = onnx.ModelProto.encode(onnx.ModelProto.create({ ...step, graph: outer })).finish();
  return {
    model,
    io: {
      features: io.features,
      labels: io.labels,
      rows,
      lr: io.lr,
      step: io.step,
      seed: io.seed,
      losses: io.loss,
      metrics: io.metrics,
      nonFinite: io.nonFinite,
      carries: carried,
      lastOnly,
    },
  };
}
