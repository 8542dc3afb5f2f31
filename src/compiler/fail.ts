// The one place compiler code raises errors, so every message names the layer it concerns.
import type { LayerInfo } from '../analysis/types';
import { CompileError } from './errors';

/** A CompileError about one layer: `layer 'conv1' (Conv2D): <message>`. */
export function layerError(layer: LayerInfo | { id: string; kind: string }, message: string): CompileError {
  const id = 'spec' in layer ? layer.spec.id : layer.id;
  return new CompileError(`layer '${id}' (${layer.kind}): ${message}`, { layer: id });
}

/** A CompileError about the model as a whole (loss, optimizer, outputs ...). */
export function modelError(message: string): CompileError {
  return new CompileError(message);
}
