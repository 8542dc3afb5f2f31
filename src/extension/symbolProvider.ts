// The outline of a model file: sections, and the layers with their output shapes.
import * as vscode from 'vscode';
import type { OutlineSymbol } from '../language/symbols';
import type { AnalysisCache } from './analysisCache';
import { offsetsToVsRange } from './convert';
import { loadSymbols } from './lazy';

function symbolKind(s: OutlineSymbol): vscode.SymbolKind {
  // A layer transforms its inputs, so it is shown as a function.
  if (s.kind === 'layer') return vscode.SymbolKind.Function;
  switch (s.name) {
    case 'layers':
    case 'outputs':
    case 'metrics':
      return vscode.SymbolKind.Array;
    case 'name':
    case 'description':
      return vscode.SymbolKind.String;
    default:
      return vscode.SymbolKind.Object;
  }
}

export class ModelSymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly cache: AnalysisCache) {}

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const { documentSymbols } = loadSymbols();
    const analysis = this.cache.get(document);
    const convert = (s: OutlineSymbol): vscode.DocumentSymbol => {
      const symbol = new vscode.DocumentSymbol(
        s.name,
        s.detail,
        symbolKind(s),
        offsetsToVsRange(document, s.range),
        offsetsToVsRange(document, s.selectionRange),
      );
      symbol.children = s.children.map(convert);
      return symbol;
    };
    return documentSymbols(document.getText(), analysis).map(convert);
  }
}
