// An in-memory ONNX graph that the compiler builds node by node. It tracks every value's
// element type and static shape (batch dimension symbolic) because the autodiff needs them to
// undo broadcasting and to size gradients; `serializeModel` turns it into ModelProto bytes.
import { onnx } from 'onnx-proto';

export type ElemType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool' | 'uint8';
/** A dimension: a number when static, a symbol such as `N` (batch) when not. */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  dtype: ElemType;
  shape: Dim[];
}

export type TypedData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

export interface TensorData {
  name: string;
  dtype: ElemType;
  dims: number[];
  data: TypedData;
}

export type Attr =
  | { t: 'int'; v: number }
  | { t: 'float'; v: number }
  | { t: 'ints'; v: number[] }
  | { t: 'floats'; v: number[] }
  | { t: 'string'; v: string }
  | { t: 'tensor'; v: TensorData }
  | { t: 'graph'; v: Graph };

/** Attribute constructors: ONNX distinguishes ints from floats, JavaScript numbers do not. */
export const attr = {
  int: (v: number): Attr => ({ t: 'int', v }),
  float: (v: number): Attr => ({ t: 'float', v }),
  ints: (v: number[]): Attr => ({ t: 'ints', v }),
  floats: (v: number[]): Attr => ({ t: 'floats', v }),
  string: (v: string): Attr => ({ t: 'string', v }),
  tensor: (v: TensorData): Attr => ({ t: 'tensor', v }),
  graph: (v: Graph): Attr => ({ t: 'graph', v }),
};

export interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, Attr>;
  name: string;
  domain?: string;
  /** The model layer this node was lowered from, for error messages. */
  layer?: string;
}

/**
 * Static type inference for one node: given the graph (to look up input types) returns the
 * output types. Registered per op by the op-metadata module; unknown ops leave outputs untyped.
 */
export type TypeInferer = (node: Node, g: Graph) => (Omit<ValueInfo, 'name'> | undefined)[];

const inferers = new Map<string, TypeInferer>();
export function registerTypeInferer(op: string, f: TypeInferer): void {
  inferers.set(op, f);
}

