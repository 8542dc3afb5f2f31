// "Layerwise: Check Model": analyses the active model file and writes its problems and the
// summary table (the CLI's format) to the Layerwise output.
import * as vscode from 'vscode';
import type { AnalysisCache } from './analysisCache';
import type { DiagnosticsController } from './diagnosticsController';
import { loadCliFormat } from './lazy';
import { layerwiseLog } from './outputChannel';
import { isModelDocument } from './settings';

export function checkModel(cache: AnalysisCache, diagnostics: DiagnosticsController): void {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || !isModelDocument(document)) {
    void vscode.window.showWarningMessage('Layerwise: open a model file (*.nn.yaml) to check it.');
    return;
  }
  const { formatDiagnostics, formatSummary } = loadCliFormat();
  const result = cache.get(document);
  diagnostics.refreshNow(document);
  const log = layerwiseLog();
  const file = document.uri.scheme === 'file' ? vscode.workspace.asRelativePath(document.uri) : document.uri.toString();
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
  log.info(`Check ${file}: ${errors} error(s), ${warnings} warning(s).`);
  const lines = formatDiagnostics(file, document.getText(), result.diagnostics);
  result.diagnostics.forEach((d, i) => {
    if (d.severity === 'error') log.error(lines[i]);
    else if (d.severity === 'warning') log.warn(lines[i]);
    else log.info(lines[i]);
  });
  if (result.summary) {
    const name = typeof result.model?.name?.value === 'string' ? result.model.name.value : file;
    log.info(`\n${formatSummary(result.summary, name)}`);
  }
  log.show(true);
  const verdict = errors > 0 ? `${errors} error(s)` : warnings > 0 ? `no errors, ${warnings} warning(s)` : 'no problems';
  vscode.window.setStatusBarMessage(`Layerwise: ${verdict} in ${file}`, 5000);
}
