// The "Runs" view: every run kept under .layerwise/runs/ in the workspace folders (editor and CLI
// runs alike), grouped by model, each with its final numbers. Refreshed when a run starts, ends
// an epoch or finishes, and when run folders change on disk (a CLI run), at a bounded rate.
import * as path from 'path';
import * as vscode from 'vscode';
import type { TrainingController } from './controller';
import { RateLimiter } from './rateLimiter';
import { isComplete, listRuns, runDetail, runLabel, type RunRecord } from './runIndex';

export type RunsNode = { kind: 'model'; folder: string; runs: RunRecord[]; workspace: string } | { kind: 'run'; run: RunRecord; workspace: string };

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly limiter = new RateLimiter<void>(1, () => this.changed.fire(undefined));

  constructor(private readonly controller: TrainingController) {
    this.disposables.push(controller.onRunsChanged(() => this.limiter.push()));
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.layerwise/runs/**'));
      // steps.jsonl grows several times a second during a run; the view shows epochs only.
      const refresh = (uri: vscode.Uri) => {
        if (!uri.path.endsWith('/steps.jsonl')) this.limiter.push();
      };
      this.disposables.push(watcher, watcher.onDidCreate(refresh), watcher.onDidDelete(refresh), watcher.onDidChange(refresh));
    }
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** Every run of every workspace folder, newest first. */
  allRuns(): { run: RunRecord; workspace: string }[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').flatMap((f) => listRuns(f.uri.fsPath).map((run) => ({ run, workspace: f.uri.fsPath })));
  }

  getChildren(node?: RunsNode): RunsNode[] {
    if (node?.kind === 'model') return node.runs.map((run) => ({ kind: 'run', run, workspace: node.workspace }));
    if (node) return [];
    const groups = new Map<string, RunsNode & { kind: 'model' }>();
    for (const { run, workspace } of this.allRuns()) {
      const key = `${workspace}\0${run.modelFolder}`;
      const g = groups.get(key) ?? { kind: 'model' as const, folder: run.modelFolder, runs: [], workspace };
      g.runs.push(run);
      groups.set(key, g);
    }
    return [...groups.values()].sort((a, b) => a.folder.localeCompare(b.folder));
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node.kind === 'model') {
      const item = new vscode.TreeItem(node.folder, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`;
      item.iconPath = new vscode.ThemeIcon('symbol-class');
      item.contextValue = 'layerwise.model';
      return item;
    }
    const r = node.run;
    const live = this.controller.current?.runId === r.id;
    const item = new vscode.TreeItem(runLabel(r.timestamp), vscode.TreeItemCollapsibleState.None);
    item.id = `${node.workspace}/${r.id}`;
    item.description = `${live ? '(training) ' : ''}${runDetail(r)}`;
    item.tooltip = new vscode.MarkdownString(
      [
        `**${r.config.model ?? r.modelFolder}** — ${runLabel(r.timestamp)}`,
        '',
        runDetail(r),
        '',
        r.config.modelPath ? `Model: \`${path.relative(node.workspace, r.config.modelPath)}\`` : '',
        `Folder: \`${path.relative(node.workspace, r.dir)}\``,
        r.lastCheckpoint ? `Checkpoints: ${[r.bestCheckpoint ? 'best.ckpt' : '', 'last.ckpt'].filter(Boolean).join(', ')}` : 'No checkpoint',
        isComplete(r) ? 'All planned epochs are done; resuming asks for a larger epoch count.' : '',
      ]
        .filter((l) => l !== undefined)
        .join('\n\n'),
    );
    item.iconPath = new vscode.ThemeIcon(live ? 'loading~spin' : r.lastCheckpoint ? 'graph-line' : 'circle-slash');
    item.contextValue = r.lastCheckpoint && !live ? 'layerwise.run.resumable' : 'layerwise.run';
    item.command = { title: 'Open Charts', command: 'layerwise.openRun', arguments: [node] };
    return item;
  }

  dispose(): void {
    this.limiter.cancel();
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
