// Writes plain JS values as one-line YAML: scalars, and lists/mappings in flow style (`[3, 3]`,
// `{source: csv, path: data.csv}`). Strings are quoted only when they would otherwise read as
// something else (a number, a boolean, null) or contain characters with a meaning in YAML.

/** Words that some YAML readers (YAML 1.1) take for booleans or null when unquoted. */
const reservedWords = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n', '~']);

/** Letters, digits and `_ . / + -`, words separated by single spaces, starting with a letter or `_`. */
const plainPattern = /^[A-Za-z_][A-Za-z0-9_./+-]*(?: [A-Za-z0-9_./+-]+)*$/;

const MAX_DEPTH = 32;

/** True when the string can be written without quotes, inside or outside flow collections. */
export function isPlainSafe(s: string): boolean {
  return plainPattern.test(s) && !reservedWords.has(s.toLowerCase());
}

export function formatString(s: string): string {
  return isPlainSafe(s) ? s : JSON.stringify(s);
}

/**
 * One-line YAML for a value, or undefined when the value has no YAML form (functions, symbols,
 * class instances other than arrays, cycles).
 */
export function formatYamlValue(value: unknown): string | undefined {
  return format(value, 0, new Set());
}

function format(value: unknown, depth: number, open: Set<object>): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return formatString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      if (Number.isNaN(value)) return '.nan';
      if (value === Infinity) return '.inf';
      if (value === -Infinity) return '-.inf';
      return String(value);
    case 'object': {
      if (open.has(value)) return undefined;
      open.add(value);
      try {
        if (Array.isArray(value)) {
          const parts: string[] = [];
          for (const v of value) {
            const s = format(v, depth + 1, open);
            if (s === undefined) return undefined;
            parts.push(s);
          }
          return `[${parts.join(', ')}]`;
        }
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) return undefined;
        const parts: string[] = [];
        for (const [k, v] of Object.entries(value)) {
          if (v === undefined) continue;
          const s = format(v, depth + 1, open);
          if (s === undefined) return undefined;
          parts.push(`${formatString(k)}: ${s}`);
        }
        return `{${parts.join(', ')}}`;
      } finally {
        open.delete(value);
      }
    }
    default:
      return undefined;
  }
}
