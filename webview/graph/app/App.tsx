// The graph editor: toolbar, palette, canvas (React Flow) and property panel. The host owns the
// model (the text document); this view draws what it sends and asks it for semantic edits.
import {
  Background,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type Viewport,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { ClipLayer, GraphEdit, GraphModel, HostToGraph, RunState } from '../../../src/webview-protocol/graph';
import { clipLayers, clipText } from '../logic/clipboard';
import { edgeSignature, nodeSignature, Reuse, toFlowEdges, toFlowNodes, type LayerNode, type ShapeEdge } from '../logic/flow';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH, structureKey, type Layout } from '../logic/layout';
import { neighbour, type Direction } from '../logic/navigation';
import { newLayerParams } from '../logic/palette';
import { LayerNodeView } from './LayerNodeView';
import { KIND_MIME, Palette } from './Palette';
import { PropertyPanel } from './PropertyPanel';
import { ShapeEdgeView } from './ShapeEdgeView';
import { Toolbar } from './Toolbar';
import { loadState, post, saveState, type ViewState } from './vscodeApi';

const nodeTypes = { layer: LayerNodeView };
const edgeTypes = { shape: ShapeEdgeView };
/** Above this many layers only the cards on screen are rendered, and the minimap shows by default. */
const bigModel = 60;

export function App() {
  return (
    <ReactFlowProvider>
      <GraphEditor />
    </ReactFlowProvider>
  );
}

interface RenderTiming {
  version: number;
  started: number;
  layoutMs: number;
}

const noLayout: Layout = { positions: {}, bends: {} };

