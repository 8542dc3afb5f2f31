// The lenses above a model (on its first line): ▶ Train (or Pause / Stop while it trains),
// Export ONNX, and Explain when some part of the extension provides `layerwise.explain`.
import * as vscode from 'vscode';
import type { TrainingController } from './controller';

export const EXPLAIN_COMMAND = 'layerwise.explain';

export class TrainingCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly controller: TrainingController) {
    this.disposables.push(
      controller.onActiveChange(() => this.changed.fire()),
      controller.onSessionChange((e) => {
        if (e.change.state && (e.session.state === 'paused' || e.session.state === 'running')) this.changed.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    );
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const top = new vscode.Range(0, 0, 0, 0);
    const uri = document.uri;
    const lenses: vscode.CodeLens[] = [];
    const active = this.controller.current;
    if (!vscode.workspace.isTrusted) {
      lenses.push(new vscode.CodeLens(top, { title: '$(shield) Training is off in Restricted Mode', command: 'workbench.trust.manage', tooltip: 'Training reads data files and checkpoints; trust this workspace to enable it.' }));
    } else if (active?.key === uri.toString()) {
      const paused = active.session.state === 'paused';
      lenses.push(
        new vscode.CodeLens(top, paused ? { title: '$(debug-continue) Resume', command: 'layerwise.resumeTraining', arguments: [uri] } : { title: '$(debug-pause) Pause', command: 'layerwise.pauseTraining', arguments: [uri] }),
        new vscode.CodeLens(top, { title: '$(debug-stop) Stop', command: 'layerwise.stopTraining', arguments: [uri], tooltip: 'Stop after this step and save last.ckpt' }),
        new vscode.CodeLens(top, { title: 'Dashboard', command: 'layerwise.openDashboard', arguments: [uri] }),
      );
    } else {
      lenses.push(new vscode.CodeLens(top, { title: '▶ Train', command: 'layerwise.train', arguments: [uri], tooltip: 'Train this model (runs in a separate worker process)' }));
    }
    if (vscode.workspace.isTrusted && active?.key !== uri.toString()) lenses.push(new vscode.CodeLens(top, { title: 'Export ONNX', command: 'layerwise.exportOnnx', arguments: [uri] }));
    const commands = await vscode.commands.getCommands(true);
    if (commands.includes(EXPLAIN_COMMAND)) lenses.push(new vscode.CodeLens(top, { title: 'Explain', command: EXPLAIN_COMMAND, arguments: [uri] }));
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
