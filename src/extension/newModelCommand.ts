// "Layerwise: New Model from Template": pick a template, name the file, write it into the
// workspace (asking before replacing a file) and open it.
import * as vscode from 'vscode';
import type { ModelTemplate } from '../language/templates';
import { loadTemplates as loadTemplateModule } from './lazy';
import { layerwiseLog } from './outputChannel';
import { LANGUAGE_ID } from './settings';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The folder a new model goes into: the active file's folder when it is in the workspace, else a workspace folder. */
async function targetFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) return undefined;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && vscode.workspace.getWorkspaceFolder(active)) return vscode.Uri.joinPath(active, '..');
  if (folders.length === 1) return folders[0].uri;
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder for the new model file' });
  return picked?.uri;
}

async function pickTemplate(extensionUri: vscode.Uri): Promise<ModelTemplate | undefined> {
  const { templates, problems } = loadTemplateModule().loadTemplates(vscode.Uri.joinPath(extensionUri, 'templates').fsPath);
  for (const p of problems) layerwiseLog().warn(p);
  if (templates.length === 0) {
    void vscode.window.showErrorMessage('Layerwise: no model templates could be read; see the Layerwise output for details.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    templates.map((t) => ({ label: t.label, description: t.detail, detail: t.description, template: t })),
    { placeHolder: 'Template for the new model', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.template;
}

export async function newModelFromTemplate(extensionUri: vscode.Uri): Promise<void> {
  const { freeFileName, instantiateTemplate, modelFileName, modelNameOf } = loadTemplateModule();
  const template = await pickTemplate(extensionUri);
  if (!template) return;
  const folder = await targetFolder();
  const stem = modelNameOf(template.file);
  if (!folder) {
    // No folder open: an untitled document the user can save anywhere.
    const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: template.text });
    await vscode.window.showTextDocument(doc);
    return;
  }
  const initial = freeFileName(stem, () => false);
  const input = await vscode.window.showInputBox({
    title: `New ${template.label} model`,
    prompt: `File name in ${vscode.workspace.asRelativePath(folder, true) || folder.fsPath}`,
    value: initial,
    valueSelection: [0, initial.length - '.nn.yaml'.length],
    validateInput: async (value) => {
      const checked = modelFileName(value);
      if ('error' in checked) return checked.error;
      if (await exists(vscode.Uri.joinPath(folder, checked.fileName))) {
        return { message: `${checked.fileName} already exists; you will be asked before it is replaced.`, severity: vscode.InputBoxValidationSeverity.Warning };
      }
      return undefined;
    },
  });
  if (input === undefined) return;
  const checked = modelFileName(input);
  if ('error' in checked) {
    void vscode.window.showErrorMessage(`Layerwise: ${checked.error}`);
    return;
  }
  const target = vscode.Uri.joinPath(folder, checked.fileName);
  if (await exists(target)) {
    const answer = await vscode.window.showWarningMessage(
      `${checked.fileName} already exists. Replace it with the ${template.label} template?`,
      { modal: true },
      'Replace',
    );
    if (answer !== 'Replace') return;
  }
  const text = instantiateTemplate(template, modelNameOf(checked.fileName));
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  } catch (e) {
    void vscode.window.showErrorMessage(`Layerwise: could not write ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  await vscode.window.showTextDocument(target);
}
