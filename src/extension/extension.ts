// Entry point of the Layerwise extension host. Activation only wires features up; each feature
// registers its own providers, commands and views, and loads its heavy parts on first use.
import type * as vscode from 'vscode';
import { registerLanguageFeatures } from './languageFeatures';
import { registerGraphEditor } from './graph/registerGraphEditor';
import { registerTraining } from './training/register';
import { registerExplain } from './explain/register';

export function activate(context: vscode.ExtensionContext): void {
  const cache = registerLanguageFeatures(context);
  registerGraphEditor(context, cache);
  registerTraining(context);
  registerExplain(context);
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
