// The "Layerwise Graph" custom editor of *.nn.yaml files. The TextDocument stays the model: the
// webview draws what the analyser says about its text and asks for semantic edits, which become
// one WorkspaceEdit each — so undo/redo, dirty state, save, hot exit and diffs are VS Code's own.
// Every change of the text (typed, undone, pasted) is sent back as a new graph.
import * as path from 'path';
import * as vscode from 'vscode';
import type { GraphEdit, GraphModel, GraphToHost, GraphViewState, HostToGraph } from '../../webview-protocol/graph';
import type { AnalysisCache } from '../analysisCache';
import { layerwiseLog } from '../outputChannel';
import { trainingFeed } from '../trainingFeed';
import { layerGradientNorms } from './gradients';
import { applyGraphEdit } from './graphEdits';
import { graphHtml } from './graphHtml';
import { buildGraphModel } from './graphView';

export const GRAPH_VIEW_TYPE = 'layerwise.graphEditor';

/** Timings the webview reported for its last render, per document (read by the in-editor tests). */
export const lastGraphRender = new Map<string, { version: number; nodes: number; layoutMs: number; totalMs: number; sinceChangeMs?: number }>();

export class GraphEditorProvider implements vscode.CustomTextEditorProvider {
  /** Per document: the view state its graph last reported, for when it is reopened in this window. */
  private readonly viewStates = new Map<string, GraphViewState>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly cache: AnalysisCache,
  ) {}

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const session = new GraphSession(document, panel, this.extensionUri, this.cache, this.viewStates);
    panel.onDidDispose(() => session.dispose());
  }
}

class GraphSession {
  private readonly disposables: vscode.Disposable[] = [];
  /**
   * Layer items as line spans of the version last sent, for cursor → layer lookups. By line, so a
   * cursor on an item's `- ` or its indentation (before the mapping's first key) is in that layer.
   */
  private layerLines: { id: string; first: number; last: number }[] = [];
  private model: GraphModel | undefined;
  private sendTimer: ReturnType<typeof setTimeout> | undefined;
  /** When each document version appeared, to report how long the graph took to follow. */
  private readonly changedAt = new Map<number, number>();
  private readonly key: string;

