// Threads for training started from the editor: by default one core fewer than the machine has
// (at least one), so that the editor itself always has a core to stay responsive on.
import * as os from 'os';

export function editorTrainingThreads(setting: number | undefined, cores = os.availableParallelism?.() ?? os.cpus().length): number {
  if (setting !== undefined && Number.isInteger(setting) && setting > 0) return setting;
  return Math.max(1, cores - 1);
}
