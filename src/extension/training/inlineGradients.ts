// Gradient numbers at the end of each layer's line in the text editor, coloured when they vanish
// or explode; hovering the line shows histograms of the layer's gradients and weights and the
// trend of its gradient norm. Updated from trainingFeed at most `decorationsPerSecond`; the last
// values stay after a run until the next run or "Clear Gradients".
import * as vscode from 'vscode';
import { isModelDocument } from '../settings';
import { trainingFeed } from '../trainingFeed';
import type { TrainingController } from './controller';
import { gradientHoverMarkdown, layerHistograms } from './histogramView';
import { decorationText, LEVEL_COLOR, layerGradients, type GradientLevel } from './layerGradients';
import { documentModelInfo } from './modelInfo';
import { RateLimiter } from './rateLimiter';
import { thresholds } from './thresholds';

const LEVELS: GradientLevel[] = ['ok', 'vanishing', 'exploding'];

export class InlineGradients implements vscode.Disposable, vscode.HoverProvider {
  private readonly types = new Map<GradientLevel, vscode.TextEditorDecorationType>();
  private readonly limiters = new Map<string, RateLimiter<string>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly controller: TrainingController) {
    for (const level of LEVELS) {
      this.types.set(
        level,
        vscode.window.createTextEditorDecorationType({
          after: { color: new vscode.ThemeColor(LEVEL_COLOR[level]), margin: '0 0 0 2.5em', fontStyle: level === 'ok' ? 'italic' : 'normal', fontWeight: level === 'ok' ? 'normal' : 'bold' },
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      );
    }
    this.disposables.push(
      trainingFeed.onGradients((s) => this.limiter(s.model).push(s.model)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (isModelDocument(e.document)) this.limiter(e.document.uri.toString()).push(e.document.uri.toString());
      }),
    );
    this.refreshAll();
  }

  private limiter(model: string): RateLimiter<string> {
    let l = this.limiters.get(model);
    if (!l) {
      l = new RateLimiter(thresholds.rates.decorationsPerSecond, (m) => this.refresh(m));
      this.limiters.set(model, l);
    }
    return l;
  }

  private refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) if (isModelDocument(editor.document)) this.apply(editor);
  }

  private refresh(model: string): void {
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === model) this.apply(editor);
  }

  private apply(editor: vscode.TextEditor): void {
    const key = editor.document.uri.toString();
    const snapshot = trainingFeed.latestGradients(key);
    const byLevel = new Map<GradientLevel, vscode.DecorationOptions[]>(LEVELS.map((l) => [l, []]));
    if (snapshot) {
      const info = documentModelInfo(editor.document);
      for (const g of layerGradients(snapshot.params)) {
        const line = info.layerLines.get(g.layer);
        if (line === undefined || line >= editor.document.lineCount) continue;
        const end = editor.document.lineAt(line).range.end;
        byLevel.get(g.level)!.push({ range: new vscode.Range(end, end), renderOptions: { after: { contentText: decorationText(g) } } });
      }
    }
    for (const level of LEVELS) editor.setDecorations(this.types.get(level)!, byLevel.get(level)!);
  }

  /**
   * The hover of a layer line with gradients: its numbers, the histograms of its gradients and
   * weights, and its gradient-norm trend. A hover provider rather than the decorations' own
   * hover, so that it is not recomputed each time the numbers update.
   */
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const key = document.uri.toString();
    const snapshot = trainingFeed.latestGradients(key);
    if (!snapshot) return undefined;
    const info = documentModelInfo(document);
    const session = this.controller.sessionFor(key);
    for (const g of layerGradients(snapshot.params)) {
      if (info.layerLines.get(g.layer) !== position.line) continue;
      const markdown = gradientHoverMarkdown({
        gradient: g,
        step: snapshot.step,
        trend: session?.trends.get(g.layer) ?? [],
        histograms: session ? layerHistograms(session.histograms, g.layer) : [],
      });
      return new vscode.Hover(new vscode.MarkdownString(markdown), document.lineAt(position.line).range);
    }
    return undefined;
  }

  dispose(): void {
    for (const l of this.limiters.values()) l.cancel();
    for (const t of this.types.values()) t.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
