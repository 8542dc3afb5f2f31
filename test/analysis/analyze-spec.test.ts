// analyzeSpec on ModelSpec objects built by hand (no file text): the validator and shape rules
// work on the parsed form alone, and quick fixes that need the text degrade gracefully.
import { strict as assert } from 'assert';
import { analyzeSpec } from '../../src/analysis/analyze';
import type { LayerSpec, ModelSpec, SourceValue } from '../../src/model/types';

const at = { start: 0, end: 0 };

function value(v: unknown): SourceValue {
  return { value: v, range: at, keyRange: at };
}

function layer(index: number, id: string, kind: string, inputs: string[], params: Record<string, unknown> = {}): LayerSpec {
  return {
    id,
    idWritten: true,
    idRange: at,
    kind,
    kindRange: at,
    inputs: inputs.map((i) => ({ id: i, range: at })),
    implicitInputs: false,
    params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, value(v)])),
    range: at,
    index,
  };
}

function model(layers: LayerSpec[]): ModelSpec {
  return { layers, layersRange: at, unknownKeys: [] };
}

describe('analyzeSpec on hand-built specs', () => {
  it('infers a branching model declared out of order', () => {
    const { summary, diagnostics } = analyzeSpec(
      model([
        layer(0, 'joined', 'Concat', ['left', 'right'], { axis: 0 }),
        layer(1, 'left', 'Dense', ['x'], { units: 3 }),
        layer(2, 'x', 'Input', [], { shape: [5] }),
        layer(3, 'right', 'Dense', ['x'], { units: 4, use_bias: false }),
      ]),
    );
    assert.deepEqual(diagnostics, []);
    const byId = Object.fromEntries(summary.layers.map((l) => [l.spec.id, l]));
    assert.deepEqual(byId.joined.output!.shape, [7]);
    // left 5*3 + 3 = 18, right 5*4 = 20
    assert.equal(summary.totalParams, 38);
    assert.deepEqual(summary.outputs, ['joined']);
  });

  it('normalises attributes with defaults applied', () => {
    const { summary } = analyzeSpec(
      model([layer(0, 'x', 'Input', [], { shape: [1, 9, 9] }), layer(1, 'c', 'Conv2D', ['x'], { filters: 2, kernel_size: [3, 1], padding: 1 }), layer(2, 'p', 'MaxPool2D', ['c'])]),
    );
    const [, conv, pool] = summary.layers;
    assert.deepEqual(conv.attrs, {
      filters: 2,
      kernel_size: [3, 1],
      strides: [1, 1],
      padding: [1, 1],
      dilation: [1, 1],
      groups: 1,
      activation: 'linear',
      use_bias: true,
      pads: [1, 1, 1, 1],
    });
    assert.deepEqual(conv.output!.shape, [2, 9, 11]);
    // strides default to the pool size
    assert.deepEqual(pool.attrs.strides, [2, 2]);
    assert.deepEqual(pool.output!.shape, [2, 4, 5]);
  });

  it('reports without text, and removal fixes still edit inside the ranges given', () => {
    const { diagnostics } = analyzeSpec(model([layer(0, 'x', 'Input', [], { shape: [4], colour: 'red' })]));
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['unknown-param'],
    );
    assert.deepEqual(diagnostics[0].fixes?.[0].edits, [{ range: at, newText: '' }]);
  });

  it('does not throw on a spec with odd values', () => {
    const odd = layer(1, 'd', 'Dense', ['x', 'x', 'x'], { units: { nested: true }, activation: [1] });
    const r = analyzeSpec(model([layer(0, 'x', 'Input', [], { shape: 'wide' }), odd, layer(2, 'constructor', 'toString', ['__proto__'])]));
    assert.ok(r.diagnostics.every((d) => d.code !== 'internal-error'));
    assert.ok(r.diagnostics.some((d) => d.code === 'unknown-kind'));
  });
});
