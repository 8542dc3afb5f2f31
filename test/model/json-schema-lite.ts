// A small JSON Schema (draft-07) validator for exactly the keywords nn-model.schema.json uses.
// A keyword it does not know is an error, so the schema cannot silently outgrow the check.

type Schema = Record<string, unknown> | boolean;

/** Keywords that only annotate (hover text, completion); they never reject a value. */
const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'default', 'examples', 'enumDescriptions', 'definitions']);
const ASSERTIONS = new Set([
  '$ref', 'type', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems',
  'items', 'properties', 'required', 'additionalProperties', 'anyOf', 'allOf', 'if', 'then', 'else',
]);

export interface SchemaError {
  path: string;
  message: string;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function hasType(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

export function validate(rootSchema: Schema, value: unknown): SchemaError[] {
  const errors: SchemaError[] = [];
  const resolve = (ref: string): Schema => {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let node: unknown = rootSchema;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
    return node as Schema;
  };

  const check = (schema: Schema, v: unknown, path: string, out: SchemaError[]): void => {
    if (schema === true) return;
    if (schema === false) {
      out.push({ path, message: 'no value is allowed here' });
      return;
    }
    for (const key of Object.keys(schema)) {
      if (!ANNOTATIONS.has(key) && !ASSERTIONS.has(key)) throw new Error(`unsupported keyword ${key} at ${path}`);
    }
    const s = schema as Record<string, unknown>;
    if (typeof s.$ref === 'string') check(resolve(s.$ref), v, path, out);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => hasType(v, t))) {
        out.push({ path, message: `expected ${types.join(' or ')}, got ${typeOf(v)}` });
        return;
      }
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
      out.push({ path, message: `${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}` });
    }
    if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(v)) {
      out.push({ path, message: `expected ${JSON.stringify(s.const)}` });
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) out.push({ path, message: `${v} < ${s.minimum}` });
      if (typeof s.maximum === 'number' && v > s.maximum) out.push({ path, message: `${v} > ${s.maximum}` });
      if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum) out.push({ path, message: `${v} <= ${s.exclusiveMinimum}` });
      if (typeof s.exclusiveMaximum === 'number' && v >= s.exclusiveMaximum) out.push({ path, message: `${v} >= ${s.exclusiveMaximum}` });
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) out.push({ path, message: `fewer than ${s.minItems} items` });
      if (typeof s.maxItems === 'number' && v.length > s.maxItems) out.push({ path, message: `more than ${s.maxItems} items` });
      if (s.items !== undefined) v.forEach((item, i) => check(s.items as Schema, item, `${path}/${i}`, out));
    }
    if (typeOf(v) === 'object') {
      const obj = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const r of (s.required ?? []) as string[]) if (!(r in obj)) out.push({ path, message: `missing ${r}` });
      for (const [k, item] of Object.entries(obj)) {
        if (k in props) check(props[k], item, `${path}/${k}`, out);
        else if (s.additionalProperties !== undefined) check(s.additionalProperties as Schema, item, `${path}/${k}`, out);
      }
    }
    if (Array.isArray(s.allOf)) for (const sub of s.allOf as Schema[]) check(sub, v, path, out);
    if (Array.isArray(s.anyOf)) {
      const attempts = (s.anyOf as Schema[]).map((sub) => {
        const e: SchemaError[] = [];
        check(sub, v, path, e);
        return e;
      });
      if (!attempts.some((e) => e.length === 0)) {
        // Report the branch that came closest, which reads best: one whose type fitted the value.
        const score = (e: SchemaError[]): number =>
          e.length + (e.some((x) => x.path === path && x.message.startsWith('expected ')) ? 1000 : 0);
        out.push(...attempts.sort((a, b) => score(a) - score(b))[0]);
      }
    }
    if (s.if !== undefined) {
      const probe: SchemaError[] = [];
      check(s.if as Schema, v, path, probe);
      if (probe.length === 0) {
        if (s.then !== undefined) check(s.then as Schema, v, path, out);
      } else if (s.else !== undefined) check(s.else as Schema, v, path, out);
    }
  };
  check(rootSchema, value, '', errors);
  return errors;
}
