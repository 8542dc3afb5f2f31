// The one error type the compiler throws for problems it can attribute to the model (a layer
// whose lowering or gradient is unsupported, shapes that do not fit). Callers turn it into a
// diagnostic on that layer; anything else escaping the compiler is an internal bug.

export interface CompileErrorDetails {
  /** Id of the model layer the problem belongs to, when known. */
  layer?: string;
  /** The ONNX op involved, when the problem is about one op. */
  op?: string;
}

export class CompileError extends Error {
  readonly layer?: string;
  readonly op?: string;

  constructor(message: string, details: CompileErrorDetails = {}) {
    super(message);
    this.name = 'CompileError';
    this.layer = details.layer;
    this.op = details.op;
  }
}

/** "(layer 'conv1')" for messages, or '' when the layer is unknown. */
export function layerSuffix(layer: string | undefined): string {
  return layer ? ` (layer '${layer}')` : '';
}
