// `layerwise eval <model> --checkpoint c [--split validation|test|train]`: loss and metrics of a
// checkpoint on one split of the model's data (the run's own seeded split).
import type { CommandSpec } from './args';
import { parseArgs, usage } from './args';
import { engineOptions, fromCwd, hostFor, readModelFile, reportError, sessionOptionsFrom, type Terminal } from './common';
import { formatNumbers } from './epoch-line';
import type { EvalSplit } from '../engine/protocol';

export const evalSpec: CommandSpec = {
  name: 'eval',
  positional: ['<model>'],
  summary: "Evaluate a checkpoint on the model's validation (default), test or train split; prints loss and metrics.",
  options: {
    checkpoint: { kind: 'string', alias: 'c', value: 'CKPT', doc: 'Checkpoint to evaluate (required).' },
    split: { kind: 'string', value: 'SPLIT', doc: 'validation (default), test or train.' },
    ...engineOptions,
  },
};

const SPLITS: EvalSplit[] = ['validation', 'test', 'train'];

export async function runEval(argv: string[], term: Terminal): Promise<number> {
  const args = parseArgs(evalSpec, argv);
  if (!args.ok) {
    term.error(`layerwise eval: ${args.message}\n\n${usage(evalSpec)}`);
    return 2;
  }
  if (args.help) {
    term.log(usage(evalSpec));
    return 0;
  }
  const session = sessionOptionsFrom(args.options);
  if (!session.ok) {
    term.error(`layerwise eval: ${session.message}`);
    return 2;
  }
  const checkpoint = args.options.checkpoint as string | undefined;
  if (!checkpoint) {
    term.error('layerwise eval: --checkpoint is required (e.g. .layerwise/runs/<model>/<time>/best.ckpt)');
    return 2;
  }
  const split = (args.options.split as string | undefined) ?? 'validation';
  if (!SPLITS.includes(split as EvalSplit)) {
    term.error(`layerwise eval: --split must be one of ${SPLITS.join(', ')}, got '${split}'`);
    return 2;
  }
  const model = await readModelFile(args.positional[0], term, 'eval');
  if (!model.ok) return model.exitCode;
  const host = hostFor(args.options);
  try {
    const outcome = await host.request({ type: 'eval', modelPath: model.absolute, text: model.text, checkpoint: fromCwd(checkpoint), split: split as EvalSplit, options: session.options });
    if (!outcome.ok) {
      reportError(outcome.error, term, 'eval', model);
      return 1;
    }
    const r = outcome.result;
    const name = r.split.charAt(0).toUpperCase() + r.split.slice(1);
    term.log(`${name} (${r.samples} samples) - ${formatNumbers(r.loss, r.metrics)}`);
    return 0;
  } finally {
    await host.dispose();
  }
}