function GraphEditor() {
  const initial = useMemo<ViewState>(() => loadState(), []);
  const flow = useReactFlow<LayerNode, ShapeEdge>();

  const [model, setModel] = useState<GraphModel | null>(null);
  const [layout, setLayout] = useState<Layout>(noLayout);
  const [selectedNodes, setSelectedNodes] = useState<Set<string>>(() => new Set(initial.selected ?? []));
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(() => new Set());
  const [gradients, setGradients] = useState<Record<string, number> | null>(null);
  const [gradStep, setGradStep] = useState(0);
  const [runState, setRunState] = useState<RunState>('idle');
  const [paletteQuery, setPaletteQuery] = useState(initial.paletteQuery ?? '');
  const [paletteOpen, setPaletteOpen] = useState(initial.paletteOpen ?? true);
  const [panelOpen, setPanelOpen] = useState(initial.panelOpen ?? true);
  const [minimap, setMinimap] = useState<boolean | undefined>(initial.minimap);
  const [announcement, setAnnouncement] = useState('');

  const modelRef = useRef<GraphModel | null>(null);
  const layoutRef = useRef<Layout>(noLayout);
  const layoutKey = useRef('');
  const fitted = useRef(initial.viewport !== undefined);
  const timing = useRef<RenderTiming | undefined>(undefined);
  const nextRequest = useRef(1);
  const pendingFocus = useRef<string | undefined>(undefined);
  const clipboard = useRef<ClipLayer[]>([]);
  const reconnecting = useRef<{ edge: ShapeEdge; done: boolean; x: number; y: number } | undefined>(undefined);
  const wrapper = useRef<HTMLDivElement>(null);
  layoutRef.current = layout;
  modelRef.current = model;

  // ---- model from the host ------------------------------------------------------------------

  const receiveModel = useCallback(
    (next: GraphModel) => {
      const started = performance.now();
      const key = structureKey(next);
      setModel(next);
      setSelectedNodes((s) => new Set([...s].filter((id) => next.layers.some((l) => l.id === id))));
      setSelectedEdges((s) => new Set([...s].filter((id) => next.edges.some((e) => e.id === id))));
      let layoutMs = 0;
      // Only parameters changed: the cards update in place, no layout.
      if (key !== layoutKey.current) {
        const laid = layoutGraph(next);
        layoutMs = performance.now() - started;
        layoutKey.current = key;
        setLayout(laid);
      }
      timing.current = { version: next.version, started, layoutMs };
    },
    [],
  );

  const revealLayer = useCallback(
    (id: string, focus: boolean) => {
      const p = layoutRef.current.positions[id];
      setSelectedNodes(new Set([id]));
      setSelectedEdges(new Set());
      if (p) {
        const { x, y, zoom } = flow.getViewport();
        const rect = wrapper.current?.querySelector('.react-flow')?.getBoundingClientRect();
        const left = -x / zoom;
        const top = -y / zoom;
        const width = (rect?.width ?? 800) / zoom;
        const height = (rect?.height ?? 600) / zoom;
        const inView = p.x >= left && p.y >= top && p.x + NODE_WIDTH <= left + width && p.y + NODE_HEIGHT <= top + height;
        if (!inView) void flow.setCenter(p.x + NODE_WIDTH / 2, p.y + NODE_HEIGHT / 2, { zoom: Math.max(zoom, 0.6), duration: 0 });
      }
      if (focus) pendingFocus.current = id;
    },
    [flow],
  );

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      const m = event.data as HostToGraph;
      if (!m || typeof m !== 'object') return;
      switch (m.type) {
        case 'model':
          receiveModel(m.model);
          break;
        case 'gradients':
          setGradients(m.layers);
          setGradStep(m.step);
          break;
        case 'runState':
          setRunState(m.state);
          break;
        case 'reveal':
          if (modelRef.current?.layers.some((l) => l.id === m.layer)) revealLayer(m.layer, false);
          break;
        case 'editResult':
          if (m.ok) {
            if (m.select.length > 0) {
              setSelectedNodes(new Set(m.select));
              setSelectedEdges(new Set());
              pendingFocus.current = m.select[0];
            }
            setAnnouncement('');
          } else {
            setAnnouncement(m.error);
          }
          break;
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [receiveModel, revealLayer]);

  // Once listening: the host answers with the model, the run state and the latest gradients.
  useEffect(() => post({ type: 'ready' }), []);

  // ---- after each render: timing report, first fit, focus requests ---------------------------

  useEffect(() => {
    const t = timing.current;
    const m = model;
    if (t && m) {
      timing.current = undefined;
      requestAnimationFrame(() => {
        const totalMs = performance.now() - t.started;
        post({ type: 'rendered', version: t.version, nodes: m.layers.length, layoutMs: Math.round(t.layoutMs), totalMs: Math.round(totalMs) });
      });
    }
    if (!fitted.current && m && m.layers.length > 0 && Object.keys(layout.positions).length > 0) {
      fitted.current = true;
      void flow.fitView({ padding: 0.15, minZoom: 0.35, maxZoom: 1.1, duration: 0, nodes: m.layers.slice(0, 12).map((l) => ({ id: l.id })) });
    }
    const focusId = pendingFocus.current;
    if (focusId) {
      const el = wrapper.current?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(focusId)}"]`);
      if (el) {
        pendingFocus.current = undefined;
        if (!wrapper.current?.querySelector('.panel')?.contains(document.activeElement) && !wrapper.current?.querySelector('.palette')?.contains(document.activeElement)) el.focus();
      }
    }
  });

  // ---- edits ---------------------------------------------------------------------------------

  const sendEdit = useCallback((edit: GraphEdit) => {
    post({ type: 'edit', requestId: nextRequest.current++, edit });
  }, []);

  const addKind = useCallback(
    (kind: string, after?: string) => {
      const selected = [...selectedNodes];
      sendEdit({ type: 'addLayer', kind, params: newLayerParams(kind), after: after ?? (selected.length === 1 ? selected[0] : undefined) });
    },
    [selectedNodes, sendEdit],
  );

  const deleteSelection = useCallback(() => {
    const m = modelRef.current;
    if (!m) return;
    if (selectedNodes.size > 0) {
      sendEdit({ type: 'removeLayers', layers: m.layers.filter((l) => selectedNodes.has(l.id)).map((l) => l.id) });
    } else if (selectedEdges.size > 0) {
      const edges = m.edges.filter((e) => selectedEdges.has(e.id)).map((e) => ({ from: e.source, to: e.target }));
      sendEdit({ type: 'disconnect', edges });
    }
  }, [selectedNodes, selectedEdges, sendEdit]);

  const copySelection = useCallback(() => {
    const m = modelRef.current;
    if (!m || selectedNodes.size === 0) return false;
    clipboard.current = clipLayers(m, selectedNodes);
    navigator.clipboard?.writeText(clipText(clipboard.current)).catch(() => undefined);
    setAnnouncement(`Copied ${clipboard.current.length} layer(s).`);
    return true;
  }, [selectedNodes]);

  const paste = useCallback(() => {
    if (clipboard.current.length > 0) sendEdit({ type: 'paste', layers: clipboard.current });
  }, [sendEdit]);

  const duplicate = useCallback(() => {
    const m = modelRef.current;
    if (m && selectedNodes.size > 0) sendEdit({ type: 'paste', layers: clipLayers(m, selectedNodes) });
  }, [selectedNodes, sendEdit]);

  // ---- React Flow callbacks ----------------------------------------------------------------------

  const onNodesChange = useCallback((changes: NodeChange<LayerNode>[]) => {
    const selects = changes.filter((c): c is Extract<NodeChange<LayerNode>, { type: 'select' }> => c.type === 'select');
    if (selects.length === 0) return;
    setSelectedNodes((s) => {
      const next = new Set(s);
      for (const c of selects) c.selected ? next.add(c.id) : next.delete(c.id);
      return next;
    });
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<ShapeEdge>[]) => {
    const selects = changes.filter((c): c is Extract<EdgeChange<ShapeEdge>, { type: 'select' }> => c.type === 'select');
    if (selects.length === 0) return;
    setSelectedEdges((s) => {
      const next = new Set(s);
      for (const c of selects) c.selected ? next.add(c.id) : next.delete(c.id);
      return next;
    });
  }, []);

  const onConnect = useCallback((c: Connection) => {
    if (c.source && c.target && c.source !== c.target) sendEdit({ type: 'connect', from: c.source, to: c.target });
  }, [sendEdit]);

  const onReconnect = useCallback(
    (old: ShapeEdge, c: Connection) => {
      if (reconnecting.current) reconnecting.current.done = true;
      if (c.source && c.target) sendEdit({ type: 'reconnect', from: old.source, to: old.target, newFrom: c.source, newTo: c.target });
    },
    [sendEdit],
  );

  const onReconnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, edge: ShapeEdge) => {
      // Dragged away from the port and dropped on no port: the connection is removed. A click
      // on the edge's end (no real drag) changes nothing.
      const start = reconnecting.current;
      reconnecting.current = undefined;
      if (!start || start.done || !('clientX' in event)) return;
      if (Math.hypot(event.clientX - start.x, event.clientY - start.y) < 24) return;
      sendEdit({ type: 'disconnect', edges: [{ from: edge.source, to: edge.target }] });
    },
    [sendEdit],
  );

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(KIND_MIME);
      if (!kind) return;
      e.preventDefault();
      // Dropped onto a card: the new layer follows that one; onto empty canvas: at the end.
      const target = document.elementsFromPoint(e.clientX, e.clientY).find((el) => el.classList.contains('react-flow__node'));
      const after = target?.getAttribute('data-id') ?? undefined;
      sendEdit({ type: 'addLayer', kind, params: newLayerParams(kind), after });
    },
    [sendEdit],
  );

  // ---- keyboard ---------------------------------------------------------------------------

  const focusedNodeId = (target: EventTarget | null): string | undefined => {
    const el = target instanceof HTMLElement ? target.closest('.react-flow__node') : null;
    return el?.getAttribute('data-id') ?? undefined;
  };

  const onKeyDown = (e: ReactKeyboardEvent) => {
    const path = e.nativeEvent.composedPath();
    const inField = path.some((n) => n instanceof HTMLElement && (n.tagName === 'INPUT' || n.tagName === 'TEXTAREA' || n.tagName.startsWith('VSCODE-')));
    if (inField) return;
    const mod = e.ctrlKey || e.metaKey;
    const nodeId = focusedNodeId(e.target);
    const m = modelRef.current;
    if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      deleteSelection();
    } else if (mod && e.key.toLowerCase() === 'c') {
      if (copySelection()) e.preventDefault();
    } else if (mod && e.key.toLowerCase() === 'x') {
      if (copySelection()) {
        e.preventDefault();
        deleteSelection();
      }
    } else if (mod && e.key.toLowerCase() === 'v') {
      e.preventDefault();
      paste();
    } else if (mod && e.key.toLowerCase() === 'd') {
      e.preventDefault();
      duplicate();
    } else if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      if (m) setSelectedNodes(new Set(m.layers.map((l) => l.id)));
    } else if (nodeId && m && e.key.startsWith('Arrow')) {
      e.preventDefault();
      const dir = e.key.slice(5).toLowerCase() as Direction;
      const next = neighbour(m, layoutRef.current.positions, nodeId, dir);
      if (next) revealLayer(next, true);
    } else if (nodeId && e.key === 'Enter') {
      e.preventDefault();
      setSelectedNodes(new Set([nodeId]));
      post({ type: 'select', layer: nodeId });
      setPanelOpen(true);
      requestAnimationFrame(() => wrapper.current?.querySelector<HTMLElement>('.panel vscode-textfield, .panel vscode-single-select')?.focus());
    } else if (e.key === 'Escape') {
      setSelectedNodes(new Set());
      setSelectedEdges(new Set());
    }
  };

  // ---- view -------------------------------------------------------------------------------

  const nodeReuse = useMemo(() => new Reuse<LayerNode>(nodeSignature), []);
  const edgeReuse = useMemo(() => new Reuse<ShapeEdge>(edgeSignature), []);
  const nodes = useMemo(
    () => nodeReuse.apply(model ? toFlowNodes(model, layout.positions, selectedNodes, gradients) : []),
    [model, layout, selectedNodes, gradients, nodeReuse],
  );
  const edges = useMemo(
    () => edgeReuse.apply(model ? toFlowEdges(model, layout.bends, selectedEdges, gradients) : []),
    [model, layout, selectedEdges, gradients, edgeReuse],
  );
  const panelLayer = selectedNodes.size === 1 ? model?.layers.find((l) => selectedNodes.has(l.id)) : undefined;
  const allIds = useMemo(() => new Set(model?.layers.map((l) => l.id) ?? []), [model]);
  const big = (model?.layers.length ?? 0) > bigModel;
  const showMinimap = minimap ?? big;

  useEffect(() => saveState({ selected: [...selectedNodes] }), [selectedNodes]);

  const errors = model ? model.layers.reduce((n, l) => n + l.diagnostics.filter((d) => d.severity === 'error').length, 0) + model.modelDiagnostics.filter((d) => d.severity === 'error').length : 0;

  return (
    <div className="graph-editor" ref={wrapper} onKeyDown={onKeyDown}>
      <Toolbar
        runState={runState}
        hasSelection={selectedNodes.size + selectedEdges.size > 0}
        canPaste={clipboard.current.length > 0}
        paletteOpen={paletteOpen}
        panelOpen={panelOpen}
        minimap={showMinimap}
        summary={model ? `${model.layers.length} layers · ${model.totalParams.toLocaleString('en-US')} params${errors > 0 ? ` · ${errors} error(s)` : ''}` : ''}
        gradientStep={gradients ? gradStep : undefined}
        onCommand={(c) => post({ type: 'command', command: c })}
        onFit={() => void flow.fitView({ padding: 0.1, duration: 200 })}
        onZoomIn={() => void flow.zoomIn({ duration: 150 })}
        onZoomOut={() => void flow.zoomOut({ duration: 150 })}
        onRelayout={() => {
          if (!model) return;
          layoutKey.current = '';
          receiveModel(model);
        }}
        onDelete={deleteSelection}
        onDuplicate={duplicate}
        onCopy={copySelection}
        onPaste={paste}
        onTogglePalette={() => {
          setPaletteOpen(!paletteOpen);
          saveState({ paletteOpen: !paletteOpen });
        }}
        onTogglePanel={() => {
          setPanelOpen(!panelOpen);
          saveState({ panelOpen: !panelOpen });
        }}
        onToggleMinimap={() => {
          setMinimap(!showMinimap);
          saveState({ minimap: !showMinimap });
        }}
      />
      <div className="graph-body">
        {paletteOpen && (
          <Palette
            query={paletteQuery}
            onQuery={(q) => {
              setPaletteQuery(q);
              saveState({ paletteQuery: q });
            }}
            onAdd={(kind) => addKind(kind)}
          />
        )}
        <main className="canvas" aria-label={`Layer graph of ${model?.fileName ?? 'the model'}`} onDragOver={(e) => {
          if (e.dataTransfer.types.includes(KIND_MIME)) {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
          }
        }} onDrop={onDrop}>
          {model?.modelDiagnostics.some((d) => d.severity === 'error' || d.severity === 'warning') && (
            <div className="model-problems" role="status">
              {model.modelDiagnostics
                .filter((d) => d.severity === 'error' || d.severity === 'warning')
                .slice(0, 3)
                .map((d, i) => (
                  <div key={i} className={`problem-${d.severity}`}>
                    <span className={`codicon codicon-${d.severity}`} aria-hidden="true" /> {d.message}
                  </div>
                ))}
            </div>
          )}
          {model?.unreadable && (
            <div className="empty-state" role="alert">
              <p>{model.unreadable}</p>
              <button className="link-button" onClick={() => post({ type: 'command', command: 'showText' })}>Open the text editor to fix it</button>
            </div>
          )}
          {model && !model.unreadable && model.layers.length === 0 && (
            <div className="empty-state">
              <p>No layers yet.</p>
              <p>Drag an <strong>Input</strong> layer from the palette onto the canvas, or type in the palette's search and press Enter.</p>
            </div>
          )}
          <ReactFlow<LayerNode, ShapeEdge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onReconnect={onReconnect}
            onReconnectStart={(e, edge) => (reconnecting.current = { edge, done: false, x: e.clientX, y: e.clientY })}
            onReconnectEnd={onReconnectEnd}
            isValidConnection={(c) => c.source !== c.target}
            onNodeClick={(_, node) => post({ type: 'select', layer: node.id })}
            onMoveEnd={(_, viewport: Viewport) => saveState({ viewport })}
            defaultViewport={initial.viewport ?? { x: 40, y: 20, zoom: 1 }}
            nodesDraggable={false}
            nodesConnectable
            elementsSelectable
            deleteKeyCode={null}
            minZoom={0.05}
            maxZoom={2}
            onlyRenderVisibleElements={big}
            attributionPosition="bottom-left"
            ariaLabelConfig={{ 'node.a11yDescription.default': 'Arrow keys move between layers, Enter edits the layer, Delete removes it.' }}
          >
            <Background gap={24} size={1} />
            {showMinimap && <MiniMap pannable zoomable ariaLabel="Minimap of the layer graph" nodeClassName={(n) => `minimap-node ${(n as LayerNode).data.layer.diagnostics.some((d) => d.severity === 'error') ? 'has-error' : ''}`} />}
          </ReactFlow>
        </main>
        {panelOpen && panelLayer && (
          <PropertyPanel
            layer={panelLayer}
            allIds={allIds}
            onEdit={sendEdit}
            onClose={() => {
              const el = wrapper.current?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(panelLayer.id)}"]`);
              el?.focus();
            }}
          />
        )}
      </div>
      <div className="announcer" role="status" aria-live="polite">
        {announcement}
      </div>
    </div>
  );
}
