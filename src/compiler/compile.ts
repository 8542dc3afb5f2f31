// Entry point: analysed model -> train-step and eval ONNX models plus the tensor lists the engine
// needs to feed them.
import '../onnx/ops';
import type { ModelSpec } from '../model/types';
import type { ModelSummary } from '../analysis/types';
import type { CompiledModel, CompileOptions } from './types';
import { serializeModel } from '../onnx/graph';
import { resolveTrainingConfig } from './config';
import { paramTensors, stateTensors } from './params';
import { buildTrainGraph } from './trainstep';
import { buildEvalGraph } from './evalgraph';

/** Compiles `summary` (from the analysis of `model`); throws CompileError naming the layer on failure. */
export function compileModel(summary: ModelSummary, model: ModelSpec, options: CompileOptions = {}): CompiledModel {
  const config = resolveTrainingConfig(model, summary);
  const params = paramTensors(summary);
  const state = stateTensors(params, config.optimizer);
  const dtype = options.precision ?? 'float32';
  const labelKind = options.labels ?? 'indices';
  const name = typeof model.name?.value === 'string' && model.name.value ? model.name.value : 'model';
  const train = buildTrainGraph({ summary, config, params, state, labelKind, dtype });
  const evalGraph = buildEvalGraph({ summary, config, params, labelKind, dtype });
  const metadata = { 'layerwise.model': name };
  return {
    config,
    params,
    state,
    train: serializeModel(train.graph, { metadata }),
    trainIO: train.io,
    eval: serializeModel(evalGraph.graph, { metadata }),
    evalIO: evalGraph.io,
    source: { summary, options, name },
  };
}
