// The toolbar: train / stop (the training commands, by id), view controls, and the edit actions
// that also have keys (Delete, Ctrl+C, Ctrl+V, Ctrl+D). Codicons, labelled for screen readers.
import type { RunState } from '../../../src/webview-protocol/graph';

interface ToolbarProps {
  runState: RunState;
  hasSelection: boolean;
  canPaste: boolean;
  paletteOpen: boolean;
  panelOpen: boolean;
  minimap: boolean;
  summary: string;
  gradientStep?: number;
  onCommand: (c: 'train' | 'stop' | 'showText') => void;
  onFit: () => void;
  onZoomIn: () => void;
  onZoomOut: () => void;
  onRelayout: () => void;
  onDelete: () => void;
  onDuplicate: () => void;
  onCopy: () => void;
  onPaste: () => void;
  onTogglePalette: () => void;
  onTogglePanel: () => void;
  onToggleMinimap: () => void;
}

function Button(props: { icon: string; label: string; onClick: () => void; disabled?: boolean; pressed?: boolean; text?: string }) {
  return (
    <button
      className={`tool${props.text ? ' tool-text' : ''}`}
      title={props.label}
      aria-label={props.label}
      aria-pressed={props.pressed}
      disabled={props.disabled}
      onClick={props.onClick}
      data-action={props.icon}
    >
      <span className={`codicon codicon-${props.icon}`} aria-hidden="true" />
      {props.text && <span>{props.text}</span>}
    </button>
  );
}

export function Toolbar(p: ToolbarProps) {
  const busy = p.runState !== 'idle';
  return (
    <div className="toolbar" role="toolbar" aria-label="Graph editor">
      <Button icon="play" text="Train" label="Train this model (Layerwise: Train)" disabled={busy} onClick={() => p.onCommand('train')} />
      <Button icon="debug-stop" text="Stop" label="Stop training" disabled={!busy || p.runState === 'stopping'} onClick={() => p.onCommand('stop')} />
      <span className="sep" />
      <Button icon="layout-sidebar-left" label="Show or hide the layer palette" pressed={p.paletteOpen} onClick={p.onTogglePalette} />
      <Button icon="layout-sidebar-right" label="Show or hide the property panel" pressed={p.panelOpen} onClick={p.onTogglePanel} />
      <span className="sep" />
      <Button icon="screen-full" label="Fit the whole graph in view" onClick={p.onFit} />
      <Button icon="zoom-in" label="Zoom in" onClick={p.onZoomIn} />
      <Button icon="zoom-out" label="Zoom out" onClick={p.onZoomOut} />
      <Button icon="type-hierarchy-sub" label="Lay the graph out again" onClick={p.onRelayout} />
      <Button icon="map" label="Show or hide the minimap" pressed={p.minimap} onClick={p.onToggleMinimap} />
      <span className="sep" />
      <Button icon="copy" label="Copy the selected layers (Ctrl+C)" disabled={!p.hasSelection} onClick={p.onCopy} />
      <Button icon="clippy" label="Paste layers (Ctrl+V)" disabled={!p.canPaste} onClick={p.onPaste} />
      <Button icon="files" label="Duplicate the selected layers (Ctrl+D)" disabled={!p.hasSelection} onClick={p.onDuplicate} />
      <Button icon="trash" label="Delete the selection (Delete)" disabled={!p.hasSelection} onClick={p.onDelete} />
      <span className="sep" />
      <Button icon="go-to-file" label="Show the YAML in the text editor" onClick={() => p.onCommand('showText')} />
      <span className="toolbar-summary" aria-live="polite">
        {p.summary}
      </span>
      {p.gradientStep !== undefined && (
        <span className="grad-legend" title="Edges are coloured by the gradient norm of the layer they leave (log scale across layers)">
          ‖∇‖ step {p.gradientStep}: <span className="grad-ramp" aria-hidden="true" /> low → high
        </span>
      )}
    </div>
  );
}
