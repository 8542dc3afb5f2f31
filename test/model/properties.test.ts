// Property tests: parseModel and the edit functions never throw, whatever the text, and random
// sequences of valid edit requests always give text that re-parses without YAML errors and with
// the graph the request asked for.
import * as assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import {
  addLayer,
  applyEdits,
  connect,
  disconnect,
  removeLayer,
  renameLayer,
  setLayerInputs,
  setLayerParam,
  type EditResult,
} from '../../src/model/edit';
import { parseModel } from '../../src/model/parse';
import type { ModelSpec, ParseResult } from '../../src/model/types';

/** Fixed by default so that runs are repeatable; set FC_SEED to explore other cases. */
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20240611;
/** FC_SCALE multiplies the number of runs for a deeper search. */
const runs = (n: number): number => Math.max(1, Math.round(n * Number(process.env.FC_SCALE ?? 1)));

const root = path.join(__dirname, '..', '..');
const sources: string[] = [
  ...fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.nn.yaml')).map((f) => path.join(root, 'examples', f)),
  path.join(__dirname, 'fixtures', 'commented.nn.yaml'),
  path.join(__dirname, 'fixtures', 'styles.nn.yaml'),
  ...['valid-dag', 'valid-sequential', 'flow-style', 'string-shorthand', 'anchors'].map((n) =>
    path.join(root, 'test', 'fixtures', 'parse', `${n}.nn.yaml`),
  ),
].map((p) => fs.readFileSync(p, 'utf8'));
// The same layouts with Windows line endings.
sources.push(...sources.slice(0, 4).map((t) => t.replace(/\n/g, '\r\n')));

function checkParse(text: string): ParseResult {
  const result = parseModel(text);
  assert.ok(Array.isArray(result.diagnostics));
  for (const d of result.diagnostics) {
    assert.ok(d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= text.length, `bad range for ${d.code}`);
    assert.strictEqual(typeof d.message, 'string');
  }
  return result;
}

function hasSyntaxError(text: string): boolean {
  return parseModel(text).diagnostics.some((d) => d.code === 'yaml-syntax' && d.severity === 'error');
}

/** A successful edit of a text without YAML errors must give a text without YAML errors. */
function checkEdit(text: string, result: EditResult): string | undefined {
  assert.ok(result && typeof result.ok === 'boolean');
  if (!result.ok) {
    assert.ok(result.error.length > 0);
    return undefined;
  }
  const out = applyEdits(text, result.edits);
  assert.ok(!hasSyntaxError(out), `edit broke the YAML:\n--- before\n${text}\n--- after\n${out}`);
  return out;
}

const fragment = fc.constantFrom(
  'layers:', '- ', 'type: ', 'Dense', 'Input', 'id: ', 'inputs: ', 'outputs: ', 'units: ', 'shape: [2]', 'loss: ',
  '[', ']', '{', '}', ', ', ': ', 'a', 'x', '3', '-1', 'null', '~', '&a ', '*a', '!!str ', '!tag ', '# c', '"q', "'s'",
  '---', '...', '? ', '|', '>-', '\t', '%YAML 1.2', '@', '`', '\\', '\r',
);
const yamlish = fc
  .array(fc.tuple(fc.nat({ max: 8 }), fc.array(fragment, { minLength: 1, maxLength: 5 })), { maxLength: 20 })
  .map((lines) => lines.map(([indent, parts]) => ' '.repeat(indent) + parts.join('')).join('\n'));

type Mutation =
  | { kind: 'delete' | 'duplicate'; line: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 4 }) }),
);

function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'delete':
      lines.splice(m.line % lines.length, 1);
      return lines.join('\n');
    case 'duplicate': {
      const i = m.line % lines.length;
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    case 'swap': {
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
  }
}

/** Calls every edit function with ids from the model (or made-up ones); none may throw. */
function tryAllEdits(text: string, model: ModelSpec | null, pick: number): void {
  const ids = model?.layers.map((l) => l.id) ?? [];
  const id = (k: number): string => (ids.length > 0 ? ids[(pick + k) % ids.length] : 'ghost');
  checkEdit(text, setLayerParam(text, id(0), 'units', 5));
  checkEdit(text, setLayerParam(text, id(1), 'activation', undefined));
  checkEdit(text, addLayer(text, { kind: 'Dense', params: { units: 2 } }, { after: id(2) }));
  checkEdit(text, removeLayer(text, id(3)));
  checkEdit(text, renameLayer(text, id(4), 'renamed'));
  checkEdit(text, setLayerInputs(text, id(5), [id(6)]));
  checkEdit(text, connect(text, id(7), id(8)));
  checkEdit(text, disconnect(text, id(9), id(10)));
}

