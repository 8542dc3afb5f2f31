// Hovers in model files: layer shapes and costs, parameter and section docs.
import * as vscode from 'vscode';
import type { AnalysisCache } from './analysisCache';
import { offsetsToVsRange } from './convert';
import { loadHover } from './lazy';
import { readSettings } from './settings';

export class ModelHoverProvider implements vscode.HoverProvider {
  constructor(private readonly cache: AnalysisCache) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const { hoverAt } = loadHover();
    const analysis = this.cache.get(document);
    const hover = hoverAt(document.getText(), document.offsetAt(position), analysis, { showCosts: readSettings().showCosts });
    if (!hover) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(hover.markdown), offsetsToVsRange(document, hover.range));
  }
}
