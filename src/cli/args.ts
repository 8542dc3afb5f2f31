// A small argument parser for the subcommands: positional arguments plus `--name value`,
// `--name=value`, boolean `--flag`, and one-letter aliases (`-o`). Unknown or malformed options
// become an error message, never an exception.

export type OptionKind = 'string' | 'int' | 'bool';

export interface OptionSpec {
  kind: OptionKind;
  /** One-letter alias, without the dash. */
  alias?: string;
  /** Shown in --help. */
  doc: string;
  /** Placeholder shown in --help, e.g. `N`. */
  value?: string;
}

export interface CommandSpec {
  name: string;
  /** Positional arguments as shown in the usage line, e.g. `<model>`. */
  positional: string[];
  summary: string;
  options: Record<string, OptionSpec>;
}

export type ParsedOptions = Record<string, string | number | boolean | undefined>;

export type ParseResult = { ok: true; positional: string[]; options: ParsedOptions; help: boolean } | { ok: false; message: string };

export function parseArgs(spec: CommandSpec, argv: string[]): ParseResult {
  const positional: string[] = [];
  const options: ParsedOptions = {};
  const byAlias = new Map(Object.entries(spec.options).filter(([, o]) => o.alias).map(([name, o]) => [o.alias!, name]));
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else {
      const alias = byAlias.get(arg.slice(1));
      if (!alias) return { ok: false, message: `unknown option '${arg}'` };
      name = alias;
    }
    const opt = Object.prototype.hasOwnProperty.call(spec.options, name) ? spec.options[name] : undefined;
    if (!opt) return { ok: false, message: `unknown option '--${name}'${suggest(name, Object.keys(spec.options))}` };
    if (opt.kind === 'bool') {
      if (inline !== undefined && !['true', 'false'].includes(inline)) return { ok: false, message: `--${name} takes no value` };
      options[name] = inline === undefined ? true : inline === 'true';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) return { ok: false, message: `--${name} needs a value${opt.value ? ` (${opt.value})` : ''}` };
    if (opt.kind === 'int') {
      const n = Number(value);
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n)) return { ok: false, message: `--${name} needs an integer, got '${value}'` };
      options[name] = n;
    } else {
      options[name] = value;
    }
  }
  return { ok: true, positional, options, help };
}

function suggest(name: string, names: string[]): string {
  const near = names.find((n) => n.startsWith(name) || name.startsWith(n));
  return near ? `; did you mean '--${near}'?` : '';
}

export function usage(spec: CommandSpec): string {
  const lines = [`Usage: layerwise ${spec.name} ${spec.positional.join(' ')} [options]`, '', spec.summary, '', 'Options:'];
  const rows = Object.entries(spec.options).map(([name, o]) => {
    const flag = `${o.alias ? `-${o.alias}, ` : ''}--${name}${o.kind === 'bool' ? '' : ` ${o.value ?? (o.kind === 'int' ? 'N' : 'VALUE')}`}`;
    return [flag, o.doc];
  });
  rows.push(['-h, --help', 'Show this help.']);
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [flag, doc] of rows) lines.push(`  ${flag.padEnd(width)}  ${doc}`);
  return lines.join('\n');
}
