// `layerwise train <model>`: trains in the engine worker, printing one line per epoch (and a
// progress bar on a terminal), then where the best and last checkpoints are. Ctrl-C stops after
// the current step and saves the last checkpoint; a second Ctrl-C quits at once.
// Exit codes: 0 trained (completed, early-stopped or stopped), 1 the model or the run failed
// (including NaN/Inf), 2 bad command line or unreadable file.
import type { CommandSpec } from './args';
import { parseArgs, usage } from './args';
import { engineOptions, fromCwd, hostFor, readModelFile, reportError, sessionOptionsFrom, type Terminal } from './common';
import { formatEpochLine, formatNumbers, formatProgress, metricLabel } from './epoch-line';
import type { EngineEvent, TrainOptions } from '../engine/protocol';

export const trainSpec: CommandSpec = {
  name: 'train',
  positional: ['<model>'],
  summary: 'Train a model file; prints one line per epoch and writes checkpoints to the run folder (default .layerwise/runs/<model>/<time>/).',
  options: {
    epochs: { kind: 'int', value: 'N', doc: 'Total epochs (overrides training.epochs).' },
    resume: { kind: 'string', value: 'CKPT', doc: 'Continue from a checkpoint (last.ckpt or best.ckpt of a run).' },
    'run-dir': { kind: 'string', value: 'DIR', doc: 'Folder for config.json, metrics.jsonl and checkpoints.' },
    quiet: { kind: 'bool', alias: 'q', doc: 'Print only the final result.' },
    ...engineOptions,
  },
};

export async function runTrain(argv: string[], term: Terminal): Promise<number> {
  const args = parseArgs(trainSpec, argv);
  if (!args.ok) {
    term.error(`layerwise train: ${args.message}\n\n${usage(trainSpec)}`);
    return 2;
  }
  if (args.help) {
    term.log(usage(trainSpec));
    return 0;
  }
  const session = sessionOptionsFrom(args.options);
  if (!session.ok) {
    term.error(`layerwise train: ${session.message}`);
    return 2;
  }
  const epochs = args.options.epochs as number | undefined;
  if (epochs !== undefined && epochs < 1) {
    term.error('layerwise train: --epochs must be at least 1');
    return 2;
  }
  const model = await readModelFile(args.positional[0], term, 'train');
  if (!model.ok) return model.exitCode;
  const quiet = Boolean(args.options.quiet);
  const options: TrainOptions = {
    ...session.options,
    epochs,
    resume: fromCwd(args.options.resume as string | undefined),
    runDir: fromCwd(args.options['run-dir'] as string | undefined),
  };

  const host = hostFor(args.options);
  const progress = new ProgressLine(term, quiet);
  let epochsRun = 0;
  let crashed: string | undefined;
  host.onCrash((c) => (crashed = c.message));
  host.onEvent((e) => {
    if (e.type === 'epochEnd') epochsRun++;
    onEvent(e, term, quiet, progress);
  });

  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      progress.clear();
      term.error('Stopping after this step and saving the last checkpoint (Ctrl-C again to quit at once)...');
      void host.request({ type: 'stop' });
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  try {
    const outcome = await host.request({ type: 'train', modelPath: model.absolute, text: model.text, options });
    progress.clear();
    if (!outcome.ok) {
      if (crashed) term.error(`layerwise train: error: ${crashed}`);
      else reportError(outcome.error, term, 'train', model);
      return 1;
    }
    const r = outcome.result;
    if (epochsRun === 0 && r.reason === 'completed') term.log('Nothing to do: the checkpoint has completed every epoch; pass a larger --epochs to continue.');
    if (r.test) term.log(`Test (${r.test.samples} samples) - ${formatNumbers(r.test.loss, r.test.metrics)}`);
    if (r.best) {
      term.log(`Best: epoch ${r.best.epoch} - ${metricLabel(r.best.monitor)}: ${r.best.value.toFixed(4)} - ${r.best.checkpoint ?? ''}`.trimEnd());
    }
    if (r.last) term.log(`Last checkpoint: ${r.last}`);
    term.log(`Run folder: ${r.runDir}`);
    return r.reason === 'nonfinite' ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    await host.dispose();
  }
}

function onEvent(e: EngineEvent, term: Terminal, quiet: boolean, progress: ProgressLine): void {
  switch (e.type) {
    case 'started':
      if (quiet) return;
      term.log(
        `Training ${e.model}: ${e.trainSamples} training / ${e.validationSamples} validation samples` +
          `${e.testSamples ? ` / ${e.testSamples} test` : ''}, batch ${e.batchSize}` +
          `${e.accumulate > 1 ? ` (${e.accumulate} micro-batches of ≤ ${e.microBatch})` : ''}, ${e.stepsPerEpoch} steps per epoch, on ${e.provider} (${e.providerReason})`,
      );
      if (e.startEpoch > 1) term.log(`Resuming at epoch ${e.startEpoch}`);
      return;
    case 'step':
      progress.show(e.stepInEpoch, e.stepsPerEpoch, e.loss, e.metrics);
      return;
    case 'epochEnd':
      progress.clear();
      if (!quiet) term.log(formatEpochLine(e));
      return;
    case 'warning':
      // Diagnostics of the model file were printed before training, in `check` format.
      if (quiet || e.code === 'model_warning') return;
      progress.clear();
      term.error(`warning: ${e.message}`);
      return;
    case 'done':
      progress.clear();
      if (e.reason === 'nonfinite') term.error(`error: ${e.message}`);
      else if (!quiet && e.reason !== 'completed') term.log(e.message.charAt(0).toUpperCase() + e.message.slice(1));
      return;
    default:
      return;
  }
}

/** The in-epoch progress bar: one rewritten line, only on a terminal. */
class ProgressLine {
  private visible = false;
  constructor(
    private readonly term: Terminal,
    private readonly quiet: boolean,
  ) {}

  show(done: number, total: number, loss: number, metrics: Record<string, number>): void {
    if (this.quiet || !this.term.isTTY) return;
    this.term.write(`\r${formatProgress(done, total, loss, metrics, this.term.columns)}\x1b[K`);
    this.visible = true;
  }

  clear(): void {
    if (!this.visible) return;
    this.term.write('\r\x1b[K');
    this.visible = false;
  }
}
