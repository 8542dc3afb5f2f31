// One analysis per document version, shared by diagnostics, hovers, completion, the outline and
// code actions. The analyser is loaded on first use, not at activation.
import type * as vscode from 'vscode';
import type { AnalysisResult } from '../analysis/types';
import { loadAnalyzer } from './lazy';

interface Entry {
  version: number;
  result: AnalysisResult;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();

  /** The analysis of the document as it is now (computed when the cached one is older). */
  get(document: vscode.TextDocument): AnalysisResult {
    const key = document.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.version === document.version) return cached.result;
    const { analyzeModel } = loadAnalyzer();
    const result = analyzeModel(document.getText());
    this.entries.set(key, { version: document.version, result });
    return result;
  }

  /** The last analysis of the document, whatever its version (for quick answers while typing). */
  latest(document: vscode.TextDocument): AnalysisResult | undefined {
    return this.entries.get(document.uri.toString())?.result;
  }

  forget(document: vscode.TextDocument): void {
    this.entries.delete(document.uri.toString());
  }

  clear(): void {
    this.entries.clear();
  }
}
