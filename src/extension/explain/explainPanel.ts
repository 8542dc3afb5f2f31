// One "Explain" webview per model: offers the model's checkpoints, forwards the view's index and
// explain requests to the engine worker (with the model's current text and only weights it
// offered), opens image files for the view, and says so when Restricted Mode forbids loading
// checkpoints and data.
import * as path from 'path';
import * as vscode from 'vscode';
import type { ProviderName, SessionRequestOptions } from '../../engine/protocol';
import type { ExplainToHost, HostToExplain, Outcome } from '../../webview-protocol/explain';
import { documentModelInfo } from '../training/modelInfo';
import { editorTrainingThreads } from '../training/threads';
import type { ExplainEngine } from './engineLink';
import { explainHtml } from './html';
import { offered, preferredForRun, weightsFor, type WeightsList } from './weights';

const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', bmp: 'image/bmp', webp: 'image/webp' };
/** Pictures larger than this are refused rather than sent into the webview. */
const MAX_IMAGE_BYTES = 16 * 1024 * 1024;

export const UNTRUSTED_MESSAGE =
  'Explaining is off in Restricted Mode: it loads the checkpoint of a run and reads the data set the model names, and a file from an untrusted folder could use that against you. Trust this workspace to explain predictions; viewing and editing the model still work.';

/** The workspace folder a model belongs to (its own folder when it is in none). */
export function workspaceOf(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.dirname(uri.fsPath);
}

function fail<T>(message: string): Outcome<T> {
  return { ok: false, error: { message } };
}

