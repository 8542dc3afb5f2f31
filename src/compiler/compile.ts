// Entry point: analysed model -> train-step and eval ONNX models plus the tensor lists the engine
// needs to feed them; on demand, the two graphs of gradient accumulation.
import '../onnx/ops';
import type { ModelSpec } from '../model/types';
import type { ModelSummary } from '../analysis/types';
import type { AccumulationModels, CompiledModel, CompileOptions } from './types';
import { resolveTrainingConfig } from './config';
import { paramTensors, stateTensors } from './params';
import { buildTrainGraph, type TrainGraphSpec } from './trainstep';
import { buildEvalGraph } from './evalgraph';
import { buildApplyGraph, buildGradGraph } from './accumulation';
import { serializeNamed } from './io';

/** Compiles `summary` (from the analysis of `model`); throws CompileError naming the layer on failure. */
export function compileModel(summary: ModelSummary, model: ModelSpec, options: CompileOptions = {}): CompiledModel {
  const config = resolveTrainingConfig(model, summary);
  const params = paramTensors(summary);
  const state = stateTensors(params, config.optimizer);
  const name = typeof model.name?.value === 'string' && model.name.value ? model.name.value : 'model';
  const spec = graphSpec({ config, params, state, source: { summary, options, name } });
  const train = buildTrainGraph(spec);
  const evalGraph = buildEvalGraph(spec);
  const metadata = { 'layerwise.model': name };
  return {
    config,
    params,
    state,
    train: serializeNamed(train.graph, { metadata }),
    trainIO: train.io,
    eval: serializeNamed(evalGraph.graph, { metadata }),
    evalIO: evalGraph.io,
    source: { summary, options, name },
  };
}

function graphSpec(compiled: Pick<CompiledModel, 'config' | 'params' | 'state' | 'source'>): TrainGraphSpec {
  const { summary, options } = compiled.source;
  return {
    summary,
    config: compiled.config,
    params: compiled.params,
    state: compiled.state,
    labelKind: options.labels ?? 'indices',
    dtype: options.precision ?? 'float32',
  };
}

const accumulation = new WeakMap<CompiledModel, AccumulationModels>();

/**
 * The gradient step and the apply step of `compiled` (see `GradStepIO`, `ApplyStepIO`), built on
 * first use and cached: most runs never accumulate. Throws CompileError like `compileModel`.
 */
export function compileAccumulation(compiled: CompiledModel): AccumulationModels {
  const cached = accumulation.get(compiled);
  if (cached) return cached;
  const spec = graphSpec(compiled);
  const metadata = { 'layerwise.model': compiled.source.name };
  const grad = buildGradGraph(spec);
  const apply = buildApplyGraph(spec, compiled.trainIO.finiteLayers);
  const models: AccumulationModels = {
    grad: serializeNamed(grad.graph, { metadata }),
    gradIO: grad.io,
    apply: serializeNamed(apply.graph, { metadata }),
    applyIO: apply.io,
  };
  accumulation.set(compiled, models);
  return models;
}
