// The training commands. Each takes an optional model Uri (the graph editor and the CodeLens pass
// one; the command palette and editor title act on the active model) or, for run commands, a
// node of the Runs view.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TrainingController } from './controller';
import type { DashboardPanel } from './dashboardPanel';
import { documentModelInfo } from './modelInfo';
import { isComplete, listRuns, runDetail, runLabel, runsOfModel, type RunRecord } from './runIndex';
import type { RunsNode, RunsTreeProvider } from './runsTree';
import { workspaceOf } from './controller';
import { requireTrust } from './trust';

function runOf(node: unknown): { run: RunRecord; workspace: string } | undefined {
  const n = node as RunsNode | undefined;
  return n && n.kind === 'run' ? { run: n.run, workspace: n.workspace } : undefined;
}

function modelUriOf(run: RunRecord): vscode.Uri | undefined {
  return run.config.modelPath && fs.existsSync(run.config.modelPath) ? vscode.Uri.file(run.config.modelPath) : undefined;
}

export function registerTrainingCommands(controller: TrainingController, dashboard: DashboardPanel, runs: RunsTreeProvider): vscode.Disposable[] {
  const reg = vscode.commands.registerCommand;
  const modelOrActive = (arg: unknown) => controller.resolveModel(arg) ?? controller.current?.model;
  return [
    reg('layerwise.train', async (arg?: unknown) => {
      const uri = controller.resolveModel(arg);
      if (uri && vscode.workspace.getConfiguration('layerwise.training').get<boolean>('openDashboard', true) && vscode.workspace.isTrusted && !controller.current) {
        await dashboard.show(uri);
      }
      await controller.train(arg);
    }),
    reg('layerwise.stopTraining', (arg?: unknown) => controller.stop(arg)),
    reg('layerwise.pauseTraining', (arg?: unknown) => controller.pause(arg)),
    reg('layerwise.resumeTraining', (arg?: unknown) => controller.resume(arg)),
    reg('layerwise.clearGradients', (arg?: unknown) => controller.clearGradients(arg)),
    reg('layerwise.openDashboard', async (arg?: unknown) => {
      const uri = modelOrActive(arg);
      if (!uri) {
        void vscode.window.showInformationMessage('Layerwise: open a model file (*.nn.yaml) to see its training charts.');
        return;
      }
      await dashboard.show(uri);
    }),
    reg('layerwise.exportOnnx', async (arg?: unknown) => {
      const uri = controller.resolveModel(arg);
      if (!uri) {
        void vscode.window.showErrorMessage('Layerwise: open a model file (*.nn.yaml) to export it.');
        return;
      }
      if (!requireTrust('Exporting (it loads a checkpoint)')) return;
      const document = await vscode.workspace.openTextDocument(uri);
      const info = documentModelInfo(document);
      const candidates = runsOfModel(listRuns(workspaceOf(uri)), uri.fsPath, info.name).filter((r) => r.bestCheckpoint || r.lastCheckpoint);
      if (candidates.length === 0) {
        const pick = await vscode.window.showInformationMessage(`Layerwise: ${path.basename(uri.fsPath)} has no checkpoint yet; train it first.`, 'Train');
        if (pick) void vscode.commands.executeCommand('layerwise.train', uri);
        return;
      }
      let run = candidates[0];
      if (candidates.length > 1) {
        const picked = await vscode.window.showQuickPick(
          candidates.map((r) => ({ label: runLabel(r.timestamp), description: runDetail(r), run: r })),
          { title: 'Export which run? (its best checkpoint, else its last)' },
        );
        if (!picked) return;
        run = picked.run;
      }
      const checkpoint = run.bestCheckpoint ?? run.lastCheckpoint!;
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(path.join(path.dirname(uri.fsPath), `${info.name}.onnx`)),
        filters: { ONNX: ['onnx'] },
        title: 'Export ONNX model',
      });
      if (!target) return;
      await controller.exportOnnx(uri, checkpoint, target.fsPath);
    }),
    reg('layerwise.openRun', async (node?: unknown) => {
      const r = runOf(node);
      if (!r) return;
      const uri = modelUriOf(r.run) ?? vscode.Uri.file(r.run.config.modelPath ?? path.join(r.workspace, `${r.run.modelFolder}.nn.yaml`));
      await dashboard.show(uri, r.run.id, r.run.config.model ?? r.run.modelFolder);
    }),
    reg('layerwise.resumeRun', async (node?: unknown) => {
      const r = runOf(node);
      if (!r) return;
      // Refuse before asking anything: resuming loads the run's checkpoint.
      if (!requireTrust('Resuming a run')) return;
      const ckpt = r.run.lastCheckpoint;
      const uri = modelUriOf(r.run);
      if (!ckpt || !uri) {
        void vscode.window.showErrorMessage(`Layerwise: cannot resume ${r.run.id}: ${!ckpt ? 'it has no last.ckpt' : `its model file ${r.run.config.modelPath ?? ''} is gone`}.`);
        return;
      }
      let epochs: number | undefined;
      if (isComplete(r.run)) {
        const done = r.run.epochs[r.run.epochs.length - 1].epoch;
        const answer = await vscode.window.showInputBox({
          title: `Resume ${runLabel(r.run.timestamp)}`,
          prompt: `All ${done} planned epochs are done. Train until which epoch?`,
          value: String(done * 2),
          validateInput: (v) => (/^\d+$/.test(v) && Number(v) > done ? undefined : `a whole number above ${done}`),
        });
        if (!answer) return;
        epochs = Number(answer);
      }
      await dashboard.show(uri, r.run.id);
      await controller.train(uri, { resume: ckpt, epochs });
    }),
    reg('layerwise.deleteRun', async (node?: unknown) => {
      const r = runOf(node);
      if (!r) return;
      if (controller.current?.runId === r.run.id) {
        void vscode.window.showWarningMessage('Layerwise: this run is training; stop it before deleting it.');
        return;
      }
      const root = path.join(r.workspace, '.layerwise', 'runs');
      if (path.relative(root, r.run.dir).startsWith('..')) return; // never outside the runs folder
      const del = 'Delete';
      const pick = await vscode.window.showWarningMessage(`Delete the run ${r.run.id}? Its checkpoints and metrics will be removed.`, { modal: true }, del);
      if (pick !== del) return;
      try {
        fs.rmSync(r.run.dir, { recursive: true, force: true });
      } catch (err) {
        void vscode.window.showErrorMessage(`Layerwise: could not delete ${r.run.dir}: ${(err as Error).message}`);
      }
      runs.refresh();
      controller.notifyRunsChanged();
    }),
  ];
}