export class ExplainPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private weights: WeightsList = { choices: [], preferred: '' };
  private selected = '';
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    readonly model: vscode.Uri,
    private readonly engine: ExplainEngine,
    private readonly onClosed: (panel: ExplainPanel) => void,
    runDir?: string,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel('layerwise.explain', this.title(), vscode.ViewColumn.Beside, { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [dist] });
    const web = this.panel.webview;
    web.html = explainHtml(web.cspSource, { script: web.asWebviewUri(vscode.Uri.joinPath(dist, 'webview', 'explain.js')).toString(), style: web.asWebviewUri(vscode.Uri.joinPath(dist, 'webview', 'explain.css')).toString() }, this.title());
    this.loadWeights(runDir);
    const folder = vscode.workspace.getWorkspaceFolder(model);
    const watcher = folder ? vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.layerwise/runs/**/*.ckpt')) : undefined;
    const refresh = () => this.scheduleWeightsRefresh();
    this.disposables.push(
      web.onDidReceiveMessage((m: ExplainToHost) => void this.onMessage(m)),
      this.panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.sendInit()),
      ...(watcher ? [watcher, watcher.onDidCreate(refresh), watcher.onDidDelete(refresh)] : []),
    );
  }

  private title(): string {
    return `Explain: ${path.basename(this.model.fsPath)}`;
  }

  /** Brings the view forward, switching to a run's checkpoint when one is given. */
  reveal(runDir?: string): void {
    this.panel.reveal(undefined, false);
    if (runDir) {
      this.loadWeights(runDir);
      this.sendInit();
    }
  }

  private modelName(): string {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.model.toString());
    return open ? documentModelInfo(open).name : path.basename(this.model.fsPath).replace(/\.nn\.ya?ml$/i, '');
  }

  private loadWeights(runDir?: string): void {
    this.weights = weightsFor(workspaceOf(this.model), this.model.fsPath, this.modelName());
    const fromRun = runDir ? preferredForRun(this.weights, runDir) : undefined;
    this.selected = fromRun ?? (offered(this.weights.choices, this.selected) && this.selected ? this.selected : this.weights.preferred);
  }

  private scheduleWeightsRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      const before = JSON.stringify(this.weights.choices);
      this.loadWeights();
      if (JSON.stringify(this.weights.choices) !== before) this.post({ type: 'weights', weights: this.weights.choices, selected: this.selected });
    }, 500);
  }

  private post(message: HostToExplain): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private sendInit(): void {
    const blocked = vscode.workspace.isTrusted ? undefined : { reason: 'untrusted' as const, message: UNTRUSTED_MESSAGE };
    this.post({ type: 'init', model: { name: this.modelName(), file: path.basename(this.model.fsPath) }, weights: this.weights.choices, selected: this.selected, ...(blocked ? { blocked } : {}) });
  }

  private sessionOptions(): SessionRequestOptions {
    const config = vscode.workspace.getConfiguration('layerwise.training');
    return { workspace: workspaceOf(this.model), provider: config.get<ProviderName>('provider', 'cpu'), threads: editorTrainingThreads(config.get<number>('threads', 0)) };
  }

  /** The model's current text (the editor buffer, saved or not). */
  private async modelText(): Promise<string> {
    return (await vscode.workspace.openTextDocument(this.model)).getText();
  }

  /** Why a request from the view cannot go to the engine, or undefined when it can. */
  private refusal(weights: unknown): string | undefined {
    if (!vscode.workspace.isTrusted) return UNTRUSTED_MESSAGE;
    if (!offered(this.weights.choices, weights)) return `the weights ${JSON.stringify(weights)} are not among this model's checkpoints; pick them from the list`;
    return undefined;
  }

  private async onMessage(m: ExplainToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendInit();
        return;
      case 'index': {
        const refused = this.refusal(m.weights);
        if (refused) return this.post({ type: 'indexResult', id: m.id, outcome: fail(refused) });
        this.selected = m.weights;
        const outcome = await this.engine.request({ type: 'explainIndex', modelPath: this.model.fsPath, text: await this.modelText(), checkpoint: m.weights || undefined, split: m.split, options: this.sessionOptions() });
        return this.post({ type: 'indexResult', id: m.id, outcome });
      }
      case 'explain': {
        const refused = this.refusal(m.weights);
        if (refused) return this.post({ type: 'explainResult', id: m.id, outcome: fail(refused) });
        const source = m.input !== undefined ? { input: m.input } : { sample: m.sample };
        const outcome = await this.engine.request({ type: 'explain', modelPath: this.model.fsPath, text: await this.modelText(), checkpoint: m.weights || undefined, split: m.split, ...source, explain: m.explain, options: this.sessionOptions() });
        return this.post({ type: 'explainResult', id: m.id, outcome });
      }
      case 'pickImage':
        return this.post({ type: 'image', id: m.id, outcome: await this.pickImage() });
      case 'manageTrust':
        void vscode.commands.executeCommand('workbench.trust.manage');
        return;
      case 'train':
        void vscode.commands.executeCommand('layerwise.train', this.model);
        return;
    }
  }

  private async pickImage(): Promise<Outcome<{ name: string; dataUrl: string }>> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Explain This Image',
      defaultUri: vscode.Uri.file(path.dirname(this.model.fsPath)),
      filters: { Images: Object.keys(IMAGE_TYPES) },
    });
    const file = picked?.[0];
    if (!file) return fail('no image was chosen');
    const ext = path.extname(file.path).slice(1).toLowerCase();
    const mime = IMAGE_TYPES[ext];
    if (!mime) return fail(`${path.basename(file.path)} is not a PNG, JPEG, GIF, BMP or WebP picture`);
    try {
      const bytes = await vscode.workspace.fs.readFile(file);
      if (bytes.byteLength > MAX_IMAGE_BYTES) return fail(`${path.basename(file.path)} is ${(bytes.byteLength / 1048576).toFixed(1)} MB; pictures up to ${MAX_IMAGE_BYTES / 1048576} MB can be explained`);
      return { ok: true, result: { name: path.basename(file.path), dataUrl: `data:${mime};base64,${Buffer.from(bytes).toString('base64')}` } };
    } catch (err) {
      return fail(`cannot read ${path.basename(file.path)}: ${(err as Error).message}`);
    }
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.onClosed(this);
  }
}
