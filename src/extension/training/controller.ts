// Drives training from the editor: one EngineClient per window (created on first use, ended on
// dispose), one run at a time. Engine events go through a TrainingSession (the pure logic); the
// views — status bar, progress notification, log, dashboard, decorations, warnings, graph editor
// (via trainingFeed) — are told what changed. Nothing here waits on the worker's computations:
// the host only forwards small messages, so it stays responsive.
import * as path from 'path';
import * as vscode from 'vscode';
import { EngineClient } from '../../engine/client';
import type { EngineEvent, ErrorInfo, ProviderName, TrainOptions, TrainResult } from '../../engine/protocol';
import { isModelDocument } from '../settings';
import { trainingFeed, type RunState } from '../trainingFeed';
import { documentModelInfo } from './modelInfo';
import { readRun, readRunData } from './runIndex';
import { thresholds } from './thresholds';
import { editorTrainingThreads } from './threads';
import { TrainingSession, type SessionChange } from './trainingSession';
import { requireTrust } from './trust';

export interface ActiveRun {
  model: vscode.Uri;
  key: string;
  session: TrainingSession;
  /** `<model folder>/<timestamp>` once the engine has said where the run goes. */
  runId?: string;
  runDir?: string;
  stopping: boolean;
}

export interface SessionEvent {
  model: string;
  session: TrainingSession;
  change: SessionChange;
  runId?: string;
}

export interface TrainRequest {
  resume?: string;
  epochs?: number;
}

/** The run id (`<model folder>/<timestamp>`) of a run folder. */
export function runIdOf(runDir: string): string {
  return `${path.basename(path.dirname(runDir))}/${path.basename(runDir)}`;
}

/** The workspace folder a model belongs to (its own folder when it is outside every workspace folder). */
export function workspaceOf(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.dirname(uri.fsPath);
}

export class TrainingController implements vscode.Disposable {
  private client: EngineClient | undefined;
  private active: ActiveRun | undefined;
  private readonly sessions = new Map<string, TrainingSession>();
  private readonly changes = new vscode.EventEmitter<SessionEvent>();
  private readonly runsChanged = new vscode.EventEmitter<void>();
  private readonly activeChanged = new vscode.EventEmitter<ActiveRun | undefined>();
  readonly log: vscode.LogOutputChannel;
  /** Every event's effect on the session of its model. */
  readonly onSessionChange = this.changes.event;
  /** A run folder appeared, changed or went away. */
  readonly onRunsChanged = this.runsChanged.event;
  readonly onActiveChange = this.activeChanged.event;

  constructor() {
    this.log = vscode.window.createOutputChannel('Layerwise Training', { log: true });
  }

  get current(): ActiveRun | undefined {
    return this.active;
  }

  /** The live session of a model, else its last one (kept until the next run or a clear). */
  sessionFor(modelKey: string): TrainingSession | undefined {
    return this.active?.key === modelKey ? this.active.session : this.sessions.get(modelKey);
  }

  notifyRunsChanged(): void {
    this.runsChanged.fire();
  }

  private engine(): EngineClient {
    if (!this.client) {
      this.client = new EngineClient();
      this.client.on('event', (e) => this.onEngineEvent(e));
      this.client.on('crashed', (c) => this.log.error(c.message));
    }
    return this.client;
  }