  constructor(
    private readonly document: vscode.TextDocument,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly cache: AnalysisCache,
    private readonly viewStates: Map<string, GraphViewState>,
  ) {
    this.key = document.uri.toString();
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [dist] };
    webview.html = graphHtml(
      webview.cspSource,
      {
        script: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview', 'graph.js')).toString(),
        style: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview', 'graph.css')).toString(),
      },
      `Graph of ${path.basename(document.fileName)}`,
      viewStates.has(this.key) ? JSON.stringify(viewStates.get(this.key)) : undefined,
    );
    this.disposables.push(
      webview.onDidReceiveMessage((m: GraphToHost) => void this.onMessage(m)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== document || e.contentChanges.length === 0) return;
        this.changedAt.set(document.version, Date.now());
        this.scheduleSend();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        // Only the user's own moves (not selections this editor set) follow into the graph.
        if (e.textEditor.document !== document || e.kind === undefined || e.kind === vscode.TextEditorSelectionChangeKind.Command) return;
        const line = e.selections[0].active.line;
        const layer = this.layerLines.filter((r) => line >= r.first && line <= r.last).pop();
        if (layer) this.post({ type: 'reveal', layer: layer.id });
      }),
      trainingFeed.onGradients((s) => {
        if (s.model !== this.key) return;
        this.post('cleared' in s ? { type: 'gradients', step: 0, layers: null } : { type: 'gradients', step: s.step, layers: layerGradientNorms(s.params) });
      }),
      trainingFeed.onRunState((s) => {
        if (s.model === this.key) this.post({ type: 'runState', state: s.state });
      }),
    );
  }

  private post(message: HostToGraph): void {
    void this.panel.webview.postMessage(message);
  }

  /** Several changes in one tick (a multi-cursor edit, an undo of a compound edit) make one graph. */
  private scheduleSend(): void {
    if (this.sendTimer) return;
    this.sendTimer = setTimeout(() => {
      this.sendTimer = undefined;
      this.sendModel();
    }, 0);
  }

  private sendModel(): void {
    const text = this.document.getText();
    const analysis = this.cache.get(this.document);
    this.layerLines = (analysis.model?.layers ?? []).map((l) => ({
      id: l.id,
      first: this.document.positionAt(l.range.start).line,
      // The character before the end: a range that takes the line break ends on its own line.
      last: this.document.positionAt(Math.max(l.range.start, l.range.end - 1)).line,
    }));
    this.model = buildGraphModel(text, analysis, path.basename(this.document.fileName), this.document.version);
    this.post({ type: 'model', model: this.model });
  }

  private async onMessage(m: GraphToHost): Promise<void> {
    switch (m?.type) {
      case 'ready': {
        this.sendModel();
        this.post({ type: 'runState', state: trainingFeed.runState(this.key) });
        const latest = trainingFeed.latestGradients(this.key);
        if (latest) this.post({ type: 'gradients', step: latest.step, layers: layerGradientNorms(latest.params) });
        break;
      }
      case 'edit':
        await this.edit(m.requestId, m.edit);
        break;
      case 'select':
        this.revealInText(m.layer);
        break;
      case 'viewState':
        if (m.state && typeof m.state === 'object') this.viewStates.set(this.key, m.state);
        break;
      case 'command':
        await this.command(m.command);
        break;
      case 'rendered': {
        const changed = this.changedAt.get(m.version);
        this.changedAt.delete(m.version);
        const sinceChangeMs = changed !== undefined ? Date.now() - changed : undefined;
        lastGraphRender.set(this.key, { version: m.version, nodes: m.nodes, layoutMs: m.layoutMs, totalMs: m.totalMs, sinceChangeMs });
        layerwiseLog().trace(`graph of ${this.document.fileName} v${m.version}: ${m.nodes} layers drawn in ${m.totalMs} ms (layout ${m.layoutMs} ms)${sinceChangeMs !== undefined ? `, ${sinceChangeMs} ms after the change` : ''}`);
        break;
      }
    }
  }

  private async edit(requestId: number, edit: GraphEdit): Promise<void> {
    const result = applyGraphEdit(this.document.getText(), edit);
    if (!result.ok) {
      this.post({ type: 'editResult', requestId, ok: false, error: result.error });
      return;
    }
    if (result.edits.length > 0) {
      const we = new vscode.WorkspaceEdit();
      for (const e of result.edits) {
        we.replace(this.document.uri, new vscode.Range(this.document.positionAt(e.range.start), this.document.positionAt(e.range.end)), e.newText);
      }
      const applied = await vscode.workspace.applyEdit(we);
      if (!applied) {
        this.post({ type: 'editResult', requestId, ok: false, error: 'VS Code did not apply the edit (is the file read-only?).' });
        return;
      }
    }
    this.post({ type: 'editResult', requestId, ok: true, select: result.select });
  }

  /** Moves the cursor of a visible text editor of this file to the layer, without taking focus. */
  private revealInText(layerId: string): void {
    const layer = this.model?.layers.find((l) => l.id === layerId);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === this.document);
    if (!layer || !editor) return;
    const line = this.document.lineAt(Math.min(layer.line, this.document.lineCount - 1));
    // The cursor goes to the item's first key, after the `- `.
    const col = /^\s*-?\s*/.exec(line.text)![0].length;
    const at = new vscode.Position(line.lineNumber, col);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async command(command: 'train' | 'stop' | 'showText'): Promise<void> {
    if (command === 'showText') {
      const visible = vscode.window.visibleTextEditors.find((e) => e.document === this.document);
      await vscode.window.showTextDocument(this.document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.Beside });
      return;
    }
    const id = command === 'train' ? 'layerwise.train' : 'layerwise.stopTraining';
    try {
      await vscode.commands.executeCommand(id, this.document.uri);
    } catch (e) {
      void vscode.window.showErrorMessage(`Layerwise: ${command === 'train' ? 'training' : 'stopping'} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    if (this.sendTimer) clearTimeout(this.sendTimer);
    for (const d of this.disposables) d.dispose();
  }
}
