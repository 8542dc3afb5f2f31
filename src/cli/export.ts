// `layerwise export <model> --checkpoint c -o model.onnx`: the trained forward model as a
// self-contained ONNX file (opset 17, IR 8), verified against the engine's eval graph.
import type { CommandSpec } from './args';
import { parseArgs, usage } from './args';
import { engineOptions, fromCwd, hostFor, readModelFile, reportError, sessionOptionsFrom, type Terminal } from './common';
import { groupDigits } from './format';

export const exportSpec: CommandSpec = {
  name: 'export',
  positional: ['<model>'],
  summary: "Write the trained model as ONNX (opset 17, IR 8) and check that onnxruntime reproduces the engine's outputs (max abs diff <= 1e-4).",
  options: {
    checkpoint: { kind: 'string', alias: 'c', value: 'CKPT', doc: 'Checkpoint whose weights to export (required).' },
    output: { kind: 'string', alias: 'o', value: 'FILE', doc: 'The .onnx file to write (required).' },
    ...engineOptions,
  },
};

export async function runExport(argv: string[], term: Terminal): Promise<number> {
  const args = parseArgs(exportSpec, argv);
  if (!args.ok) {
    term.error(`layerwise export: ${args.message}\n\n${usage(exportSpec)}`);
    return 2;
  }
  if (args.help) {
    term.log(usage(exportSpec));
    return 0;
  }
  const session = sessionOptionsFrom(args.options);
  if (!session.ok) {
    term.error(`layerwise export: ${session.message}`);
    return 2;
  }
  const checkpoint = args.options.checkpoint as string | undefined;
  const out = args.options.output as string | undefined;
  if (!checkpoint || !out) {
    term.error(`layerwise export: ${!checkpoint ? '--checkpoint' : '-o/--output'} is required`);
    return 2;
  }
  const model = await readModelFile(args.positional[0], term, 'export');
  if (!model.ok) return model.exitCode;
  const host = hostFor(args.options);
  try {
    const outcome = await host.request({ type: 'export', modelPath: model.absolute, text: model.text, checkpoint: fromCwd(checkpoint), out: fromCwd(out), options: session.options });
    if (!outcome.ok) {
      reportError(outcome.error, term, 'export', model);
      return 1;
    }
    const r = outcome.result;
    term.log(`Wrote ${r.path} (${groupDigits(r.bytes)} bytes, opset 17, IR 8)`);
    term.log(`Checked with onnxruntime on ${r.samples} samples: max abs diff ${r.maxAbsDiff.toExponential(2)} from the engine's eval graph`);
    return 0;
  } finally {
    await host.dispose();
  }
}
