// Completion in model files: layer kinds, parameters, values, layer ids, sections.
import * as vscode from 'vscode';
import type { CompletionEntry, CompletionKind } from '../language/completion';
import type { AnalysisCache } from './analysisCache';
import { offsetsToVsRange } from './convert';
import { loadCompletion } from './lazy';

/** `:` opens values after a key; a space after `key:`, `- ` or `,` does too. */
export const completionTriggers = [':', ' '];

const kinds: Record<CompletionKind, vscode.CompletionItemKind> = {
  layerKind: vscode.CompletionItemKind.Class,
  newLayer: vscode.CompletionItemKind.Snippet,
  key: vscode.CompletionItemKind.Property,
  section: vscode.CompletionItemKind.Module,
  value: vscode.CompletionItemKind.EnumMember,
  layerRef: vscode.CompletionItemKind.Reference,
};

export class ModelCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly cache: AnalysisCache) {}

  provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _token: vscode.CancellationToken,
    context: vscode.CompletionContext,
  ): vscode.CompletionItem[] | undefined {
    const { completionsAt, wantsCompletionAfter } = loadCompletion();
    const text = document.getText();
    const offset = document.offsetAt(position);
    if (context.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter && !wantsCompletionAfter(text, offset)) return undefined;
    // Shapes in the details come from the last analysis; completion must not wait for a new one.
    const entries = completionsAt(text, offset, this.cache.latest(document));
    return entries.map((e) => toItem(document, e));
  }
}

function toItem(document: vscode.TextDocument, e: CompletionEntry): vscode.CompletionItem {
  const item = new vscode.CompletionItem(e.label, kinds[e.kind]);
  item.insertText = e.snippet ? new vscode.SnippetString(e.insertText) : e.insertText;
  // The language logic writes absolute indentation into multi-line snippets; VS Code must not add its own.
  item.keepWhitespace = true;
  item.range = offsetsToVsRange(document, e.replace);
  item.detail = e.detail;
  if (e.documentation) item.documentation = new vscode.MarkdownString(e.documentation);
  item.sortText = e.sortText;
  if (e.retrigger) item.command = { command: 'editor.action.triggerSuggest', title: 'Suggest' };
  return item;
}