  /** The model to act on: the argument, else the active editor's model. */
  resolveModel(arg?: unknown): vscode.Uri | undefined {
    if (arg instanceof vscode.Uri) return arg;
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && isModelDocument(doc)) return doc.uri;
    return undefined;
  }

  private setState(state: RunState): void {
    if (!this.active) return;
    trainingFeed.publishRunState(this.active.key, state);
    void vscode.commands.executeCommand('setContext', 'layerwise.trainingState', state);
  }

  async train(arg?: unknown, request: TrainRequest = {}): Promise<TrainResult | undefined> {
    const uri = this.resolveModel(arg);
    if (!uri) {
      void vscode.window.showErrorMessage('Layerwise: open a model file (*.nn.yaml) to train it.');
      return undefined;
    }
    if (!requireTrust('Training')) return undefined;
    if (this.active) {
      const same = this.active.key === uri.toString();
      const stop = 'Stop It';
      const pick = await vscode.window.showWarningMessage(
        same ? `Layerwise: ${path.basename(uri.fsPath)} is already training.` : `Layerwise: ${path.basename(this.active.model.fsPath)} is training; one run at a time.`,
        stop,
      );
      if (pick === stop) await this.stop();
      return undefined;
    }
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch (err) {
      void vscode.window.showErrorMessage(`Layerwise: cannot open ${uri.fsPath}: ${(err as Error).message}`);
      return undefined;
    }
    const info = documentModelInfo(document);
    const config = vscode.workspace.getConfiguration('layerwise.training');
    const session = new TrainingSession(info.name, info.lr);
    // A resumed run goes on in its own folder: its charts continue from what that folder holds.
    if (request.resume) session.seed(readRunData(readRun(path.dirname(request.resume), path.basename(path.dirname(path.dirname(request.resume))), path.basename(path.dirname(request.resume)))));
    const run: ActiveRun = { model: uri, key: uri.toString(), session, stopping: false };
    this.active = run;
    this.sessions.set(run.key, session);
    trainingFeed.clearGradients(run.key);
    this.setState('starting');
    this.activeChanged.fire(run);
    this.changes.fire({ model: run.key, session, change: { state: true } });
    this.log.info(`${request.resume ? 'Resuming' : 'Starting'} ${path.basename(uri.fsPath)}${request.resume ? ` from ${request.resume}` : ''}`);

    const options: TrainOptions = {
      workspace: workspaceOf(uri),
      provider: config.get<ProviderName>('provider', 'cpu'),
      threads: editorTrainingThreads(config.get<number>('threads', 0)),
      resume: request.resume,
      epochs: request.epochs,
      maxStepEventsPerSecond: thresholds.rates.dashboardUpdatesPerSecond,
      gradStatsIntervalSeconds: thresholds.rates.gradStatsIntervalSeconds,
      histogramIntervalSeconds: config.get<boolean>('histograms', true) ? thresholds.rates.histogramIntervalSeconds : 0,
    };
    const running = this.engine().request({ type: 'train', modelPath: uri.fsPath, text: document.getText(), options });
    this.showProgress(run, running);
    const outcome = await running;
    this.finish(run, outcome.ok ? undefined : outcome.error);
    return outcome.ok ? outcome.result : undefined;
  }

  private showProgress(run: ActiveRun, running: Promise<unknown>): void {
    const name = path.basename(run.model.fsPath);
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Training ${name}`, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => void this.stop(run.model));
      let reported = 0;
      const sub = this.onSessionChange((e) => {
        if (e.session !== run.session || !e.change.state) return;
        const done = Math.round(run.session.progress() * 100);
        progress.report({ message: run.session.state === 'paused' ? `paused · ${run.session.statusText()}` : run.session.statusText(), increment: Math.max(0, done - reported) });
        reported = Math.max(reported, done);
      });
      return running.finally(() => sub.dispose());
    });
  }

  private onEngineEvent(e: EngineEvent): void {
    const run = this.active;
    if (!run || e.type === 'ready') return;
    if (e.type === 'started') {
      run.runDir = e.runDir;
      run.runId = runIdOf(e.runDir);
      this.runsChanged.fire();
    }
    const change = run.session.handle(e);
    for (const line of change.log ?? []) {
      if (line.startsWith('error:')) this.log.error(line.slice(7));
      else if (line.startsWith('warning:')) this.log.warn(line.slice(9));
      else this.log.info(line);
    }
    if (e.type === 'gradStats') trainingFeed.publishGradients({ model: run.key, step: e.step, globalGradNorm: e.globalGradNorm, params: e.params });
    if (e.type === 'paused') this.setState('paused');
    if (e.type === 'resumed' || e.type === 'started') this.setState(run.stopping ? 'stopping' : 'running');
    if (e.type === 'epochEnd') this.runsChanged.fire();
    this.changes.fire({ model: run.key, session: run.session, change, runId: run.runId });
  }

  private finish(run: ActiveRun, error: ErrorInfo | undefined): void {
    if (this.active !== run) return;
    this.active = undefined;
    this.setStateFor(run.key, 'idle');
    run.session.state = 'idle';
    const name = path.basename(run.model.fsPath);
    if (error) {
      this.log.error(`${name}: ${error.message}`);
      const problems = error.problems?.length ? 'Show Problems' : undefined;
      void vscode.window.showErrorMessage(`Layerwise: training ${name} failed: ${error.message}`, ...(problems ? [problems] : [])).then((p) => {
        if (p) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
    } else {
      const done = run.session.done;
      if (done && done.reason !== 'nonfinite') {
        const best = done.best ? ` Best ${done.best.monitor} ${done.best.value.toFixed(4)} at epoch ${done.best.epoch}.` : '';
        void vscode.window.showInformationMessage(`Layerwise: ${name}: ${done.message}.${best}`, 'Open Dashboard').then((p) => {
          if (p) void vscode.commands.executeCommand('layerwise.openDashboard', run.model);
        });
      }
    }
    this.changes.fire({ model: run.key, session: run.session, change: { state: true }, runId: run.runId });
    this.activeChanged.fire(undefined);
    this.runsChanged.fire();
  }

  private setStateFor(key: string, state: RunState): void {
    trainingFeed.publishRunState(key, state);
    void vscode.commands.executeCommand('setContext', 'layerwise.trainingState', state);
  }

  private target(arg?: unknown): ActiveRun | undefined {
    const run = this.active;
    if (!run) {
      void vscode.window.showInformationMessage('Layerwise: no training run is in progress.');
      return undefined;
    }
    const uri = arg instanceof vscode.Uri ? arg : undefined;
    if (uri && uri.toString() !== run.key) {
      void vscode.window.showInformationMessage(`Layerwise: ${path.basename(uri.fsPath)} is not training (${path.basename(run.model.fsPath)} is).`);
      return undefined;
    }
    return run;
  }

  async pause(arg?: unknown): Promise<void> {
    const run = this.target(arg);
    if (run) await this.control(run, 'pause');
  }

  async resume(arg?: unknown): Promise<void> {
    const run = this.target(arg);
    if (run) await this.control(run, 'resume');
  }

  /** Stops after the current step; the engine saves last.ckpt first. */
  async stop(arg?: unknown): Promise<void> {
    const run = this.target(arg);
    if (!run) return;
    run.stopping = true;
    this.setState('stopping');
    run.session.state = 'stopping';
    this.changes.fire({ model: run.key, session: run.session, change: { state: true }, runId: run.runId });
    await this.control(run, 'stop');
  }

  private async control(run: ActiveRun, type: 'pause' | 'resume' | 'stop'): Promise<void> {
    const outcome = await this.engine().request({ type });
    if (!outcome.ok) this.log.warn(`${type}: ${outcome.error.message}`);
    else if (!outcome.result.applied && this.active === run) this.log.warn(`${type}: the engine had no run to apply it to`);
  }

  /** Exports a checkpoint of the model as ONNX (the engine verifies it against the eval graph). */
  async exportOnnx(uri: vscode.Uri, checkpoint: string, out: string): Promise<void> {
    if (!requireTrust('Exporting (it loads a checkpoint)')) return;
    const document = await vscode.workspace.openTextDocument(uri);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${path.basename(uri.fsPath)} to ONNX` }, () =>
      this.engine().request({ type: 'export', modelPath: uri.fsPath, text: document.getText(), checkpoint, out, options: { workspace: workspaceOf(uri) } }),
    );
    if (!result.ok) {
      this.log.error(`export: ${result.error.message}`);
      void vscode.window.showErrorMessage(`Layerwise: export failed: ${result.error.message}`);
      return;
    }
    const r = result.result;
    this.log.info(`Exported ${r.path} (${r.bytes} bytes); largest difference from the eval graph over ${r.samples} samples: ${r.maxAbsDiff.toExponential(2)}`);
    const reveal = 'Reveal in Explorer';
    const pick = await vscode.window.showInformationMessage(`Layerwise: exported ${path.basename(r.path)} (${(r.bytes / 1024).toFixed(1)} KiB, verified: max difference ${r.maxAbsDiff.toExponential(1)}).`, reveal);
    if (pick === reveal) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(r.path));
  }

  clearGradients(arg?: unknown): void {
    const uri = this.resolveModel(arg);
    const keys = uri ? [uri.toString()] : [...this.sessions.keys()];
    for (const key of keys) {
      if (this.active?.key === key) continue; // a live run keeps publishing
      this.sessions.delete(key);
      trainingFeed.clearGradients(key);
    }
  }

  dispose(): void {
    const client = this.client;
    this.client = undefined;
    void client?.dispose();
    this.changes.dispose();
    this.runsChanged.dispose();
    this.activeChanged.dispose();
    this.log.dispose();
  }
}
