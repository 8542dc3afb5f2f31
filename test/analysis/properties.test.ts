// Property tests: no input text makes analyzeModel throw or report an internal error, every
// range it reports lies inside the text, and inferred shapes and costs are well-formed.
import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { analyzeModel, analyzeSpec } from '../../src/analysis/analyze';
import { parseModel } from '../../src/model/parse';
import { getLayerMeta, layerKinds } from '../../src/analysis/layers';
import type { ParamMeta } from '../../src/analysis/layers';

function checkInvariants(text: string): void {
  const r = analyzeModel(text);
  const inside = (range: { start: number; end: number }) =>
    Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.start <= range.end && range.end <= text.length;
  for (const d of r.diagnostics) {
    assert.notEqual(d.code, 'internal-error', d.message);
    assert.notEqual(d.code, 'parse-failed', d.message);
    assert.ok(inside(d.range), `${d.code} range ${JSON.stringify(d.range)} outside the text`);
    assert.ok(d.message.length > 0);
    for (const f of d.fixes ?? []) for (const e of f.edits) assert.ok(inside(e.range), `fix of ${d.code} edits outside the text`);
  }
  for (const l of r.summary?.layers ?? []) {
    if (!l.output) continue;
    assert.ok(l.output.shape.every((n) => Number.isInteger(n) && n >= 1), `${l.spec.id}: shape ${JSON.stringify(l.output.shape)}`);
    assert.ok(Number.isSafeInteger(l.flops) && l.flops >= 0, `${l.spec.id}: flops ${l.flops}`);
    assert.equal(l.paramCount, l.params.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0));
  }
}

/** A value for a parameter: usually a fitting one, sometimes anything. */
function paramValue(pm: ParamMeta): fc.Arbitrary<unknown> {
  const small = fc.integer({ min: 1, max: 6 });
  const fitting: Record<string, fc.Arbitrary<unknown>> = {
    int: small,
    float: fc.double({ min: 0, max: 0.9, noNaN: true }),
    bool: fc.boolean(),
    string: fc.constantFrom('a', 'x'),
    enum: fc.constantFrom(...(pm.values ?? ['x'])),
    int_or_pair: fc.oneof(small, fc.tuple(small, small)),
    padding: fc.oneof(fc.constantFrom('valid', 'same'), fc.integer({ min: 0, max: 2 }), fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }))),
    shape: fc.array(fc.oneof(small, fc.constant(-1)), { minLength: 1, maxLength: 3 }),
    int_list: fc.array(small, { maxLength: 3 }),
    mapping: fc.constant({}),
  };
  const anything = fc.oneof(fc.integer({ min: -3, max: 100 }), fc.string({ maxLength: 4 }), fc.constant(null), fc.array(fc.integer({ min: -2, max: 4 }), { maxLength: 4 }));
  return fc.oneof({ weight: 4, arbitrary: fitting[pm.type] }, { weight: 1, arbitrary: anything });
}

const layerArb = fc
  .record({
    kind: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...layerKinds) }, { weight: 1, arbitrary: fc.constantFrom('Dens', 'conv2d', 'Nope', '') }),
    id: fc.option(fc.constantFrom('a', 'b', 'c', 'x', 'y'), { nil: undefined }),
    inputs: fc.option(fc.array(fc.constantFrom('a', 'b', 'c', 'x', 'y', 'zz'), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    seed: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  })
  .chain((l) => {
    const meta = getLayerMeta(l.kind);
    const entries = Object.entries(meta?.params ?? {});
    const params = fc.record(
      Object.fromEntries(entries.map(([name, pm]) => [name, fc.option(paramValue(pm), { nil: undefined, freq: pm.required ? 8 : 2 })])),
    );
    return params.map((p) => ({ ...l, params: p }));
  });

function toYaml(layers: { kind: string; id?: string; inputs?: string[]; params: Record<string, unknown> }[], tail: string): string {
  const items = layers.map((l) => {
    const parts = [`type: ${l.kind === '' ? '""' : l.kind}`];
    if (l.id) parts.push(`id: ${l.id}`);
    if (l.inputs) parts.push(`inputs: [${l.inputs.join(', ')}]`);
    for (const [k, v] of Object.entries(l.params)) if (v !== undefined) parts.push(`${k}: ${JSON.stringify(v)}`);
    return `  - {${parts.join(', ')}}`;
  });
  return `layers:\n${items.join('\n')}\n${tail}`;
}

