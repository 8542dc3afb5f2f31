// Quick fixes for the problems in model files (the fixes the analysis attaches to diagnostics).
import * as vscode from 'vscode';
import { toEditorDiagnostics } from '../language/diagnostics';
import { quickFixesAt } from '../language/quickfix';
import type { AnalysisCache } from './analysisCache';
import { fromVsRange, toVsRange } from './convert';
import { DIAGNOSTIC_SOURCE, type DiagnosticsController } from './diagnosticsController';

export class ModelCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly cache: AnalysisCache,
    private readonly diagnostics: DiagnosticsController,
  ) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const problems =
      this.diagnostics.problemsOf(document) ?? toEditorDiagnostics(document.getText(), this.cache.get(document).diagnostics);
    return quickFixesAt(problems, fromVsRange(range)).map((fix) => {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const e of fix.edits) edit.replace(document.uri, toVsRange(e.range), e.newText);
      action.edit = edit;
      action.isPreferred = fix.preferred;
      // Link the action to the problem shown in the editor, so it appears in its light bulb.
      const problem = problems[fix.diagnostic];
      const shown = context.diagnostics.find(
        (d) => d.source === DIAGNOSTIC_SOURCE && d.message === problem.message && d.range.isEqual(toVsRange(problem.range)),
      );
      if (shown) action.diagnostics = [shown];
      return action;
    });
  }
}
