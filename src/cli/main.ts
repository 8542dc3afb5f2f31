// The `layerwise` command line: a small dispatcher over the subcommand modules. `check` runs in
// this process; train, eval, export, grad and explain run the engine in its worker process (the
// same engine the VS Code extension uses).
import { runCheck } from './check';
import { consoleTerminal, type Terminal } from './common';
import { runTrain } from './train';
import { runEval } from './eval';
import { runExport } from './export';
import { runGrad } from './grad';
import { runExplain } from './explain';

interface Subcommand {
  usage: string;
  summary: string;
  /** Whether the command prints its own --help (the engine commands list their options). */
  ownHelp: boolean;
  run(args: string[], term: Terminal): Promise<number>;
}

const subcommands: Record<string, Subcommand> = {
  check: {
    usage: 'layerwise check FILE|FOLDER...',
    summary: 'Validate model files and print their layer summary (exit 1 on errors).',
    ownHelp: false,
    run: (args, term) => runCheck(args, term),
  },
  train: {
    usage: 'layerwise train <model> [options]',
    summary: 'Train a model; one line per epoch, checkpoints in .layerwise/runs/.',
    ownHelp: true,
    run: runTrain,
  },
  eval: {
    usage: 'layerwise eval <model> --checkpoint C',
    summary: 'Loss and metrics of a checkpoint on the validation or test split.',
    ownHelp: true,
    run: runEval,
  },
  export: {
    usage: 'layerwise export <model> -c C -o F',
    summary: 'Write the trained model as a verified ONNX file.',
    ownHelp: true,
    run: runExport,
  },
  grad: {
    usage: 'layerwise grad <model> --out DIR',
    summary: 'Write a batch, the parameters and their gradients as .npy files.',
    ownHelp: true,
    run: runGrad,
  },
  explain: {
    usage: 'layerwise explain <model> -c C',
    summary: "Attribute a sample's prediction to its input (PNG heatmap, JSON) with trust checks.",
    ownHelp: true,
    run: runExplain,
  },
};

function help(): string {
  const lines = ['Usage: layerwise <command> [arguments]', '', 'Commands:'];
  for (const c of Object.values(subcommands)) lines.push(`  ${c.usage.padEnd(36)} ${c.summary}`);
  lines.push('', 'Run `layerwise <command> --help` for a command.');
  return lines.join('\n');
}

export async function main(argv: string[], term: Terminal = consoleTerminal): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    term.log(help());
    return name === undefined ? 2 : 0;
  }
  const command = Object.prototype.hasOwnProperty.call(subcommands, name) ? subcommands[name] : undefined;
  if (!command) {
    term.error(`layerwise: unknown command '${name}'.\n\n${help()}`);
    return 2;
  }
  if (!command.ownHelp && (rest.includes('--help') || rest.includes('-h'))) {
    term.log(`Usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  return command.run(rest, term);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(`layerwise: internal error: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
