// Messages between the host and the "Layerwise: Training" dashboard webview. The host streams
// points of the live run in batches (at most ~10 a second); past runs come whole, on request.

/** One step event's numbers (running means over the epoch so far, and this batch's loss). */
export interface StepPoint {
  step: number;
  epoch: number;
  loss: number;
  batchLoss: number;
  metrics: Record<string, number>;
  lr: number;
  samplesPerSec: number;
}

/** One epoch's numbers, as metrics.jsonl keeps them. */
export interface EpochPoint {
  epoch: number;
  step?: number;
  loss: number;
  metrics: Record<string, number>;
  valLoss?: number;
  valMetrics?: Record<string, number>;
  lr: number;
  seconds: number;
}

/** Mean |gradient| of each layer (over all elements of its trainable tensors) at a step. */
export interface GradPoint {
  step: number;
  layers: Record<string, number>;
}

export interface RunSummary {
  /** `<model folder>/<timestamp>`, unique in the workspace. */
  id: string;
  label: string;
  /** One line: epochs done and the last epoch's numbers. */
  detail: string;
  live: boolean;
}

export interface RunData {
  id: string;
  label: string;
  steps: StepPoint[];
  epochs: EpochPoint[];
  grads: GradPoint[];
}

export type DashboardRunState = 'idle' | 'starting' | 'running' | 'paused' | 'stopping';

export type HostToDashboard =
  /** Everything to draw: the model's runs, the main run's data and the overlays switched on. */
  | { type: 'show'; model: string; runs: RunSummary[]; main?: RunData; overlays: RunData[]; state: DashboardRunState; status: string }
  /** New points of the live run (the main one). */
  | { type: 'append'; runId: string; steps: StepPoint[]; epochs: EpochPoint[]; grads: GradPoint[] }
  | { type: 'state'; state: DashboardRunState; status: string }
  /** A past run's data, answering `overlay` with `on: true`. */
  | { type: 'overlay'; run: RunData };

export type DashboardToHost =
  | { type: 'ready' }
  | { type: 'overlay'; runId: string; on: boolean }
  | { type: 'select'; runId: string }
  | { type: 'control'; action: 'train' | 'pause' | 'resume' | 'stop' };
