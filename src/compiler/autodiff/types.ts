// The contract between the backward driver and the per-op gradient rules.
import type { ElemType, Graph, Node } from '../../onnx/graph';

export interface GradContext {
  /** The graph to append gradient nodes to (its `layer` is set to the forward node's layer). */
  readonly g: Graph;
  /** The forward node being differentiated. */
  readonly node: Node;
  /** d(loss)/d(output i), or undefined when no gradient reaches that output. */
  readonly dy: readonly (string | undefined)[];
  /** Whether input i needs a gradient (lies on a path from a `wrt` value, differentiable). */
  readonly needs: readonly boolean[];
  /** Float element type of the gradients (that of the differentiated values). */
  readonly dtype: ElemType;
}

/**
 * Emits the gradient of each input that `needs` asks for; entries for other inputs may be
 * undefined. A returned gradient may have the broadcast output's shape: the driver sums it
 * back to the input's shape.
 */
export type GradRule = (ctx: GradContext) => (string | undefined)[];
