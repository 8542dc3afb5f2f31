// Small helpers for the in-editor suites: polling for asynchronous editor state and opening model
// files from the test workspace (a fresh copy of examples/).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'layerwise.layerwise';

/** Polls `probe` until it returns something other than undefined, or fails saying what it waited for. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') throw new Error('The suite needs a folder on disk opened as the workspace.');
  return folder.uri.fsPath;
}

/** Reads a model from the workspace (the copied examples). */
export function readWorkspaceFile(name: string): string {
  return fs.readFileSync(path.join(workspaceDir(), name), 'utf8');
}

/** Writes `text` to a new file in the workspace and opens it in an editor. */
export async function openNewModel(name: string, text: string): Promise<vscode.TextEditor> {
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, text);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(document);
}

export async function openWorkspaceModel(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceDir(), name)));
  return vscode.window.showTextDocument(document);
}

/** Layerwise's problems for a document. */
export function layerwiseProblems(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Layerwise');
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

export function completionLabel(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}
