// Parser behaviour beyond the fixtures: exact source ranges, quick fixes, implicit wiring,
// default outputs, hostile inputs and speed.
import * as assert from 'assert';
import { applyEdits } from '../../src/model/edit';
import { parseModel } from '../../src/model/parse';

describe('parseModel', () => {
  it('maps layers, keys, parameters and references back to their offsets', () => {
    const text = 'layers:\n  - id: a\n    type: Input\n    shape: [2, 3]\n  - type: Add\n    inputs: [a, a]\n';
    const model = parseModel(text).model!;
    const [a, add] = model.layers;
    assert.strictEqual(text.slice(a.idRange.start, a.idRange.end), 'a');
    assert.strictEqual(text.slice(a.kindRange.start, a.kindRange.end), 'Input');
    assert.strictEqual(text.slice(a.params.shape.range.start, a.params.shape.range.end), '[2, 3]');
    assert.deepStrictEqual(a.params.shape.value, [2, 3]);
    assert.strictEqual(text.slice(a.range.start, a.range.end).trimEnd(), 'id: a\n    type: Input\n    shape: [2, 3]');
    assert.strictEqual(add.id, 'add_1');
    assert.strictEqual(add.idWritten, false);
    assert.deepStrictEqual(add.idRange, add.kindRange);
    assert.deepStrictEqual(
      add.inputs.map((r) => r.range.start),
      [text.indexOf('[a, a]') + 1, text.indexOf('[a, a]') + 4],
    );
    assert.strictEqual(text.slice(add.inputsRange!.start, add.inputsRange!.end), '[a, a]');
    assert.strictEqual(add.index, 1);
    assert.strictEqual(text.slice(model.layersRange.start, model.layersRange.end).trimEnd(), text.slice(10).trimEnd());
  });

  it('points implicit inputs at the type of the layer and wires Input layers to nothing', () => {
    const text = 'layers:\n  - type: Dense\n    units: 2\n  - type: Input\n    shape: [1]\n  - Flatten\n';
    const [dense, input, flatten] = parseModel(text).model!.layers;
    assert.deepStrictEqual(dense.inputs, []);
    assert.deepStrictEqual(input.inputs, []);
    assert.strictEqual(input.implicitInputs, true);
    assert.deepStrictEqual(flatten.inputs, [{ id: 'input_1', range: flatten.kindRange }]);
  });

  it('numbers generated ids by position among layers of the kind and skips written ids', () => {
    const text = 'layers:\n  - {type: Input, shape: [1]}\n  - {id: dense_2, type: Dense, units: 1}\n  - {type: Dense, units: 1}\n  - {type: Dense, units: 1}\n';
    assert.deepStrictEqual(
      parseModel(text).model!.layers.map((l) => l.id),
      ['input_1', 'dense_2', 'dense_3', 'dense_4'],
    );
    const second = 'layers:\n  - {type: Input, shape: [1]}\n  - {type: Dense, units: 1}\n  - {id: dense_1x, type: Dense, units: 1}\n  - {type: Dense, units: 1}\n';
    assert.deepStrictEqual(
      parseModel(second).model!.layers.map((l) => l.id),
      ['input_1', 'dense_1', 'dense_1x', 'dense_3'],
    );
  });

  it('defaults outputs to the layers nothing consumes, and keeps written outputs with their range', () => {
    const dag = 'layers:\n  - {id: x, type: Input, shape: [2]}\n  - {id: a, type: Dense, units: 1, inputs: x}\n  - {id: b, type: Dense, units: 1, inputs: x}\n';
    const model = parseModel(dag).model!;
    assert.deepStrictEqual(model.outputs!.map((o) => o.id), ['a', 'b']);
    assert.strictEqual(model.outputsRange, undefined);
    const written = `${dag}outputs: b\n`;
    const m2 = parseModel(written).model!;
    assert.deepStrictEqual(m2.outputs!.map((o) => o.id), ['b']);
    assert.strictEqual(written.slice(m2.outputsRange!.start, m2.outputsRange!.end), 'b');
  });

  it('reads the scalar shorthand of loss, optimizer and schedule as their type', () => {
    const text = 'layers: [{type: Input, shape: [1]}]\nloss: mse\noptimizer: adam\nschedule: {type: step, step_size: 3}\n';
    const model = parseModel(text).model!;
    assert.strictEqual(model.loss!.type!.value, 'mse');
    assert.strictEqual(text.slice(model.loss!.type!.range.start, model.loss!.type!.range.end), 'mse');
    assert.strictEqual(model.optimizer!.type!.value, 'adam');
    assert.strictEqual(model.schedule!.type!.value, 'step');
    assert.strictEqual(model.schedule!.params.step_size.value, 3);
    assert.strictEqual(text.slice(model.loss!.keyRange!.start, model.loss!.keyRange!.end), 'loss');
  });

  it('offers a quick fix that renames a misspelt top-level key', () => {
    const text = 'layers: [{type: Input, shape: [1]}]\nmetric: [accuracy]\n';
    const d = parseModel(text).diagnostics.find((x) => x.code === 'unknown-key')!;
    assert.strictEqual(d.severity, 'warning');
    assert.strictEqual(d.fixes!.length, 1);
    const fixed = applyEdits(text, d.fixes![0].edits);
    assert.strictEqual(fixed, 'layers: [{type: Input, shape: [1]}]\nmetrics: [accuracy]\n');
    assert.deepStrictEqual(parseModel(fixed).diagnostics, []);
  });

  it('offers to wrap a bare data source name in a mapping', () => {
    const text = 'layers: [{type: Input, shape: [1]}]\ndata: spirals\n';
    const d = parseModel(text).diagnostics.find((x) => x.code === 'wrong-type')!;
    const fixed = applyEdits(text, d.fixes![0].edits);
    assert.strictEqual(parseModel(fixed).model!.data!.params.source.value, 'spirals');
  });

  it('reports a layers list that is missing, empty or has no items', () => {
    for (const text of ['name: x\n', 'layers:\n', 'layers: []\n', 'layers: Dense\n']) {
      const codes = parseModel(text).diagnostics.map((d) => d.code);
      assert.deepStrictEqual(codes, ['no-layers'], text);
    }
  });

  it('survives hostile input without throwing', () => {
    const hostile = [
      '['.repeat(100_000),
      '{a: '.repeat(20_000),
      Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}- `).join('\n'),
      'a: &a [1,2,3,4,5,6,7,8,9]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nlayers:\n  - type: Dense\n    units: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
      'layers:\n  - &x {type: Dense, inputs: *x}\n',
      '\u0000\u0001\u0002\uFFFF\uD800garbage: [}\n',
      '%YAML 1.1\n%TAG ! tag:x\n--- !foo\nlayers: !!binary abc\n',
      'layers:\n  - type: Dense\n---\nlayers: []\n',
      '? [a, b]\n: c\nlayers:\n  - ? {x: 1}\n    : 2\n',
    ];
    for (const text of hostile) {
      const result = parseModel(text);
      assert.ok(Array.isArray(result.diagnostics));
      for (const d of result.diagnostics) assert.ok(d.range.end <= text.length && d.range.start <= d.range.end);
    }
    assert.ok(parseModel('['.repeat(100_000)).diagnostics.some((d) => d.code === 'yaml-syntax'));
  });

  it('parses a 200-layer file in a few milliseconds', () => {
    const lines = ['layers:', '  - {id: x, type: Input, shape: [1, 16, 16]}'];
    for (let i = 0; i < 200; i++) {
      lines.push(`  - type: ${i % 2 ? 'Dense' : 'Conv2D'}  # layer ${i}`, `    units: ${i + 1}`, '    activation: relu');
    }
    const text = `${lines.join('\n')}\nloss: mse\n`;
    for (let i = 0; i < 10; i++) parseModel(text);
    // CPU time (not wall time) and the best of several batches, so that other processes on a
    // busy machine do not fail the test.
    let ms = Infinity;
    for (let batch = 0; batch < 5; batch++) {
      const start = process.cpuUsage();
      for (let i = 0; i < 5; i++) parseModel(text);
      const used = process.cpuUsage(start);
      ms = Math.min(ms, (used.user + used.system) / 1000 / 5);
    }
    assert.strictEqual(parseModel(text).model!.layers.length, 201);
    // Typically about 5 ms (most of it in the YAML library); the bound leaves room for slow machines.
    assert.ok(ms < 25, `took ${ms.toFixed(1)} ms`);
  });
});
