// Reverse-mode differentiation of a Graph: appends ordinary opset-17 ONNX nodes computing
// d(loss)/d(w) for each requested value w. Only nodes lying on a path from some w to the loss
// are differentiated; gradients flow through float tensors and through the inputs ops.json
// marks differentiable. Fan-out and broadcasting are handled here, once, so the per-op rules
// stay local: contributions to one value are added by a single Sum node, and a rule's
// broadcast-shaped gradient is reduced to its input's static shape.
import type { Graph, Node } from '../../onnx/graph';
import '../../onnx/ops';
import { formatShape, productDims } from '../../onnx/ops/dims';
import { isFloat } from '../../onnx/ops/infer-util';
import { isDifferentiableInput } from '../../onnx/ops/registry';
import { CompileError, layerSuffix } from '../errors';
import { scalar, typeOf, typedData, unbroadcast, zerosLike } from './emit';
import { gradRule } from './registry';

/** Whether a value may carry a gradient: float, or untyped (then a rule will complain if it must). */
function floatValue(g: Graph, name: string): boolean {
  if (!name) return false;
  const t = g.typeOf(name);
  return !t || isFloat(t.dtype);
}

/** Input indices of `node` through which gradients can reach it from `active` values. */
function activeInputs(node: Node, active: Set<string>): number[] {
  const out: number[] = [];
  node.inputs.forEach((x, i) => {
    if (x && active.has(x) && isDifferentiableInput(node.op, i)) out.push(i);
  });
  return out;
}

export function addBackward(g: Graph, loss: string, wrt: string[]): Map<string, string> {
  const lossType = g.typeOf(loss);
  if (!lossType || !isFloat(lossType.dtype) || productDims(lossType.shape) !== 1) {
    throw new CompileError(`the loss '${loss}' must be a float scalar, got ${lossType ? `${lossType.dtype} ${formatShape(lossType.shape)}` : 'an untyped value'}`);
  }
  for (const w of wrt) {
    const t = g.typeOf(w);
    if (!t) throw new Error(`internal: no static type for gradient target '${w}'`);
    if (!isFloat(t.dtype)) throw new CompileError(`cannot differentiate with respect to '${w}': it is ${t.dtype}, not a float tensor`);
  }
  const forward = g.nodes.slice();

  // Values that depend (differentiably) on some wrt value.
  const active = new Set(wrt);
  for (const node of forward) {
    if (activeInputs(node, active).length === 0) continue;
    for (const y of node.outputs) if (floatValue(g, y)) active.add(y);
  }

  // Of those, the ones the loss depends on, and the nodes connecting them.
  const needed = new Set<string>(active.has(loss) ? [loss] : []);
  const onPath: Node[] = [];
  for (let k = forward.length - 1; k >= 0; k--) {
    const node = forward[k];
    if (!node.outputs.some((y) => needed.has(y))) continue;
    const ins = activeInputs(node, active);
    if (ins.length === 0) continue;
    onPath.push(node);
    for (const i of ins) needed.add(node.inputs[i]);
  }

  // Gradient contributions per value, summed once when first read.
  const parts = new Map<string, string[]>();
  const summed = new Map<string, string | undefined>();
  const contribute = (v: string, grad: string) => {
    const list = parts.get(v);
    if (list) list.push(grad);
    else parts.set(v, [grad]);
  };
  const gradOf = (v: string): string | undefined => {
    if (summed.has(v)) return summed.get(v);
    const list = parts.get(v) ?? [];
    const total = list.length === 0 ? undefined : list.length === 1 ? list[0] : g.op('Sum', list);
    summed.set(v, total);
    return total;
  };

  const savedLayer = g.layer;
  try {
    if (needed.has(loss)) {
      contribute(loss, lossType.shape.length === 0 ? scalar(g, lossType.dtype, 1) : g.constant(typedData(lossType.dtype, [1]), lossType.shape.map(() => 1), 'seed'));
    }
    for (const node of onPath) {
      g.layer = node.layer;
      const dy = node.outputs.map((y) => (needed.has(y) ? gradOf(y) : undefined));
      if (dy.every((d) => d === undefined)) continue;
      const rule = gradRule(node.op);
      if (!rule) {
        throw new CompileError(
          `no gradient rule for ONNX op '${node.op}'${layerSuffix(node.layer)}; use a layer or activation whose ops are differentiable, or stop gradients before it`,
          { layer: node.layer, op: node.op },
        );
      }
      const needs = node.inputs.map((x, i) => !!x && needed.has(x) && isDifferentiableInput(node.op, i));
      const dtype = typeOf(g, dy.find((d) => d !== undefined)!).dtype;
      const dx = rule({ g, node, dy, needs, dtype });
      needs.forEach((need, i) => {
        const grad = dx[i];
        if (need && grad) contribute(node.inputs[i], unbroadcast(g, grad, g.shapeOf(node.inputs[i])));
      });
    }
    const result = new Map<string, string>();
    for (const w of wrt) result.set(w, gradOf(w) ?? zerosLike(g, w));
    return result;
  } finally {
    g.layer = savedLayer;
  }
}