export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  readonly initializers: TensorData[] = [];
  /** Element type and shape of every value whose type is known. */
  readonly types = new Map<string, Omit<ValueInfo, 'name'>>();
  /** Layer tag given to nodes added from now on. */
  layer: string | undefined;
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly name = 'graph', private readonly parent?: Graph) {}

  /** A value name not used yet in this graph (or its parents). */
  fresh(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'v';
    let name = clean;
    while (this.isTaken(name)) name = `${clean}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  private isTaken(name: string): boolean {
    return this.names.has(name) || (this.parent?.isTaken(name) ?? false);
  }

  private claim(name: string): string {
    if (this.isTaken(name)) throw new Error(`internal: value name '${name}' is already used in graph '${this.name}'`);
    this.names.add(name);
    return name;
  }

  typeOf(name: string): Omit<ValueInfo, 'name'> | undefined {
    return this.types.get(name) ?? this.parent?.typeOf(name);
  }

  shapeOf(name: string): Dim[] {
    const t = this.typeOf(name);
    if (!t) throw new Error(`internal: no static type for value '${name}'`);
    return t.shape;
  }

  setType(name: string, dtype: ElemType, shape: Dim[]): void {
    this.types.set(name, { dtype, shape });
  }

  input(name: string, dtype: ElemType, shape: Dim[]): string {
    this.claim(name);
    this.inputs.push({ name, dtype, shape });
    this.types.set(name, { dtype, shape });
    return name;
  }

  output(name: string, dtype?: ElemType, shape?: Dim[]): void {
    const t = this.typeOf(name);
    const d = dtype ?? t?.dtype;
    if (!d) throw new Error(`internal: output '${name}' has no known element type`);
    this.outputs.push({ name, dtype: d, shape: shape ?? t?.shape ?? [] });
  }

  initializer(name: string, dtype: ElemType, dims: number[], data: TypedData): string {
    return this.addInitializer(this.claim(name), dtype, dims, data);
  }

  private addInitializer(name: string, dtype: ElemType, dims: number[], data: TypedData): string {
    this.initializers.push({ name, dtype, dims, data });
    this.types.set(name, { dtype, shape: dims });
    return name;
  }

  /** A constant tensor as an initializer (cheaper for ORT than a Constant node). */
  constant(data: TypedData, dims: number[], nameHint = 'const'): string {
    return this.addInitializer(this.fresh(nameHint), dtypeOfData(data), dims, data);
  }

  /** Scalar or 1-D int64 constant, as used by Reshape, ReduceSum axes, Slice and friends. */
  ints(values: number[], scalar = false): string {
    return this.constant(BigInt64Array.from(values.map((v) => BigInt(v))), scalar ? [] : [values.length], 'ints');
  }

  /** float32 constant of the given shape (a scalar by default). */
  floats(values: number[], dims: number[] = []): string {
    return this.constant(Float32Array.from(values), dims, 'c');
  }

  /** Adds a node with `outputs` fresh outputs (or the given names); returns the output names. */
  addNode(op: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs: number | string[] = 1, domain?: string): string[] {
    const outNames = typeof outputs === 'number'
      ? Array.from({ length: outputs }, (_, i) => this.fresh(`${this.layer ? this.layer + '/' : ''}${op}${outputs > 1 ? '_' + i : ''}`))
      : outputs.map((o) => (o === '' ? '' : this.claim(o)));
    const node: Node = { op, inputs, outputs: outNames, attrs, name: this.fresh(`n_${op}`), domain, layer: this.layer };
    this.nodes.push(node);
    const inferer = inferers.get(op);
    if (inferer) {
      const types = inferer(node, this);
      types.forEach((t, i) => {
        if (t && outNames[i]) this.types.set(outNames[i], t);
      });
    }
    return outNames;
  }

  /** Adds a single-output node and returns its output name. */
  op(op: string, inputs: string[], attrs: Record<string, Attr> = {}): string {
    return this.addNode(op, inputs, attrs, 1)[0];
  }

  /** A subgraph (for Loop/Scan/If bodies) whose names never clash with this graph's. */
  subgraph(name: string): Graph {
    return new Graph(name, this);
  }
}

export function dtypeOfData(data: TypedData): ElemType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  return 'uint8';
}

const ELEM: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
  float64: onnx.TensorProto.DataType.DOUBLE,
};

function tensorProto(t: TensorData): onnx.ITensorProto {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return { name: t.name, dims: t.dims, dataType: ELEM[t.dtype], rawData: bytes };
}

function valueInfoProto(v: ValueInfo): onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: ELEM[v.dtype],
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attrProto(name: string, a: Attr): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.t) {
    case 'int': return { name, type: T.INT, i: a.v };
    case 'float': return { name, type: T.FLOAT, f: a.v };
    case 'ints': return { name, type: T.INTS, ints: a.v };
    case 'floats': return { name, type: T.FLOATS, floats: a.v };
    case 'string': return { name, type: T.STRING, s: new TextEncoder().encode(a.v) };
    case 'tensor': return { name, type: T.TENSOR, t: tensorProto(a.v) };
    case 'graph': return { name, type: T.GRAPH, g: graphProto(a.v) };
  }
}

export function graphProto(g: Graph): onnx.IGraphProto {
  return {
    name: g.name,
    node: g.nodes.map((n) => ({
      opType: n.op,
      input: n.inputs,
      output: n.outputs,
      name: n.name,
      domain: n.domain ?? '',
      attribute: Object.entries(n.attrs).map(([k, v]) => attrProto(k, v)),
      docString: n.layer ? `layer:${n.layer}` : undefined,
    })),
    input: g.inputs.map(valueInfoProto),
    output: g.outputs.map(valueInfoProto),
    initializer: g.initializers.map(tensorProto),
  };
}

export interface SerializeOptions {
  opset?: number;
  irVersion?: number;
  docString?: string;
  /** Extra key/value metadata stored in the model (e.g. the Layerwise model name). */
  metadata?: Record<string, string>;
}

/** Encodes the graph as ONNX ModelProto bytes (opset 17 / IR 8 by default, for the widest runtime support). */
export function serializeModel(g: Graph, opts: SerializeOptions = {}): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: opts.irVersion ?? 8,
    producerName: 'layerwise',
    producerVersion: '0.1.0',
    opsetImport: [{ domain: '', version: opts.opset ?? 17 }],
    docString: opts.docString,
    graph: graphProto(g),
    metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
