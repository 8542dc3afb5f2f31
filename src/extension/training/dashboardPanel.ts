// The "Layerwise: Training" webview: live charts of the run in progress and of past runs of the
// same model, with overlays for comparison. The host sends the live run's new points in batches
// (at most `dashboardUpdatesPerSecond`); the webview redraws once per animation frame.
import { webviewPageHtml } from '../webviewPage';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DashboardToHost, EpochPoint, GradPoint, HostToDashboard, RunData, RunSummary, StepPoint } from '../../webview-protocol/dashboard';
import type { TrainingController } from './controller';
import { documentModelInfo } from './modelInfo';
import { RateLimiter } from './rateLimiter';
import { readRunData, runDetail, runLabel, runsOfModel, type RunRecord } from './runIndex';
import type { RunsTreeProvider } from './runsTree';
import { thresholds } from './thresholds';

interface Pending {
  steps: StepPoint[];
  epochs: EpochPoint[];
  grads: GradPoint[];
}

const combine = (a: Pending | undefined, b: Pending): Pending => (a ? { steps: a.steps.concat(b.steps), epochs: a.epochs.concat(b.epochs), grads: a.grads.concat(b.grads) } : b);

export class DashboardPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private model: { uri: vscode.Uri; key: string; name: string } | undefined;
  /** The run drawn as the main one; undefined: the live (or last live) run, else the newest. */
  private selected: string | undefined;
  private readonly overlays = new Set<string>();
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly appends: RateLimiter<Pending>;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: TrainingController,
    private readonly runs: RunsTreeProvider,
  ) {
    this.appends = new RateLimiter(thresholds.rates.dashboardUpdatesPerSecond, (p) => this.flush(p), combine);
    this.disposables.push(
      controller.onSessionChange((e) => {
        if (!this.model || e.model !== this.model.key || !this.showsLive()) return;
        const c = e.change;
        if (c.steps || c.epochs || c.grads || c.state) this.appends.push({ steps: c.steps ?? [], epochs: c.epochs ?? [], grads: c.grads ?? [] });
        if (e.session.state === 'idle') this.appends.flushNow();
      }),
      controller.onActiveChange((run) => {
        // A new run of the shown model becomes the main one; its first points arrive with `started`.
        if (run && this.model?.key === run.key) {
          this.selected = undefined;
          this.sendShow();
        }
      }),
      controller.onRunsChanged(() => {
        if (this.model && !this.controller.current) this.sendShow();
      }),
    );
  }

  /** The shown model's live session, when the main run is that session. */
  private showsLive(): boolean {
    if (!this.model) return false;
    const session = this.controller.sessionFor(this.model.key);
    if (!session) return false;
    const live = this.controller.current?.key === this.model.key ? this.controller.current.runId : undefined;
    return this.selected === undefined || this.selected === live;
  }

  get visibleModel(): string | undefined {
    return this.panel ? this.model?.key : undefined;
  }

  /** Shows the charts of `uri`'s model: `runId`, else its live or newest run. */
  async show(uri: vscode.Uri, runId?: string, fallbackName?: string): Promise<void> {
    let name = fallbackName ?? path.basename(uri.fsPath).replace(/\.nn\.ya?ml$/i, '');
    try {
      name = documentModelInfo(await vscode.workspace.openTextDocument(uri)).name;
    } catch {
      // The model file was moved or deleted: its runs are still worth showing.
    }
    this.model = { uri, key: uri.toString(), name };
    this.selected = runId;
    this.overlays.clear();
    if (!this.panel) this.create();
    else this.panel.reveal(undefined, true);
    this.panel!.title = `Layerwise: Training — ${path.basename(uri.fsPath)}`;
    if (this.ready) this.sendShow();
  }

  private create(): void {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel('layerwise.dashboard', 'Layerwise: Training', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [dist],
    });
    this.panel = panel;
    this.ready = false;
    panel.webview.html = this.html(panel.webview, dist);
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      this.appends.cancel();
    });
    panel.webview.onDidReceiveMessage((m: DashboardToHost) => this.onMessage(m));
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    return webviewPageHtml({
      cspSource: webview.cspSource,
      script: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'dashboard.js')).toString(),
      style: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'dashboard.css')).toString(),
      title: 'Layerwise: Training',
      rootId: 'app',
      rootAttributes: { 'aria-live': 'polite' },
    });
  }

  private post(message: HostToDashboard): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private modelRuns(): RunRecord[] {
    if (!this.model) return [];
    return runsOfModel(
      this.runs.allRuns().map((r) => r.run),
      this.model.uri.fsPath,
      this.model.name,
    );
  }

  private summary(r: RunRecord): RunSummary {
    return { id: r.id, label: runLabel(r.timestamp), detail: runDetail(r), live: this.controller.current?.runId === r.id };
  }

  private mainData(runs: RunRecord[]): RunData | undefined {
    const key = this.model!.key;
    const session = this.controller.sessionFor(key);
    const live = this.controller.current?.key === key ? this.controller.current : undefined;
    const sessionRun = live?.runId ?? (session?.started ? `${path.basename(path.dirname(session.started.runDir))}/${path.basename(session.started.runDir)}` : undefined);
    if (session && (this.selected === undefined || this.selected === sessionRun)) {
      return session.series.data(sessionRun ?? 'live', `${sessionRun ? runLabel(path.basename(sessionRun)) : 'starting'}${live ? ' (live)' : ''}`);
    }
    const chosen = runs.find((r) => r.id === this.selected) ?? runs[0];
    return chosen ? readRunData(chosen) : undefined;
  }

  private sendShow(): void {
    if (!this.model || !this.ready) return;
    const runs = this.modelRuns();
    const overlays = runs.filter((r) => this.overlays.has(r.id)).map(readRunData);
    const session = this.controller.sessionFor(this.model.key);
    this.appends.cancel();
    this.post({
      type: 'show',
      model: this.model.name,
      runs: runs.map((r) => this.summary(r)),
      main: this.mainData(runs),
      overlays,
      state: this.controller.current?.key === this.model.key ? (session?.state ?? 'idle') : 'idle',
      status: session ? session.statusText() : '',
    });
  }

  private flush(p: Pending): void {
    if (!this.model) return;
    const session = this.controller.sessionFor(this.model.key);
    const live = this.controller.current?.key === this.model.key ? this.controller.current : undefined;
    const runId = live?.runId ?? (session?.started ? `${path.basename(path.dirname(session.started.runDir))}/${path.basename(session.started.runDir)}` : 'live');
    if (p.steps.length || p.epochs.length || p.grads.length) this.post({ type: 'append', runId, steps: p.steps, epochs: p.epochs, grads: p.grads });
    this.post({ type: 'state', state: live ? (session?.state ?? 'idle') : 'idle', status: session?.statusText() ?? '' });
  }

  private onMessage(m: DashboardToHost): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendShow();
        return;
      case 'overlay': {
        if (!m.on) {
          this.overlays.delete(m.runId);
          return;
        }
        this.overlays.add(m.runId);
        const run = this.modelRuns().find((r) => r.id === m.runId);
        if (run) this.post({ type: 'overlay', run: readRunData(run) });
        return;
      }
      case 'select':
        this.selected = m.runId;
        this.overlays.delete(m.runId);
        this.sendShow();
        return;
      case 'control': {
        const uri = this.model?.uri;
        const command = { train: 'layerwise.train', pause: 'layerwise.pauseTraining', resume: 'layerwise.resumeTraining', stop: 'layerwise.stopTraining' }[m.action];
        void vscode.commands.executeCommand(command, uri);
        return;
      }
    }
  }

  dispose(): void {
    this.appends.cancel();
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
