// The attribution graphs of a model, built with our own autodiff: the eval-mode forward pass
// (running statistics, no dropout) with the parameters as inputs, so one session serves the
// trained and the re-initialised weights, and a `target` selector input. Per sample the graph
// computes the selected value s_n = Σ target[n] ⊙ q[n], where q is the logit (pre-softmax or
// pre-sigmoid score; the output value for regression) or the probability; the gradient model
// adds d(Σ_n s_n)/dx, which is d s_n / d x_n row by row since samples do not interact in eval mode.
//
// Token-id inputs cannot be differentiated, so for them the attributed input is the Embedding
// layer's output: the graph takes the embedded sequence [N, T, D] in place of the ids, and the
// host gathers the embedding rows itself (`embedTokens`).
import { attr, Graph } from '../onnx/graph';
import type { LayerInfo, ModelSummary } from '../analysis/types';
import { addBackward } from '../compiler/autodiff/backward';
import { buildForward } from '../compiler/lower/forward';
import type { FloatType } from '../compiler/lower/context';
import { lossLogits } from '../compiler/losses';
import { featureInputs, namedOutput, serializeNamed } from '../compiler/io';
import { layerError, modelError } from '../compiler/fail';
import type { CompiledModel } from '../compiler/types';
import type { AttributedOutput } from './types';

/** Names and shapes of the attribution graphs' inputs and outputs. */
export interface AttributionIO {
  dtype: FloatType;
  /** What `selected` is of. */
  attributed: AttributedOutput;
  /** Graph input of the attributed values, [N, ...inputShape]. */
  input: string;
  inputShape: number[];
  /** For token-id models: the Embedding layer whose output `input` is. */
  tokens?: { inputLayer: string; embedding: string; weight: string; vocab: number; dim: number; length: number };
  /** Parameter inputs (name = `ParamTensor.name`), with their shapes. */
  params: { name: string; shape: number[] }[];
  /** Selector input [N, ...outputShape], weights of each output unit in `selected`. */
  target: string;
  /** The attributed output layer (the loss output) and its per-sample shape. */
  outputLayer: string;
  outputShape: number[];
  /** [N, ...outputShape]: the logits (or the output values of a regression model). */
  scores: string;
  /** [N, ...outputShape]: softmax / sigmoid of `scores`, classifiers only. */
  probabilities?: string;
  /** [N]: Σ target ⊙ (logit or probability) per sample. */
  selected: string;
  /** [N, ...inputShape]: d selected / d input; the gradient model only. */
  gradient?: string;
}

export interface AttributionModels {
  /** Forward only: scores, probabilities, selected. */
  forward: Uint8Array;
  /** Forward and the input gradient. */
  gradient: Uint8Array;
  io: AttributionIO;
}

export const TARGET_INPUT = 'lw.target';
export const EMBEDDED_INPUT = 'lw.embedded';

/** The squashing a classifier's loss puts on its logits, or undefined for regression losses. */
export function squashingOf(compiled: CompiledModel): 'softmax' | 'sigmoid' | undefined {
  const t = compiled.config.loss.type;
  return t === 'cross_entropy' ? 'softmax' : t === 'binary_cross_entropy' ? 'sigmoid' : undefined;
}

function staticShape(layer: LayerInfo, what: string): number[] {
  const shape = layer.output?.shape;
  if (!shape || shape.some((d) => typeof d !== 'number')) throw layerError(layer, `its ${what} has no static shape; explanations need one`);
  return shape as number[];
}

/**
 * For a token-id model, the summary with the Embedding layer turned into the graph's input (and
 * the id Input layer dropped): the forward pass then starts from the embedded sequence.
 */
function embeddedSummary(summary: ModelSummary, inputLayer: LayerInfo): { summary: ModelSummary; embedding: LayerInfo } {
  const consumers = summary.layers.filter((l) => l.spec.inputs.some((r) => r.id === inputLayer.spec.id));
  if (consumers.length !== 1 || consumers[0].kind !== 'Embedding') {
    const found = consumers.map((l) => `'${l.spec.id}' (${l.kind})`).join(', ') || 'nothing';
    throw layerError(inputLayer, `holds token ids, which are explained through the Embedding layer that reads them; it must feed exactly one Embedding layer, but feeds ${found}`);
  }
  const embedding = consumers[0];
  const asInput: LayerInfo = {
    ...embedding,
    kind: 'Input',
    spec: { ...embedding.spec, inputs: [] },
    params: [],
    paramCount: 0,
    output: { dtype: 'float32', shape: staticShape(embedding, 'output') },
  };
  const layers = summary.layers.filter((l) => l !== inputLayer).map((l) => (l === embedding ? asInput : l));
  return { summary: { ...summary, layers }, embedding };
}

