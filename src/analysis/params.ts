// Checks parameter values against their metadata (layers.json / sections.json), turns the
// problems into diagnostics with quick fixes, and normalises the good values into the
// attributes the shape rules and the compiler use.
import type { Diagnostic, QuickFix, SourceValue } from '../model/types';
import { closest } from './suggest';
import { removeEntry, replace, yamlText } from './fixes';
import type { ParamMeta } from './layers';

function fmtNumber(n: number): string {
  return String(n);
}

/** "≥ 1", "in [0, 1)", "> 0" ... or '' without bounds. */
function bounds(meta: ParamMeta): string {
  const { min, max } = meta;
  if (min !== undefined && max !== undefined) {
    return `in ${meta.exclusiveMin ? '(' : '['}${fmtNumber(min)}, ${fmtNumber(max)}${meta.exclusiveMax ? ')' : ']'}`;
  }
  if (min !== undefined) return `${meta.exclusiveMin ? '>' : '≥'} ${fmtNumber(min)}`;
  if (max !== undefined) return `${meta.exclusiveMax ? '<' : '≤'} ${fmtNumber(max)}`;
  return '';
}

function withBounds(noun: string, meta: ParamMeta): string {
  const b = bounds(meta);
  return b ? `${noun} ${b}` : noun;
}

/** What a parameter accepts, as a phrase: "an integer ≥ 1", "one of relu, tanh". */
export function describeExpected(meta: ParamMeta, oneD = false): string {
  switch (meta.type) {
    case 'int':
      return withBounds('an integer', meta);
    case 'float':
      return withBounds('a number', meta);
    case 'bool':
      return 'true or false';
    case 'string':
      return 'text';
    case 'enum':
      return `one of ${(meta.values ?? []).join(', ')}`;
    case 'int_or_pair':
      return `${withBounds('an integer', meta)}, or a pair [height, width] of them`;
    case 'padding':
      return oneD ? 'valid, same, or an integer ≥ 0' : 'valid, same, an integer ≥ 0, or a pair [height, width] of them';
    case 'shape':
      return meta.min !== undefined ? `a non-empty list of integers ${bounds(meta)}` : 'a non-empty list of integers (one may be -1)';
    case 'int_list':
      return withBounds('a list of integers', meta);
    case 'mapping':
      return 'a mapping of settings';
  }
}

