// The status-bar item of the run in progress (epoch / step / loss), at a bounded update rate;
// after the run it shows the outcome until the next run. Clicking opens the dashboard.
import * as path from 'path';
import * as vscode from 'vscode';
import type { TrainingController } from './controller';
import { RateLimiter } from './rateLimiter';
import { thresholds } from './thresholds';
import type { TrainingSession } from './trainingSession';

const ICONS = { starting: '$(loading~spin)', running: '$(pulse)', paused: '$(debug-pause)', stopping: '$(loading~spin)', idle: '$(check)' } as const;

export function statusLine(model: string, session: TrainingSession): string {
  if (session.state === 'idle' && session.done) {
    const d = session.done;
    const best = d.best ? ` · best ${d.best.monitor} ${d.best.value.toFixed(4)}` : '';
    return `${d.reason === 'nonfinite' ? '$(error)' : ICONS.idle} ${model}: ${d.reason.replace('_', ' ')} after ${d.epochs} epochs${best}`;
  }
  return `${ICONS[session.state]} ${model}: ${session.state === 'paused' ? 'paused · ' : session.state === 'stopping' ? 'stopping · ' : ''}${session.statusText()}`;
}

export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('layerwise.training', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];
  private readonly limiter: RateLimiter<{ model: string; session: TrainingSession; uri: string }>;

  constructor(controller: TrainingController) {
    this.item.name = 'Layerwise Training';
    this.limiter = new RateLimiter(thresholds.rates.statusUpdatesPerSecond, (v) => this.render(v.model, v.session, v.uri));
    this.disposables.push(
      controller.onSessionChange((e) => {
        if (!e.change.state) return;
        const name = path.basename(vscode.Uri.parse(e.model).fsPath).replace(/\.nn\.ya?ml$/, '');
        this.limiter.push({ model: name, session: e.session, uri: e.model });
        if (e.session.state === 'idle') this.limiter.flushNow();
      }),
    );
  }

  private render(model: string, session: TrainingSession, uri: string): void {
    this.item.text = statusLine(model, session);
    const live = session.state !== 'idle';
    this.item.tooltip = new vscode.MarkdownString(
      `**Layerwise training** — ${model}\n\n${session.statusText()}\n\n${live ? 'Click to open the dashboard. Pause, Resume and Stop are in the command palette and the editor title.' : 'Click to open the charts of this run.'}`,
    );
    this.item.command = { title: 'Open Dashboard', command: 'layerwise.openDashboard', arguments: [vscode.Uri.parse(uri)] };
    this.item.show();
  }

  dispose(): void {
    this.limiter.cancel();
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
