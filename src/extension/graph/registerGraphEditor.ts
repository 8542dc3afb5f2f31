// Wires the graph editor into VS Code: the custom editor, the "Open Graph Editor" command (also an
// editor-title button of model files) and the `layerwise.graph.openByDefault` setting, which makes
// the graph the default editor of *.nn.yaml files through VS Code's own editor associations.
import * as vscode from 'vscode';
import type { AnalysisCache } from '../analysisCache';
import { layerwiseLog } from '../outputChannel';
import { isModelDocument } from '../settings';
import { GRAPH_VIEW_TYPE, GraphEditorProvider } from './graphEditorProvider';

const MODEL_PATTERN = '*.nn.yaml';

/** `cache` is the analysis shared with the language features: one analysis per document version. */
export function registerGraphEditor(context: vscode.ExtensionContext, cache: AnalysisCache): void {
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(GRAPH_VIEW_TYPE, new GraphEditorProvider(context.extensionUri, cache), {
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.commands.registerCommand('layerwise.openGraphEditor', (uri?: vscode.Uri) => openGraphEditor(uri)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('layerwise.graph.openByDefault')) void syncDefaultEditor();
    }),
  );
  void syncDefaultEditor();
}

/** Opens the graph of `uri` (or of the active model file) beside the text editor. */
async function openGraphEditor(uri?: vscode.Uri): Promise<void> {
  const active = vscode.window.activeTextEditor?.document;
  const target = uri instanceof vscode.Uri ? uri : active && isModelDocument(active) ? active.uri : undefined;
  if (!target) {
    void vscode.window.showInformationMessage('Layerwise: open a *.nn.yaml model file first, then run Open Graph Editor.');
    return;
  }
  await vscode.commands.executeCommand('vscode.openWith', target, GRAPH_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}

/**
 * Makes VS Code's `workbench.editorAssociations` agree with our setting at each scope (user and
 * workspace): where it is on, our *.nn.yaml entry is added; where it is off or unset, our entry is
 * taken away again (resetting the setting must not leave the graph as the default). Only our own
 * entry for *.nn.yaml is ever added or removed.
 */
async function syncDefaultEditor(): Promise<void> {
  const ours = vscode.workspace.getConfiguration('layerwise').inspect<boolean>('graph.openByDefault');
  const levels: [vscode.ConfigurationTarget, boolean | undefined, 'globalValue' | 'workspaceValue'][] = [
    [vscode.ConfigurationTarget.Global, ours?.globalValue, 'globalValue'],
    [vscode.ConfigurationTarget.Workspace, ours?.workspaceValue, 'workspaceValue'],
  ];
  for (const [target, value, key] of levels) {
    if (target === vscode.ConfigurationTarget.Workspace && !vscode.workspace.workspaceFolders?.length) continue;
    const workbench = vscode.workspace.getConfiguration('workbench');
    const current = { ...(workbench.inspect<Record<string, string>>('editorAssociations')?.[key] ?? {}) };
    const wanted = value === true;
    if (wanted === (current[MODEL_PATTERN] === GRAPH_VIEW_TYPE)) continue;
    if (wanted) current[MODEL_PATTERN] = GRAPH_VIEW_TYPE;
    else delete current[MODEL_PATTERN];
    try {
      await workbench.update('editorAssociations', Object.keys(current).length > 0 ? current : undefined, target);
    } catch (e) {
      layerwiseLog().warn(`Could not update workbench.editorAssociations: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
