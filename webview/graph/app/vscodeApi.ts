// The webview's side of the VS Code API: typed messages to the host and the persisted view state.
import type { GraphToHost, GraphViewState } from '../../../src/webview-protocol/graph';

/** What survives closing and reopening the editor. */
export type ViewState = GraphViewState;

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

/**
 * The webview's own state survives hiding and window reloads, but not closing the tab; the host
 * keeps a copy and writes it into the page it makes for a reopened editor.
 */
export function loadState(): ViewState {
  const s = api.getState();
  if (s && typeof s === 'object') return s as ViewState;
  const fromHost = typeof document !== 'undefined' ? document.getElementById('root')?.dataset.viewState : undefined;
  if (fromHost) {
    try {
      const parsed: unknown = JSON.parse(fromHost);
      if (parsed && typeof parsed === 'object') return parsed as ViewState;
    } catch {
      // A state we cannot read is no state: the view starts fresh.
    }
  }
  return {};
}

let pending: ViewState | undefined;
/** Saves the state after the current burst of changes (viewport moves fire often). */
export function saveState(patch: Partial<ViewState>): void {
  const base = pending ?? loadState();
  const first = pending === undefined;
  pending = { ...base, ...patch };
  if (first) {
    setTimeout(() => {
      if (pending) {
        api.setState(pending);
        post({ type: 'viewState', state: pending });
      }
      pending = undefined;
    }, 150);
  }
}
