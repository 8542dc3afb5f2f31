// `layerwise grad <model> [--checkpoint c] --batch N --seed S --out DIR`: one batch, every
// parameter and its raw gradient as .npy files plus loss.json, for checking our gradients with
// any other framework.
import type { CommandSpec } from './args';
import { parseArgs, usage } from './args';
import { engineOptions, fromCwd, hostFor, readModelFile, reportError, sessionOptionsFrom, type Terminal } from './common';
import { formatTimeSteps } from './time-steps';

export const gradSpec: CommandSpec = {
  name: 'grad',
  positional: ['<model>'],
  summary:
    'Write a batch (input.<name>.npy, labels.npy), every parameter (<layer>.<param>.npy) and its gradient (<layer>.<param>.grad.npy) and loss.json to a folder; for recurrent layers, print the gradient norm at each time step.',
  options: {
    checkpoint: { kind: 'string', alias: 'c', value: 'CKPT', doc: "Take the parameters from a checkpoint (default: the model's initial values)." },
    batch: { kind: 'int', value: 'N', doc: 'Samples in the batch (default 8).' },
    seed: { kind: 'int', value: 'S', doc: 'Seed choosing the samples and the dropout masks (default 0).' },
    out: { kind: 'string', alias: 'o', value: 'DIR', doc: 'Folder to write the files to (required).' },
    ...engineOptions,
  },
};

export async function runGrad(argv: string[], term: Terminal): Promise<number> {
  const args = parseArgs(gradSpec, argv);
  if (!args.ok) {
    term.error(`layerwise grad: ${args.message}\n\n${usage(gradSpec)}`);
    return 2;
  }
  if (args.help) {
    term.log(usage(gradSpec));
    return 0;
  }
  const session = sessionOptionsFrom(args.options);
  if (!session.ok) {
    term.error(`layerwise grad: ${session.message}`);
    return 2;
  }
  const outDir = args.options.out as string | undefined;
  if (!outDir) {
    term.error('layerwise grad: --out is required');
    return 2;
  }
  const batch = (args.options.batch as number | undefined) ?? 8;
  const seed = (args.options.seed as number | undefined) ?? 0;
  if (batch < 1 || seed < 0) {
    term.error(`layerwise grad: ${batch < 1 ? '--batch must be at least 1' : '--seed must not be negative'}`);
    return 2;
  }
  const model = await readModelFile(args.positional[0], term, 'grad');
  if (!model.ok) return model.exitCode;
  const host = hostFor(args.options);
  try {
    const outcome = await host.request({
      type: 'grad',
      modelPath: model.absolute,
      text: model.text,
      checkpoint: fromCwd(args.options.checkpoint as string | undefined),
      batch,
      seed,
      outDir: fromCwd(outDir),
      options: session.options,
    });
    if (!outcome.ok) {
      reportError(outcome.error, term, 'grad', model);
      return 1;
    }
    const r = outcome.result;
    term.log(`Loss ${r.loss.toFixed(6)} on ${r.samples} samples; wrote ${r.files.length} files to ${r.outDir}:`);
    for (const f of r.files) term.log(`  ${f}`);
    for (const line of formatTimeSteps(r.timeSteps ?? [])) term.log(line);
    return 0;
  } finally {
    await host.dispose();
  }
}
