// The language features for *.nn.yaml files: diagnostics, hover, completion, outline, quick
// fixes, and the two model commands. The analyser and the language logic load on first use.
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

/** Registers the language features; returns the analysis cache the other views share. */
export function registerLanguageFeatures(context: vscode.ExtensionContext): AnalysisCache {
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
  return cache;
}