function inBounds(meta: ParamMeta, v: number): boolean {
  if (meta.min !== undefined && (meta.exclusiveMin ? v <= meta.min : v < meta.min)) return false;
  if (meta.max !== undefined && (meta.exclusiveMax ? v >= meta.max : v > meta.max)) return false;
  return true;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** True when the value is acceptable for the parameter. */
export function valueFits(meta: ParamMeta, value: unknown, oneD = false): boolean {
  switch (meta.type) {
    case 'int':
      return isInt(value) && inBounds(meta, value);
    case 'float':
      return isNum(value) && inBounds(meta, value);
    case 'bool':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'enum':
      return typeof value === 'string' && (meta.values ?? []).includes(value);
    case 'int_or_pair':
      return (
        (isInt(value) && inBounds(meta, value)) ||
        (Array.isArray(value) && value.length === 2 && value.every((x) => isInt(x) && inBounds(meta, x)))
      );
    case 'padding':
      return (
        value === 'valid' ||
        value === 'same' ||
        (isInt(value) && value >= 0) ||
        (!oneD && Array.isArray(value) && value.length === 2 && value.every((x) => isInt(x) && x >= 0))
      );
    case 'shape':
      return Array.isArray(value) && value.length > 0 && value.every((x) => isInt(x) && inBounds(meta, x));
    case 'int_list':
      return Array.isArray(value) && value.every((x) => isInt(x) && inBounds(meta, x));
    case 'mapping':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/** The normalised form: pairs expanded to [a, b], 2-D integer padding to [p, p]. */
export function normaliseValue(meta: ParamMeta, value: unknown, oneD = false): unknown {
  if (meta.type === 'int_or_pair' && isInt(value)) return [value, value];
  if (meta.type === 'padding' && !oneD && isInt(value)) return [value, value];
  if (Array.isArray(value)) return [...value];
  return value;
}

/** How a written value reads in a message. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return 'empty';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  if (Array.isArray(value) || typeof value === 'number' || typeof value === 'boolean') return yamlText(value);
  return 'a mapping';
}

/** A replacement that makes an ill-typed value right, when the intent is clear. */
function valueRepair(meta: ParamMeta, value: unknown, oneD: boolean): unknown {
  if (typeof value === 'string') {
    const t = value.trim();
    if (meta.type === 'bool') {
      if (/^(true|yes|on)$/i.test(t)) return true;
      if (/^(false|no|off)$/i.test(t)) return false;
    }
    if ((meta.type === 'int' || meta.type === 'float' || meta.type === 'int_or_pair') && t !== '' && Number.isFinite(Number(t))) {
      const n = Number(t);
      return valueFits(meta, n, oneD) ? n : undefined;
    }
    if (meta.type === 'enum' || meta.type === 'padding') {
      const options = meta.type === 'enum' ? (meta.values ?? []) : ['valid', 'same'];
      const near = closest(t, options, meta.type === 'enum' ? { none: 'linear', identity: 'linear' } : {});
      if (near !== undefined && options.includes(near)) return near;
    }
  }
  return undefined;
}

export interface ValueCheckOptions {
  /** How the owner reads in messages: "Dense `hidden`", "optimizer". */
  owner: string;
  code: string;
  layer?: string;
  oneD?: boolean;
}

/** A diagnostic for a value that does not fit its parameter, or undefined when it fits. */
export function checkValue(name: string, meta: ParamMeta, sv: SourceValue, opts: ValueCheckOptions): Diagnostic | undefined {
  const oneD = opts.oneD ?? false;
  if (valueFits(meta, sv.value, oneD)) return undefined;
  const repair = valueRepair(meta, sv.value, oneD);
  const fixes: QuickFix[] | undefined =
    repair === undefined ? undefined : [{ title: `Change to ${yamlText(repair)}`, edits: [replace(sv.range, yamlText(repair))] }];
  const hint = repair === undefined ? '' : ` Did you mean ${yamlText(repair)}?`;
  return {
    severity: 'error',
    code: opts.code,
    range: sv.range,
    message: `${opts.owner}: ${name} must be ${describeExpected(meta, oneD)}, not ${showValue(sv.value)}.${hint}`,
    layer: opts.layer,
    fixes,
  };
}

export interface UnknownKeyOptions {
  owner: string;
  code: string;
  layer?: string;
  /** Names the key may have meant (the owner's parameters plus structural keys). */
  candidates: readonly string[];
  aliases: Readonly<Record<string, string>>;
  /** Extra advice when nothing is close. */
  advice?: string;
  /** What the key is to its owner: `parameter` (default) or `option`. */
  noun?: string;
  text: string;
}

/** A diagnostic for a key the owner does not take, with a rename or remove fix. */
export function unknownKey(name: string, sv: SourceValue, opts: UnknownKeyOptions): Diagnostic {
  const keyRange = sv.keyRange ?? sv.range;
  const usable = Object.fromEntries(Object.entries(opts.aliases).filter(([, target]) => opts.candidates.includes(target)));
  const near = closest(name, opts.candidates, usable);
  if (near !== undefined && near !== name) {
    return {
      severity: 'error',
      code: opts.code,
      range: keyRange,
      message: `${opts.owner} has no ${opts.noun ?? 'parameter'} \`${name}\`; did you mean \`${near}\`?`,
      layer: opts.layer,
      fixes: [{ title: `Rename to \`${near}\``, edits: [replace(keyRange, near)] }],
    };
  }
  const list = opts.candidates.length ? ` It takes ${opts.candidates.map((c) => `\`${c}\``).join(', ')}.` : '';
  return {
    severity: 'error',
    code: opts.code,
    range: keyRange,
    message: `${opts.owner} has no ${opts.noun ?? 'parameter'} \`${name}\`; remove it.${opts.advice ?? list}`,
    layer: opts.layer,
    fixes: [{ title: `Remove \`${name}\``, edits: [removeEntry(opts.text, sv)] }],
  };
}
