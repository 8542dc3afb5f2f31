// Restricted Mode: training reads data files and loads checkpoints named by a model file, which
// may come from an untrusted repository, so it only runs in a trusted workspace. Viewing and
// editing models, charts of past runs and the Runs view keep working.
import * as vscode from 'vscode';

export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  void vscode.window
    .showWarningMessage(
      `Layerwise: ${what} is disabled in Restricted Mode. Training reads the data files and checkpoints a model names, which an untrusted folder could use against you; trust this workspace to enable it. Viewing and editing models still work.`,
      manage,
    )
    .then((pick) => {
      if (pick === manage) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
