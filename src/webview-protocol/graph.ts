// Messages between the graph editor's host side (src/extension/graph) and its webview
// (webview/graph). The text document is the model: the host sends what the analyser says about
// it as a `GraphModel`; the webview asks for semantic edits, which the host makes as minimal text
// edits of the document (so undo, dirty state, save and diffs stay VS Code's own).

export type GraphSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface GraphDiagnostic {
  severity: GraphSeverity;
  message: string;
  code: string;
}

/** One layer as the graph shows it. */
export interface GraphLayer {
  id: string;
  /** The kind as written (`Dense`); empty when `type:` is missing. */
  kind: string;
  /** From layers.json; absent for unknown kinds. */
  category?: string;
  /** Parameters as written in the file (JSON values), without `id`, `type` and `inputs`. */
  params: Record<string, unknown>;
  /** The key parameters in a few words, e.g. `32 filters · 3×3 · same · relu`. */
  summary: string;
  /** Output tensor type in CLI notation (`[32, 8, 8]`, `[12] int64`); absent when shape inference failed. */
  output?: string;
  paramCount: number;
  /** The layers feeding this one, in order. */
  inputs: string[];
  /** True when `inputs:` is not written (the previous layer feeds it). */
  implicitInputs: boolean;
  /** 0-based line of the layer's item in the file. */
  line: number;
  /** Problems of this layer, most severe first. */
  diagnostics: GraphDiagnostic[];
  /** True when the layer is one of the model's outputs. */
  isOutput: boolean;
}

export interface GraphEdge {
  /** Stable: `<target>:<input index>`. */
  id: string;
  source: string;
  target: string;
  /** Position among the target's inputs (Concat order). */
  index: number;
  /** The tensor that flows: the source's output type, when known. */
  label?: string;
}

export interface GraphModel {
  /** The document version this was made from. */
  version: number;
  /** File name shown in the empty state and screen-reader labels. */
  fileName: string;
  layers: GraphLayer[];
  edges: GraphEdge[];
  /** Problems that belong to no layer (settings, YAML syntax, the loss). */
  modelDiagnostics: GraphDiagnostic[];
  totalParams: number;
  /** Set when the file cannot be read as a model at all (the graph then shows this). */
  unreadable?: string;
}

/** Everything needed to recreate copied layers elsewhere. */
export interface ClipLayer {
  id: string;
  kind: string;
  params: Record<string, unknown>;
  inputs: string[];
}

/** The semantic edits the webview asks for; each becomes one undoable text edit. */
export type GraphEdit =
  | { type: 'setParam'; layer: string; param: string; value: unknown }
  | { type: 'removeParam'; layer: string; param: string }
  | { type: 'addLayer'; kind: string; params: Record<string, unknown>; after?: string }
  | { type: 'removeLayers'; layers: string[] }
  | { type: 'rename'; layer: string; newId: string }
  | { type: 'setInputs'; layer: string; inputs: string[] }
  | { type: 'connect'; from: string; to: string }
  | { type: 'disconnect'; edges: { from: string; to: string }[] }
  | { type: 'reconnect'; from: string; to: string; newFrom: string; newTo: string }
  | { type: 'paste'; layers: ClipLayer[] };

export type RunState = 'idle' | 'starting' | 'running' | 'paused' | 'stopping';

export type HostToGraph =
  | { type: 'model'; model: GraphModel }
  /** Per-layer gradient magnitude (L2 norm over the layer's parameter gradients); null clears. */
  | { type: 'gradients'; step: number; layers: Record<string, number> | null }
  | { type: 'runState'; state: RunState }
  /** The text editor's cursor is in this layer: select it in the graph. */
  | { type: 'reveal'; layer: string }
  | { type: 'editResult'; requestId: number; ok: true; select: string[] }
  | { type: 'editResult'; requestId: number; ok: false; error: string };

/** What the graph view shows besides the model; kept by the host so closing and reopening the editor restores it. */
export interface GraphViewState {
  viewport?: { x: number; y: number; zoom: number };
  selected?: string[];
  paletteQuery?: string;
  paletteOpen?: boolean;
  panelOpen?: boolean;
  minimap?: boolean;
}

export type GraphToHost =
  | { type: 'ready' }
  /** The view state changed (sent after each burst of changes). */
  | { type: 'viewState'; state: GraphViewState }
  | { type: 'edit'; requestId: number; edit: GraphEdit }
  /** The user selected this layer in the graph: reveal its line in the text editor. */
  | { type: 'select'; layer: string }
  | { type: 'command'; command: 'train' | 'stop' | 'showText' }
  /** Timing of a render, for the benchmark and the tests. */
  | { type: 'rendered'; version: number; nodes: number; layoutMs: number; totalMs: number };
