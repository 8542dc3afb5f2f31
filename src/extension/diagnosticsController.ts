// Keeps the Problems of open model files up to date: re-checks a document after a pause in typing
// (debounced per document), and clears its problems when it is closed.
import * as vscode from 'vscode';
import { Debouncer } from '../language/debouncer';
import { toEditorDiagnostics, type EditorDiagnostic } from '../language/diagnostics';
import type { AnalysisCache } from './analysisCache';
import { toVsRange, toVsSeverity } from './convert';
import { layerwiseLog } from './outputChannel';
import { isModelDocument, readSettings } from './settings';

export const DIAGNOSTIC_SOURCE = 'Layerwise';

/** Schemes of editable documents; read-only views (git history, diffs of old versions) get no problems. */
const checkedSchemes = new Set(['file', 'untitled', 'vscode-vfs', 'vscode-remote']);

function checked(document: vscode.TextDocument): boolean {
  return isModelDocument(document) && checkedSchemes.has(document.uri.scheme);
}

export class DiagnosticsController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('layerwise');
  private readonly debouncer: Debouncer<string>;
  /** The problems (with their fixes) last shown per document, for the code actions. */
  private readonly shown = new Map<string, { version: number; diagnostics: EditorDiagnostic[] }>();
  private enabled: boolean;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly cache: AnalysisCache) {
    const settings = readSettings();
    this.enabled = settings.validationEnabled;
    this.debouncer = new Debouncer<string>(settings.debounceMs);
    this.subscriptions.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.refreshNow(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('layerwise')) return;
        const s = readSettings();
        this.debouncer.setDelay(s.debounceMs);
        if (s.validationEnabled !== this.enabled) {
          this.enabled = s.validationEnabled;
          this.refreshAll();
        }
      }),
    );
    // Documents already open are checked after activation returns, not during it.
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  /** Problems of the document as last shown, when they are for its current version. */
  problemsOf(document: vscode.TextDocument): EditorDiagnostic[] | undefined {
    const s = this.shown.get(document.uri.toString());
    return s && s.version === document.version ? s.diagnostics : undefined;
  }

  private refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.refreshNow(d);
  }

  private schedule(document: vscode.TextDocument): void {
    if (!checked(document)) return;
    const key = document.uri.toString();
    this.debouncer.schedule(key, () => this.refreshNow(document));
  }

  /** Checks the document now and publishes its problems. */
  refreshNow(document: vscode.TextDocument): void {
    if (!checked(document)) return;
    const key = document.uri.toString();
    this.debouncer.cancel(key);
    if (!this.enabled || document.isClosed) {
      this.collection.delete(document.uri);
      this.shown.delete(key);
      return;
    }
    let problems: EditorDiagnostic[];
    try {
      problems = toEditorDiagnostics(document.getText(), this.cache.get(document).diagnostics);
    } catch (e) {
      // The analyser does not throw on bad input; this is a bug, reported where it can be seen.
      layerwiseLog().error(`Checking ${document.uri.toString()} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return;
    }
    this.shown.set(key, { version: document.version, diagnostics: problems });
    this.collection.set(
      document.uri,
      problems.map((p) => {
        const d = new vscode.Diagnostic(toVsRange(p.range), p.message, toVsSeverity(p.severity));
        d.source = DIAGNOSTIC_SOURCE;
        d.code = p.code;
        return d;
      }),
    );
  }

  private clear(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.debouncer.cancel(key);
    this.collection.delete(document.uri);
    this.shown.delete(key);
    this.cache.forget(document);
  }

  dispose(): void {
    this.debouncer.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.shown.clear();
  }
}
