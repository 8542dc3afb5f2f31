// The webview's side of the VS Code API: typed messages to the host, replies matched to their
// request ids, and the view state that survives reloading the page.
import type { ExplainToHost, HostToExplain, Outcome } from '../../../src/webview-protocol/explain';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };

export function post(message: ExplainToHost): void {
  api.postMessage(message);
}

type Reply = Extract<HostToExplain, { id: number }>;
type WithoutId<M> = M extends unknown ? Omit<M, 'id'> : never;
export type RequestMessage = WithoutId<Extract<ExplainToHost, { id: number }>>;
const waiting = new Map<number, (outcome: Reply['outcome']) => void>();
let nextId = 1;

/** Sends a request and resolves with the host's outcome for it. */
export function ask<T>(message: RequestMessage): Promise<Outcome<T>> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve as (o: Reply['outcome']) => void);
    post({ ...message, id } as ExplainToHost);
  });
}

/** Routes replies to their requests; everything else goes to `onMessage`. */
export function listen(onMessage: (m: Exclude<HostToExplain, Reply>) => void): () => void {
  const handler = (e: MessageEvent) => {
    const m = e.data as HostToExplain;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
    if ('id' in m) {
      const done = waiting.get(m.id);
      waiting.delete(m.id);
      done?.(m.outcome);
      return;
    }
    onMessage(m);
  };
  window.addEventListener('message', handler);
  return () => window.removeEventListener('message', handler);
}

export function loadState<T extends object>(): Partial<T> {
  const s = api.getState();
  return s && typeof s === 'object' ? (s as Partial<T>) : {};
}

export function saveState(state: object): void {
  api.setState(state);
}
