// The layer graph: resolves `inputs:` references, finds duplicate ids, dangling references,
// cycles, the outputs, and layers that do not contribute to any output; gives a topological
// order for shape inference.
import type { Diagnostic, InputRef, LayerSpec, ModelSpec } from '../model/types';
import { closest } from './suggest';
import { replace } from './fixes';

export interface LayerGraph {
  /** Per layer (position in `model.layers`): the positions of its resolved inputs; -1 for dangling ones. */
  inputs: number[][];
  /** Per layer: the positions of the layers that take its output. */
  consumers: number[][];
  /** Position of each id's first definition. */
  byId: Map<string, number>;
  /** Layers whose id repeats an earlier one. */
  duplicates: Set<number>;
  /** Layers on a cycle. */
  inCycle: Set<number>;
  /** Every layer not on a cycle and not downstream of one, inputs before consumers. */
  order: number[];
  /** Positions of the output layers, in order. */
  outputs: number[];
  diagnostics: Diagnostic[];
}

function dedupe<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

export function buildGraph(model: ModelSpec): LayerGraph {
  const layers = model.layers;
  const diagnostics: Diagnostic[] = [];
  const byId = new Map<string, number>();
  const duplicates = new Set<number>();
  layers.forEach((l, i) => {
    const first = byId.get(l.id);
    if (first === undefined) {
      byId.set(l.id, i);
      return;
    }
    duplicates.add(i);
    diagnostics.push({
      severity: 'error',
      code: 'duplicate-id',
      range: l.idRange,
      message: `Layer id \`${l.id}\` is already used by the ${layers[first].kind || 'layer'} at layer #${layers[first].index + 1}; give this layer a different id.`,
      layer: l.id,
    });
  });
  const ids = [...byId.keys()];

  const inputs: number[][] = layers.map((l, i) =>
    l.inputs.map((ref) => {
      // An implicit input is the previous item even when ids repeat.
      if (l.implicitInputs && i > 0 && layers[i - 1].id === ref.id) return i - 1;
      const at = byId.get(ref.id);
      if (at !== undefined) return at;
      diagnostics.push(danglingRef(l, ref, ids));
      return -1;
    }),
  );
  const consumers: number[][] = layers.map(() => []);
  inputs.forEach((ins, i) => dedupe(ins).forEach((j) => j >= 0 && consumers[j].push(i)));

  const inCycle = findCycles(layers, inputs, consumers, diagnostics);
  const order = topologicalOrder(layers.length, inputs, consumers, inCycle);

  const outputs: number[] = [];
  if (model.outputsRange && model.outputs) {
    for (const ref of model.outputs) {
      const at = byId.get(ref.id);
      if (at === undefined) diagnostics.push(unknownOutput(ref, ids));
      else if (!outputs.includes(at)) outputs.push(at);
    }
  } else {
    layers.forEach((_, i) => {
      if (consumers[i].length === 0 && !duplicates.has(i)) outputs.push(i);
    });
  }

  // On a broken graph (dangling references, cycles, repeated ids) "unused" is mostly a
  // consequence of the error already reported, so only a sound graph gets these warnings.
  if (diagnostics.length === 0) diagnostics.push(...unusedLayers(model, inputs, outputs));
  return { inputs, consumers, byId, duplicates, inCycle, order, outputs, diagnostics };
}

function danglingRef(layer: LayerSpec, ref: InputRef, ids: string[]): Diagnostic {
  const near = closest(ref.id, ids.filter((id) => id !== layer.id));
  return {
    severity: 'error',
    code: 'unknown-input',
    range: ref.range,
    message: near
      ? `Layer \`${layer.id}\` takes input \`${ref.id}\`, but no layer has that id; did you mean \`${near}\`?`
      : `Layer \`${layer.id}\` takes input \`${ref.id}\`, but no layer has that id; use the id of an earlier layer.`,
    layer: layer.id,
    fixes: near ? [{ title: `Change to \`${near}\``, edits: [replace(ref.range, near)] }] : undefined,
  };
}

