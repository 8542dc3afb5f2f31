// Registers a type inferer for every op listed in ops.json with the graph builder, so that
// `import '.../onnx/ops'` is all a module needs before building graphs.
import { registerTypeInferer, type TypeInferer } from '../graph';
import { convInferers } from './infer-conv';
import { elementwiseInferers } from './infer-elementwise';
import { linalgInferers } from './infer-linalg';
import { reduceInferers } from './infer-reduce';
import { shapeInferers } from './infer-shape';
import { knownOps, opInfo } from './registry';

const families: Record<string, TypeInferer> = {
  ...elementwiseInferers,
  ...linalgInferers,
  ...reduceInferers,
  ...shapeInferers,
  ...convInferers,
};

function within(n: number, [min, max]: [number, number | null]): boolean {
  return n >= min && (max === null || n <= max);
}

for (const op of knownOps()) {
  const info = opInfo(op)!;
  const family = info.infer ?? op;
  const inferer = families[family];
  if (!inferer) throw new Error(`internal: ops.json names type-inference family '${family}' for ${op}, which does not exist`);
  registerTypeInferer(op, (node, g) => {
    // A wrong arity is a bug in the code building the graph, caught here rather than by onnxruntime.
    if (!within(node.inputs.length, info.inputs) || !within(node.outputs.length, info.outputs)) {
      throw new Error(`internal: ${op} node '${node.name}' has ${node.inputs.length} inputs and ${node.outputs.length} outputs; ops.json allows ${JSON.stringify(info.inputs)} and ${JSON.stringify(info.outputs)}`);
    }
    return inferer(node, g);
  });
}

export { opInfo, knownOps, isDifferentiableInput } from './registry';
