// What a running (or just finished) training run tells the rest of the extension host, keyed by
// the model file: the graph editor colours edges with it, the text editor decorates layer lines.
// The training controller publishes; views subscribe. Kept tiny and free of training logic so
// that views do not depend on how training is driven.
import * as vscode from 'vscode';
import type { GradStat } from '../engine/protocol';

export interface GradientSnapshot {
  /** The model file's URI, as `uri.toString()`. */
  model: string;
  step: number;
  globalGradNorm: number;
  /** One entry per parameter tensor, as the engine reports them. */
  params: GradStat[];
}

export type RunState = 'idle' | 'starting' | 'running' | 'paused' | 'stopping';

export interface RunStateChange {
  model: string;
  state: RunState;
}

class TrainingFeed {
  private readonly gradients = new vscode.EventEmitter<GradientSnapshot | { model: string; cleared: true }>();
  private readonly states = new vscode.EventEmitter<RunStateChange>();
  private readonly latestByModel = new Map<string, GradientSnapshot>();
  private readonly stateByModel = new Map<string, RunState>();

  /** Fires with each new snapshot, and with `{cleared: true}` when a model's values are cleared. */
  readonly onGradients = this.gradients.event;
  readonly onRunState = this.states.event;

  publishGradients(snapshot: GradientSnapshot): void {
    this.latestByModel.set(snapshot.model, snapshot);
    this.gradients.fire(snapshot);
  }

  clearGradients(model: string): void {
    if (this.latestByModel.delete(model)) this.gradients.fire({ model, cleared: true });
  }

  latestGradients(model: string): GradientSnapshot | undefined {
    return this.latestByModel.get(model);
  }

  publishRunState(model: string, state: RunState): void {
    this.stateByModel.set(model, state);
    this.states.fire({ model, state });
  }

  runState(model: string): RunState {
    return this.stateByModel.get(model) ?? 'idle';
  }
}

export const trainingFeed = new TrainingFeed();
