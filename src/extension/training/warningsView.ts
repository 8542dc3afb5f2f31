// Warnings of a run where people look: a notification, and a diagnostic on the model line it is
// about (the layer, or the section key). A NaN/Inf stop offers to lower the learning rate, which
// edits `optimizer.lr` in the file. Diagnostics of a model are replaced when its next run starts.
import * as vscode from 'vscode';
import type { TrainingController } from './controller';
import { setOptimizerLr } from './lrEdit';
import { anchorLineOf } from './anchors';
import { documentModelInfo } from './modelInfo';
import type { SessionWarning } from './trainingSession';

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;

export class TrainingWarnings implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('layerwise-training');
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly controller: TrainingController) {
    this.disposables.push(
      controller.onActiveChange((run) => {
        if (run) this.collection.delete(run.model);
      }),
      controller.onSessionChange((e) => {
        for (const w of e.change.warnings ?? []) void this.raise(vscode.Uri.parse(e.model), w);
      }),
    );
  }

  private async raise(uri: vscode.Uri, w: SessionWarning): Promise<void> {
    let document: vscode.TextDocument | undefined;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch {
      document = undefined;
    }
    if (document) {
      const line = anchorLineOf(documentModelInfo(document), w.anchor);
      if (line !== undefined && line < document.lineCount) {
        const text = document.lineAt(line);
        const d = new vscode.Diagnostic(new vscode.Range(line, text.firstNonWhitespaceCharacterIndex, line, text.range.end.character), w.message, SEVERITY[w.severity]);
        d.source = 'Layerwise Training';
        d.code = w.code;
        this.collection.set(uri, [...(this.collection.get(uri) ?? []), d]);
      }
    }
    const actions: string[] = [];
    const lower = w.suggestLr !== undefined ? `Lower Learning Rate to ${w.suggestLr}` : undefined;
    if (lower) actions.push(lower);
    if (w.code === 'overfitting') actions.push('Open Dashboard');
    const show = w.severity === 'error' ? vscode.window.showErrorMessage : w.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const pick = await show(`Layerwise: ${w.message}`, ...actions);
    if (pick && pick === lower && document) await this.lowerLr(document, w.suggestLr!);
    if (pick === 'Open Dashboard') void vscode.commands.executeCommand('layerwise.openDashboard', uri);
  }

  /** Edits `optimizer.lr` in the document (unsaved, so the user sees and can undo it). */
  async lowerLr(document: vscode.TextDocument, lr: number): Promise<boolean> {
    const info = documentModelInfo(document);
    const r = setOptimizerLr(document.getText(), lr, info.optimizerType ?? 'adam');
    if (!r.ok) {
      void vscode.window.showErrorMessage(`Layerwise: cannot set the learning rate: ${r.error}`);
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(r.edit.range.start), document.positionAt(r.edit.range.end)), r.edit.newText);
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok) {
      this.collection.delete(document.uri);
      const editor = await vscode.window.showTextDocument(document);
      const at = document.positionAt(r.edit.range.start);
      editor.revealRange(new vscode.Range(at, at));
    }
    return ok;
  }

  dispose(): void {
    this.collection.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