describe('parser and edit properties', () => {
  it('parseModel never throws on random text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 400 })), (text) => {
        checkParse(text);
      }),
      { seed, numRuns: runs(300) },
    );
  });

  it('parseModel never throws on random YAML-ish documents', () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        checkParse(text);
      }),
      { seed, numRuns: runs(300) },
    );
  });

  it('parseModel and the edit functions never throw on mutated example files', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: sources.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.nat(),
        (which, mutations, pick) => {
          const text = mutations.reduce(mutate, sources[which]);
          const result = checkParse(text);
          if (hasSyntaxError(text)) {
            assert.ok(!setLayerParam(text, 'x', 'units', 1).ok, 'edits refuse texts with YAML errors');
          }
          tryAllEdits(text, result.model, pick);
        },
      ),
      { seed, numRuns: runs(80) },
    );
  });

  it('random sequences of edit requests keep the file valid YAML with the requested graph', () => {
    const nat = fc.nat({ max: 50 });
    const op = fc.oneof(
      fc.record({
        op: fc.constant('set' as const),
        layer: nat,
        key: fc.constantFrom('units', 'rate', 'activation', 'note', 'kernel_size'),
        value: fc.oneof(
          fc.integer({ min: -5, max: 500 }),
          fc.constantFrom('relu', 'two words', 'yes', 'a: b', '#x'),
          fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 3 }),
          fc.constant(undefined),
        ),
      }),
      fc.record({
        op: fc.constant('add' as const),
        after: fc.option(nat, { nil: undefined }),
        kind: fc.constantFrom('Dense', 'Dropout', 'ReLU', 'Input', 'Add'),
        id: fc.option(fc.constantFrom('n1', 'n2', 'dense_1', 'dense_3'), { nil: undefined }),
        inputs: fc.option(fc.array(nat, { maxLength: 2 }), { nil: undefined }),
      }),
      fc.record({ op: fc.constant('remove' as const), layer: nat }),
      fc.record({ op: fc.constant('rename' as const), layer: nat, to: fc.constantFrom('r1', 'r2', 'hidden', 'dense_2', 'x.y-z') }),
      fc.record({ op: fc.constant('inputs' as const), layer: nat, inputs: fc.array(nat, { maxLength: 3 }) }),
      fc.record({ op: fc.constantFrom('connect' as const, 'disconnect' as const), from: nat, to: nat }),
    );
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), fc.array(op, { minLength: 1, maxLength: 6 }), (which, ops) => {
        let text = sources[which];
        for (const o of ops) {
          const model = parseModel(text).model;
          const ids = model?.layers.map((l) => l.id) ?? [];
          const id = (n: number): string => (ids.length > 0 ? ids[n % ids.length] : 'none');
          let result: EditResult;
          switch (o.op) {
            case 'set':
              result = setLayerParam(text, id(o.layer), o.key, o.value);
              break;
            case 'add':
              result = addLayer(
                text,
                { kind: o.kind, id: o.id, inputs: o.inputs?.map(id), params: o.kind === 'Dense' ? { units: 3 } : undefined },
                { after: o.after === undefined ? undefined : id(o.after) },
              );
              break;
            case 'remove':
              result = removeLayer(text, id(o.layer));
              break;
            case 'rename':
              result = renameLayer(text, id(o.layer), o.to);
              break;
            case 'inputs':
              result = setLayerInputs(text, id(o.layer), o.inputs.map(id));
              break;
            case 'connect':
              result = connect(text, id(o.from), id(o.to));
              break;
            case 'disconnect':
              result = disconnect(text, id(o.from), id(o.to));
              break;
          }
          const out = checkEdit(text, result);
          if (out === undefined) continue;
          if (o.op === 'set' && result.ok) {
            // A parameter edit stays within the lines of its layer.
            const target = model!.layers.find((l) => l.id === id(o.layer))!;
            const from = text.lastIndexOf('\n', target.range.start - 1) + 1;
            const nl = text.indexOf('\n', target.range.end);
            const to = nl < 0 ? text.length : nl + 1;
            for (const e of result.edits) assert.ok(e.range.start >= from && e.range.end <= to, `edit outside layer ${target.id}`);
          }
          const after = parseModel(out).model;
          assert.ok(after, `the edited text is no longer a model:\n${out}`);
          checkOutcome(o, model!, after, id);
          text = out;
        }
      }),
      { seed, numRuns: runs(60) },
    );
  });
});

/** Each layer's inputs as the positions of the layers they name (-1 for unknown ids). */
function edgesByPosition(model: ModelSpec): number[][] {
  const position = new Map(model.layers.map((l, i) => [l.id, i]));
  return model.layers.map((l) => l.inputs.map((r) => position.get(r.id) ?? -1));
}

function checkOutcome(
  o: { op: string } & Record<string, unknown>,
  before: ModelSpec,
  after: ModelSpec,
  id: (n: number) => string,
): void {
  const n = before.layers.length;
  switch (o.op) {
    case 'set':
      if (o.key === 'kernel_size' || o.key === 'units' || o.key === 'note') {
        // Parameters other than the kind leave the graph alone.
        assert.deepStrictEqual(edgesByPosition(after), edgesByPosition(before));
        const target = after.layers[before.layers.findIndex((l) => l.id === id(o.layer as number))];
        if (o.value === undefined) assert.ok(!(String(o.key) in target.params));
        else assert.deepStrictEqual(target.params[String(o.key)].value, o.value);
      }
      break;
    case 'rename': {
      assert.deepStrictEqual(edgesByPosition(after), edgesByPosition(before));
      const index = before.layers.findIndex((l) => l.id === id(o.layer as number));
      assert.strictEqual(after.layers[index].id, o.to);
      break;
    }
    case 'add':
      assert.strictEqual(after.layers.length, n + 1);
      if (o.id !== undefined) assert.ok(after.layers.some((l) => l.id === o.id));
      break;
    case 'remove':
      assert.strictEqual(after.layers.length, n - 1);
      break;
    case 'inputs': {
      const index = before.layers.findIndex((l) => l.id === id(o.layer as number));
      const wanted = [...new Set((o.inputs as number[]).map(id))];
      assert.deepStrictEqual(after.layers[index].inputs.map((r) => r.id), wanted);
      break;
    }
    case 'connect': {
      const to = before.layers.findIndex((l) => l.id === id(o.to as number));
      assert.ok(after.layers[to].inputs.some((r) => r.id === id(o.from as number)));
      break;
    }
    case 'disconnect': {
      const to = before.layers.findIndex((l) => l.id === id(o.to as number));
      assert.ok(!after.layers[to].inputs.some((r) => r.id === id(o.from as number)));
      break;
    }
  }
}
