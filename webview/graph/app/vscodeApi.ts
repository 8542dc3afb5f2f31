// The webview's side of the VS Code API: typed messages to the host and the persisted view state.
import type { GraphToHost } from '../../../src/webview-protocol/graph';

/** What survives closing and reopening the editor (webview state). */
export interface ViewState {
  viewport?: { x: number; y: number; zoom: number };
  selected?: string[];
  paletteQuery?: string;
  paletteOpen?: boolean;
  panelOpen?: boolean;
  minimap?: boolean;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi =
  typeof acquireVsCodeApi === 'function'
    ? acquireVsCodeApi()
    : // Outside VS Code (a plain page) nothing listens; the benchmark page defines acquireVsCodeApi.
      { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };

export function post(message: GraphToHost): void {
  api.postMessage(message);
}

export function loadState(): ViewState {
  const s = api.getState();
  return s && typeof s === 'object' ? (s as ViewState) : {};
}

let pending: ViewState | undefined;
/** Saves the state after the current burst of changes (viewport moves fire often). */
export function saveState(patch: Partial<ViewState>): void {
  const base = pending ?? loadState();
  const first = pending === undefined;
  pending = { ...base, ...patch };
  if (first) {
    setTimeout(() => {
      if (pending) api.setState(pending);
      pending = undefined;
    }, 150);
  }
}
