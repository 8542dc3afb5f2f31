// The property panel's fields: how a parameter's value reads in a text field, and how typed text
// becomes a value of the parameter's type (from the layer metadata), with a message that says
// what is expected when it does not.
import type { ParamMeta } from '../../../src/analysis/layers';

export type ParsedField = { ok: true; value: unknown } | { ok: true; remove: true } | { ok: false; error: string };

/** A value as the user types it: lists as `3, 3`, everything else as written. */
export function fieldText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(fieldText).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function parseIntStrict(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

function parseFloatStrict(s: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function listOfInts(s: string): number[] | undefined {
  const body = s.replace(/^\[/, '').replace(/\]$/, '').trim();
  if (body === '') return [];
  const parts = body.split(/[\s,]+/).filter(Boolean).map(parseIntStrict);
  return parts.every((p) => p !== undefined) ? (parts as number[]) : undefined;
}

function bounds(meta: ParamMeta, n: number, name: string): string | undefined {
  if (meta.min !== undefined && (meta.exclusiveMin ? n <= meta.min : n < meta.min)) {
    return `${name} must be ${meta.exclusiveMin ? 'greater than' : 'at least'} ${meta.min}.`;
  }
  if (meta.max !== undefined && (meta.exclusiveMax ? n >= meta.max : n > meta.max)) {
    return `${name} must be ${meta.exclusiveMax ? 'less than' : 'at most'} ${meta.max}.`;
  }
  return undefined;
}

/** Text typed into the field for `name` as a value of the parameter's type. Empty removes the key (back to the default). */
export function parseField(name: string, meta: ParamMeta, raw: string): ParsedField {
  const s = raw.trim();
  if (s === '') {
    if (meta.required) return { ok: false, error: `${name} is required.` };
    return { ok: true, remove: true };
  }
  const fail = (expected: string): ParsedField => ({ ok: false, error: `${name} must be ${expected}; got "${s}".` });
  switch (meta.type) {
    case 'int': {
      const n = parseIntStrict(s);
      if (n === undefined) return fail('a whole number');
      const b = bounds(meta, n, name);
      return b ? { ok: false, error: b } : { ok: true, value: n };
    }
    case 'float': {
      const n = parseFloatStrict(s);
      if (n === undefined) return fail('a number');
      const b = bounds(meta, n, name);
      return b ? { ok: false, error: b } : { ok: true, value: n };
    }
    case 'bool':
      if (s === 'true' || s === 'false') return { ok: true, value: s === 'true' };
      return fail('true or false');
    case 'enum':
      return meta.values?.includes(s) ? { ok: true, value: s } : fail(`one of ${(meta.values ?? []).join(', ')}`);
    case 'string':
      return { ok: true, value: s };
    case 'int_or_pair':
    case 'padding': {
      if (meta.type === 'padding' && (s === 'valid' || s === 'same')) return { ok: true, value: s };
      const list = listOfInts(s);
      const expected = meta.type === 'padding' ? 'valid, same, a number or two numbers (h, w)' : 'a number or two numbers (h, w)';
      if (!list || list.length < 1 || list.length > 2) return fail(expected);
      for (const n of list) {
        const b = bounds(meta.type === 'padding' ? { ...meta, min: meta.min ?? 0 } : meta, n, name);
        if (b) return { ok: false, error: b };
      }
      return { ok: true, value: list.length === 1 ? list[0] : list };
    }
    case 'shape':
    case 'int_list': {
      const list = listOfInts(s);
      if (!list || list.length === 0) return fail('a list of whole numbers, e.g. 1, 28, 28');
      // Reshape's target shape may hold one -1 (the size worked out from the rest).
      for (const n of list) if (n !== -1 || meta.type !== 'shape') {
        const b = bounds(meta, n, `each entry of ${name}`);
        if (b) return { ok: false, error: b };
      }
      return { ok: true, value: list };
    }
    case 'mapping':
      return fail('set in the text editor (a mapping)');
  }
}

/** Same as the written value? (Then the field's change is no edit.) */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const idPattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseLayerId(raw: string, taken: ReadonlySet<string>, current: string): { ok: true; value: string } | { ok: false; error: string } {
  const s = raw.trim();
  if (s === current) return { ok: true, value: s };
  if (!idPattern.test(s)) return { ok: false, error: 'An id starts with a letter or _, then letters, digits, _, . or -.' };
  if (taken.has(s)) return { ok: false, error: `A layer with id ${s} already exists.` };
  return { ok: true, value: s };
}

/** The inputs field: ids separated by commas; each must name another layer. */
export function parseInputs(raw: string, ids: ReadonlySet<string>, self: string): { ok: true; value: string[] } | { ok: false; error: string } {
  const list = raw.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  for (const id of list) {
    if (id === self) return { ok: false, error: 'A layer cannot take its own output.' };
    if (!ids.has(id)) return { ok: false, error: `No layer has the id ${id}.` };
  }
  return { ok: true, value: [...new Set(list)] };
}
