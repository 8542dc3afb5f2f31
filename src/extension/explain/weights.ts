// Which weights the Explain view offers for a model: the checkpoints of its runs under
// .layerwise/runs/ (best.ckpt and last.ckpt, newest run first), then the initial weights. The
// view names a choice by its id; the host only loads checkpoints it offered. No vscode imports,
// so this is tested on plain folders.
import * as path from 'path';
import type { WeightsChoice } from '../../webview-protocol/explain';
import { listRuns, runDetail, runLabel, runsOfModel, type RunRecord } from '../training/runIndex';

/** The id of the initial weights (no checkpoint). */
export const INITIAL_WEIGHTS = '';

export interface WeightsList {
  choices: WeightsChoice[];
  /** The choice to start with: the newest run's best checkpoint (else its last), else the initial weights. */
  preferred: string;
}

function choicesOf(run: RunRecord): WeightsChoice[] {
  const out: WeightsChoice[] = [];
  const detail = runDetail(run);
  if (run.bestCheckpoint) out.push({ id: run.bestCheckpoint, label: `${runLabel(run.timestamp)} · best.ckpt`, detail, trained: true });
  if (run.lastCheckpoint) out.push({ id: run.lastCheckpoint, label: `${runLabel(run.timestamp)} · last.ckpt`, detail, trained: true });
  return out;
}

/** Every checkpoint of the model's runs in `workspace`, and the initial weights last. */
export function weightsFor(workspace: string, modelPath: string, modelName: string): WeightsList {
  const runs = runsOfModel(listRuns(workspace), modelPath, modelName);
  const choices = runs.flatMap(choicesOf);
  const preferred = choices[0]?.id ?? INITIAL_WEIGHTS;
  choices.push({ id: INITIAL_WEIGHTS, label: 'Initial weights (not trained)', detail: 'training.seed’s random initialisation: shows what an untrained network attends to', trained: false });
  return { choices, preferred };
}

/** The choice for a run folder (the Runs view's item): its best checkpoint, else its last. */
export function preferredForRun(list: WeightsList, runDir: string): string | undefined {
  const dir = path.resolve(runDir);
  const inRun = list.choices.filter((c) => c.id && path.dirname(path.resolve(c.id)) === dir);
  return inRun[0]?.id;
}

/** The offered choice with id `id`, if any: the guard against a view naming a file it was not offered. */
export function offered(list: readonly WeightsChoice[], id: unknown): WeightsChoice | undefined {
  return typeof id === 'string' ? list.find((c) => c.id === id) : undefined;
}