const tailArb = fc.constantFrom(
  '',
  'loss: cross_entropy\n',
  'loss: {type: binary_cross_entropy, output: a}\n',
  'loss: mse\ndata: {source: spirals}\n',
  'outputs: [a, zz]\nmetrics: [accuracy, acc]\n',
  'training: {epochs: 0, validation_split: 0.5, test_split: 0.6, early_stopping: {monitor: val_x}}\n',
  'optimizer: {type: sgd, lr: -1}\nschedule: 3\n',
);

const fixtureDir = path.join(__dirname, '..', 'fixtures', 'models');
const exampleDir = path.join(__dirname, '..', '..', 'examples');
const seeds = [
  ...readdirSync(fixtureDir).filter((f) => f.endsWith('.nn.yaml')).map((f) => readFileSync(path.join(fixtureDir, f), 'utf8')),
  ...readdirSync(exampleDir).filter((f) => f.endsWith('.nn.yaml')).map((f) => readFileSync(path.join(exampleDir, f), 'utf8')),
];

/** An edit of a real model file: delete, insert, duplicate or swap pieces. */
const mutatedArb = fc
  .record({
    base: fc.constantFrom(...seeds),
    edits: fc.array(
      fc.record({
        op: fc.constantFrom('delete', 'insert', 'dupline', 'swaplines', 'indent'),
        at: fc.nat(),
        len: fc.integer({ min: 1, max: 12 }),
        text: fc.constantFrom('-', ':', ' ', '\n', '[', ']', '{', '}', '- Dense', 'units: 0', 'inputs: [x]', 'type:', '&a', '*a', '#', '"', '\t', 'id: x'),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map(({ base, edits }) => {
    let t = base;
    for (const e of edits) {
      const at = t.length ? e.at % t.length : 0;
      if (e.op === 'delete') t = t.slice(0, at) + t.slice(at + e.len);
      else if (e.op === 'insert') t = t.slice(0, at) + e.text + t.slice(at);
      else {
        const lines = t.split('\n');
        const i = at % lines.length;
        const j = (i + e.len) % lines.length;
        if (e.op === 'dupline') lines.splice(i, 0, lines[i]);
        else if (e.op === 'swaplines') [lines[i], lines[j]] = [lines[j], lines[i]];
        else lines[i] = ' '.repeat(e.len % 4) + lines[i];
        t = lines.join('\n');
      }
    }
    return t;
  });

describe('analysis properties', function () {
  // Hundreds of generated files per property; generous for a busy 2-core machine.
  this.timeout(30000);

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), checkInvariants), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('l', 'a', 'y', 'e', 'r', 's', ':', '-', ' ', '\n', '[', ']', '{', '}', ',', 'type', 'Dense', 'Input') as fc.Arbitrary<string>, maxLength: 60 }), checkInvariants), { numRuns: 300 });
  });

  it('never throws on generated models with random kinds, parameters and wiring', () => {
    fc.assert(fc.property(fc.array(layerArb, { minLength: 0, maxLength: 8 }), tailArb, (layers, tail) => checkInvariants(toYaml(layers, tail))), {
      numRuns: 400,
    });
  });

  it('never throws on mutated model files', () => {
    fc.assert(fc.property(mutatedArb, checkInvariants), { numRuns: 400 });
  });

  it('validates a 200-layer model in well under 50 ms', () => {
    const layers = ['  - {id: x, type: Input, shape: [64]}'];
    for (let i = 0; i < 199; i++) {
      if (i % 4 === 3) layers.push(`  - {id: l${i}, type: Add, inputs: [l${i - 1}, l${i - 3}]}`);
      else layers.push(`  - {id: l${i}, type: Dense, units: 64, activation: relu}`);
    }
    const text = `layers:\n${layers.join('\n')}\nloss: mse\n`;
    const model = parseModel(text).model!;
    analyzeSpec(model, text); // warm up
    // The fastest of several runs: robust against other processes competing for the CPU.
    let fastest = Infinity;
    for (let k = 0; k < 7; k++) {
      const t0 = process.hrtime.bigint();
      const r = analyzeSpec(model, text);
      fastest = Math.min(fastest, Number(process.hrtime.bigint() - t0) / 1e6);
      assert.equal(r.summary.layers.length, 200);
      assert.deepEqual(r.diagnostics, []);
    }
    // Validation and inference alone (parsing is the parser's budget) take about 2 ms.
    assert.ok(fastest < 25, `fastest run ${fastest.toFixed(1)} ms`);
  });
});
