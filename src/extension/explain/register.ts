// Registers `layerwise.explain` ("Explain Predictions"): from the model's CodeLens or the
// command palette (a model URI or the active editor's model) and from a run in the Runs view
// (that run's checkpoint). One view per model; the engine worker they share ends with the last.
import * as path from 'path';
import * as vscode from 'vscode';
import { isModelDocument } from '../settings';
import { ExplainEngine } from './engineLink';
import { ExplainPanel } from './explainPanel';

export const EXPLAIN_COMMAND = 'layerwise.explain';

/** What the command was invoked on: a model, optionally with the run whose checkpoint to show. */
export interface ExplainTarget {
  model: vscode.Uri;
  runDir?: string;
}

/** A Runs view item (`{kind: 'run', run: {dir, config: {modelPath}}}`), read defensively. */
function runItem(arg: unknown): { dir: string; modelPath?: string } | undefined {
  const node = arg as { kind?: unknown; run?: { dir?: unknown; config?: { modelPath?: unknown } } } | undefined;
  if (!node || node.kind !== 'run' || typeof node.run?.dir !== 'string') return undefined;
  const modelPath = node.run.config?.modelPath;
  return { dir: node.run.dir, modelPath: typeof modelPath === 'string' ? modelPath : undefined };
}

/** The model (and run) the command acts on, or a message saying what is missing. */
export function resolveTarget(arg: unknown): ExplainTarget | { message: string } {
  if (arg instanceof vscode.Uri) return { model: arg };
  const run = runItem(arg);
  if (run) {
    if (!run.modelPath) return { message: `the run in ${path.basename(run.dir)} does not record its model file (config.json has no modelPath); open the model and use Explain there` };
    return { model: vscode.Uri.file(run.modelPath), runDir: run.dir };
  }
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && isModelDocument(doc)) return { model: doc.uri };
  return { message: 'open a model file (*.nn.yaml) to explain its predictions' };
}

export function registerExplain(context: vscode.ExtensionContext): void {
  // The log appears only once there is something to say (a worker crash).
  let log: vscode.LogOutputChannel | undefined;
  const engine = new ExplainEngine((m) => {
    log ??= vscode.window.createOutputChannel('Layerwise Explain', { log: true });
    log.error(m);
  });
  const panels = new Map<string, ExplainPanel>();
  const closed = (p: ExplainPanel) => {
    if (panels.get(p.model.toString()) === p) panels.delete(p.model.toString());
    if (panels.size === 0) void engine.release();
  };
  context.subscriptions.push(
    { dispose: () => log?.dispose() },
    engine,
    { dispose: () => [...panels.values()].forEach((p) => p.dispose()) },
    vscode.commands.registerCommand(EXPLAIN_COMMAND, (arg?: unknown) => {
      const target = resolveTarget(arg);
      if ('message' in target) {
        void vscode.window.showErrorMessage(`Layerwise: ${target.message}.`);
        return;
      }
      const key = target.model.toString();
      const open = panels.get(key);
      if (open) open.reveal(target.runDir);
      else panels.set(key, new ExplainPanel(context.extensionUri, target.model, engine, closed, target.runDir));
    }),
  );
}