function unknownOutput(ref: InputRef, ids: string[]): Diagnostic {
  const near = closest(ref.id, ids);
  return {
    severity: 'error',
    code: 'unknown-output',
    range: ref.range,
    message: near
      ? `\`outputs:\` names \`${ref.id}\`, but no layer has that id; did you mean \`${near}\`?`
      : `\`outputs:\` names \`${ref.id}\`, but no layer has that id; list ids of layers in \`layers:\`.`,
    fixes: near ? [{ title: `Change to \`${near}\``, edits: [replace(ref.range, near)] }] : undefined,
  };
}

/** Marks every layer on a cycle and reports each cycle once, naming its layers in order. */
function findCycles(layers: LayerSpec[], inputs: number[][], consumers: number[][], diagnostics: Diagnostic[]): Set<number> {
  // Tarjan's strongly connected components, iterative so deep graphs cannot overflow the stack.
  const n = layers.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    const work: { v: number; next: number }[] = [{ v: root, next: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length) {
      const frame = work[work.length - 1];
      const succ = consumers[frame.v];
      if (frame.next < succ.length) {
        const w = succ[frame.next++];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          work.push({ v: w, next: 0 });
        } else if (onStack[w]) low[frame.v] = Math.min(low[frame.v], index[w]);
        continue;
      }
      work.pop();
      if (work.length) low[work[work.length - 1].v] = Math.min(low[work[work.length - 1].v], low[frame.v]);
      if (low[frame.v] === index[frame.v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          comp.push(w);
        } while (w !== frame.v);
        components.push(comp);
      }
    }
  }
  const inCycle = new Set<number>();
  for (const comp of components) {
    const members = new Set(comp);
    if (comp.length === 1 && !inputs[comp[0]].includes(comp[0])) continue;
    comp.forEach((v) => inCycle.add(v));
    const start = Math.min(...comp);
    const path = cyclePath(start, members, consumers);
    // Point at the reference that closes the loop: the start layer's input from the cycle.
    const last = path[path.length - 1];
    const layer = layers[start];
    const refIndex = inputs[start].findIndex((j) => j === last);
    const ref = layer.inputs[refIndex];
    const names = [...path, start].map((v) => `\`${layers[v].id}\``).join(' → ');
    diagnostics.push({
      severity: 'error',
      code: 'cycle',
      range: ref ? ref.range : layer.idRange,
      message: `Layers ${names} form a cycle; a network must flow one way, so make one of them take an earlier layer's output.`,
      layer: layer.id,
    });
  }
  return inCycle;
}

/** A cycle through `start` within one strongly connected component, as the layers in order. */
function cyclePath(start: number, members: Set<number>, consumers: number[][]): number[] {
  // Breadth-first search for the shortest way back to `start`.
  const parent = new Map<number, number>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const w of consumers[v]) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        let u = v;
        while (u !== start) {
          u = parent.get(u)!;
          path.push(u);
        }
        return path.reverse();
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

function topologicalOrder(n: number, inputs: number[][], consumers: number[][], inCycle: Set<number>): number[] {
  const pending = inputs.map((ins) => dedupe(ins).filter((j) => j >= 0).length);
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (pending[i] === 0 && !inCycle.has(i)) ready.push(i);
  const order: number[] = [];
  for (let q = 0; q < ready.length; q++) {
    const v = ready[q];
    order.push(v);
    for (const w of consumers[v]) if (--pending[w] === 0 && !inCycle.has(w)) ready.push(w);
  }
  return order;
}

/** Warnings for layers whose output never reaches an output layer. */
function unusedLayers(model: ModelSpec, inputs: number[][], outputs: number[]): Diagnostic[] {
  const layers = model.layers;
  const useful = new Set<number>(outputs);
  const queue = [...outputs];
  for (let q = 0; q < queue.length; q++) {
    for (const j of inputs[queue[q]]) {
      if (j >= 0 && !useful.has(j)) {
        useful.add(j);
        queue.push(j);
      }
    }
  }
  const outs = outputs.map((i) => `\`${layers[i].id}\``).join(', ');
  const out: Diagnostic[] = [];
  layers.forEach((l, i) => {
    if (useful.has(i)) return;
    out.push({
      severity: 'warning',
      code: 'unreachable',
      range: l.idRange,
      message: `Layer \`${l.id}\` does not feed any output (${outs || 'none'}), so it is never computed; remove it, connect it, or add it to \`outputs:\`.`,
      layer: l.id,
    });
  });
  return out;
}
