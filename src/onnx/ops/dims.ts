// Arithmetic on dimensions that may be symbolic. A symbolic dimension is a product of a number
// and named symbols, written like `N` or `4*N` (what Reshape([-1, 8]) makes of [N, 4, 8]), so
// flattening the batch into rows and splitting it back gives `N` again. Sums and differences of
// unlike symbols become opaque names in parentheses, e.g. `(T+1)`.
import type { Dim } from '../graph';

/** coef * product of syms (sorted). */
interface Monomial {
  coef: number;
  syms: string[];
}

/** Splits on '*' outside parentheses. */
function factors(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === '*' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function parse(d: Dim): Monomial {
  if (typeof d === 'number') return { coef: d, syms: [] };
  let coef = 1;
  const syms: string[] = [];
  for (const f of factors(d)) {
    if (/^\d+$/.test(f)) coef *= Number(f);
    else syms.push(f);
  }
  return { coef, syms: syms.sort() };
}

function format(m: Monomial): Dim {
  if (m.syms.length === 0) return m.coef;
  if (m.coef === 0) return 0;
  return m.coef === 1 ? m.syms.join('*') : `${m.coef}*${m.syms.join('*')}`;
}

export function isStatic(d: Dim): d is number {
  return typeof d === 'number';
}

export function allStatic(shape: Dim[]): shape is number[] {
  return shape.every(isStatic);
}

export function sameDim(a: Dim, b: Dim): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  const x = parse(a);
  const y = parse(b);
  return x.coef === y.coef && x.syms.join('*') === y.syms.join('*');
}

export function sameShape(a: Dim[], b: Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => sameDim(d, b[i]));
}

export function mulDim(a: Dim, b: Dim): Dim {
  const x = parse(a);
  const y = parse(b);
  if (x.coef === 0 || y.coef === 0) return 0;
  return format({ coef: x.coef * y.coef, syms: [...x.syms, ...y.syms].sort() });
}

export function productDims(ds: Dim[]): Dim {
  return ds.reduce<Dim>((p, d) => mulDim(p, d), 1);
}

/** a / b when it divides exactly (symbol by symbol), else undefined. */
export function divDim(a: Dim, b: Dim): Dim | undefined {
  const x = parse(a);
  const y = parse(b);
  if (y.coef === 0 || x.coef % y.coef !== 0) return undefined;
  const syms = [...x.syms];
  for (const s of y.syms) {
    const i = syms.indexOf(s);
    if (i < 0) return undefined;
    syms.splice(i, 1);
  }
  return format({ coef: x.coef / y.coef, syms });
}

export function addDim(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (a === 0) return b;
  if (b === 0) return a;
  const x = parse(a);
  const y = parse(b);
  if (x.syms.join('*') === y.syms.join('*')) return format({ coef: x.coef + y.coef, syms: x.syms });
  return `(${a}+${b})`;
}

/** a - b for slicing a symbolic extent; opaque when it does not simplify. */
export function subDim(a: Dim, b: number): Dim {
  if (typeof a === 'number') return a - b;
  return b === 0 ? a : `(${a}-${b})`;
}

export function formatShape(shape: Dim[]): string {
  return `[${shape.join(', ')}]`;
}

/** The extent `d` has when each symbol takes the value in `env`; undefined for opaque symbols. */
export function evalDim(d: Dim, env: Record<string, number>): number | undefined {
  const m = parse(d);
  let v = m.coef;
  for (const s of m.syms) {
    if (!(s in env)) return undefined;
    v *= env[s];
  }
  return v;
}
