// Entry point of the Layerwise extension host: the language features for *.nn.yaml files and the
// commands. Activation only wires things up; the analyser and the language logic load on first use.
import * as vscode from 'vscode';
import { AnalysisCache } from './analysisCache';
import { checkModel } from './checkModelCommand';
import { ModelCodeActionProvider } from './codeActionProvider';
import { completionTriggers, ModelCompletionProvider } from './completionProvider';
import { DiagnosticsController } from './diagnosticsController';
import { ModelHoverProvider } from './hoverProvider';
import { newModelFromTemplate } from './newModelCommand';
import { disposeLayerwiseLog } from './outputChannel';
import { selector } from './settings';
import { ModelSymbolProvider } from './symbolProvider';

export function activate(context: vscode.ExtensionContext): void {
  const cache = new AnalysisCache();
  const diagnostics = new DiagnosticsController(cache);
  context.subscriptions.push(
    diagnostics,
    vscode.languages.registerHoverProvider(selector, new ModelHoverProvider(cache)),
    vscode.languages.registerCompletionItemProvider(selector, new ModelCompletionProvider(cache), ...completionTriggers),
    vscode.languages.registerDocumentSymbolProvider(selector, new ModelSymbolProvider(cache), { label: 'Layerwise' }),
    vscode.languages.registerCodeActionsProvider(selector, new ModelCodeActionProvider(cache, diagnostics), ModelCodeActionProvider.metadata),
    vscode.commands.registerCommand('layerwise.newModelFromTemplate', () => newModelFromTemplate(context.extensionUri)),
    vscode.commands.registerCommand('layerwise.checkModel', () => checkModel(cache, diagnostics)),
    { dispose: () => cache.clear() },
    { dispose: disposeLayerwiseLog },
  );
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
