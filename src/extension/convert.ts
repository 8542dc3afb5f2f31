// Conversions between the language logic's plain ranges and VS Code's.
import * as vscode from 'vscode';
import type { Range } from '../model/types';
import type { LineRange } from '../language/diagnostics';

export function toVsRange(r: LineRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function fromVsRange(r: vscode.Range): LineRange {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

/** An offset range of the document as a VS Code range. */
export function offsetsToVsRange(document: vscode.TextDocument, r: Range): vscode.Range {
  return new vscode.Range(document.positionAt(r.start), document.positionAt(r.end));
}

export function toVsSeverity(s: 'error' | 'warning' | 'info' | 'hint'): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
  }
}