function buildGraph(compiled: CompiledModel, attributed: AttributedOutput, withGradient: boolean): { graph: Graph; io: AttributionIO } {
  const { summary: original } = compiled.source;
  const dtype: FloatType = compiled.source.options.precision ?? 'float32';
  const features = featureInputs(original, dtype);
  if (features.length !== 1) throw modelError(`explanations need a model with one Input layer; this one has ${features.length} (${features.map((f) => f.layer).join(', ')})`);
  const feature = features[0];
  const inputLayer = original.layers.find((l) => l.spec.id === feature.layer)!;
  const outputLayer = original.layers.find((l) => l.spec.id === compiled.config.loss.output);
  if (!outputLayer) throw modelError(`the loss output '${compiled.config.loss.output}' is not a layer of the model`);
  const outputShape = staticShape(outputLayer, 'output');
  const squash = squashingOf(compiled);
  if (attributed === 'probability' && !squash) {
    throw modelError(`the model is trained with ${compiled.config.loss.type}, a regression loss, so its outputs are values, not probabilities; attribute the logit (the output value) instead`);
  }

  const g = new Graph(withGradient ? 'explain_gradient' : 'explain_forward');
  let summary = original;
  let input: string;
  let inputShape: number[];
  let tokens: AttributionIO['tokens'];
  if (feature.dtype === 'int64') {
    const swapped = embeddedSummary(original, inputLayer);
    summary = swapped.summary;
    const emb = swapped.embedding;
    const [length, dim] = staticShape(emb, 'output');
    const vocab = Number(emb.attrs.vocab_size);
    inputShape = [length, dim];
    input = g.input(EMBEDDED_INPUT, dtype, ['N', length, dim]);
    tokens = { inputLayer: inputLayer.spec.id, embedding: emb.spec.id, weight: `${emb.spec.id}.weight`, vocab, dim, length };
  } else {
    inputShape = staticShape(inputLayer, 'input');
    input = g.input(feature.name, dtype, ['N', ...inputShape]);
  }
  const target = g.input(TARGET_INPUT, dtype, ['N', ...outputShape]);

  const shapes = new Map(compiled.params.map((p) => [p.name, p.shape]));
  const declared: AttributionIO['params'] = [];
  const param = (name: string): string => {
    if (!declared.some((p) => p.name === name)) {
      const shape = shapes.get(name);
      if (!shape) throw modelError(`internal: no parameter '${name}'`);
      g.input(name, dtype, shape);
      declared.push({ name, shape });
    }
    return name;
  };
  const fwd = buildForward(g, summary, { mode: 'eval', dtype, param, features: new Map([[tokens ? tokens.embedding : feature.layer, input]]) });
  const out = fwd.results.get(outputLayer.spec.id)!;
  const logits = lossLogits(compiled.config.loss, out);
  const axes = outputShape.map((_, i) => i + 1);
  let probs: string | undefined;
  if (squash === 'softmax') probs = g.op('Softmax', [logits], { axis: attr.int(-1) });
  else if (squash === 'sigmoid') probs = g.op('Sigmoid', [logits]);
  const quantity = attributed === 'probability' ? probs! : logits;
  const weighted = g.op('Mul', [quantity, target]);
  const selected = axes.length ? g.op('ReduceSum', [weighted, g.ints(axes)], { keepdims: attr.int(0) }) : weighted;

  const io: AttributionIO = {
    dtype,
    attributed,
    input,
    inputShape,
    tokens,
    params: declared,
    target,
    outputLayer: outputLayer.spec.id,
    outputShape,
    scores: namedOutput(g, logits, 'scores'),
    probabilities: probs ? namedOutput(g, probs, 'probabilities') : undefined,
    selected: namedOutput(g, selected, 'selected'),
  };
  if (withGradient) {
    const total = g.op('ReduceSum', [selected], { keepdims: attr.int(0) });
    const grads = addBackward(g, total, [input]);
    io.gradient = namedOutput(g, grads.get(input)!, 'input_gradient');
  }
  return { graph: g, io };
}

/** Both attribution graphs of `compiled`, serialised (opset 17). Throws CompileError naming the layer. */
export function buildAttributionModels(compiled: CompiledModel, attributed: AttributedOutput = 'logit'): AttributionModels {
  const metadata = { 'layerwise.model': compiled.source.name };
  const forward = buildGraph(compiled, attributed, false);
  const gradient = buildGraph(compiled, attributed, true);
  return {
    forward: serializeNamed(forward.graph, { metadata }),
    gradient: serializeNamed(gradient.graph, { metadata }),
    io: gradient.io,
  };
}
