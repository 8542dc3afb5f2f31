// The palette comes from layers.json: every kind, searchable by name, alias, category and doc;
// a new layer gets the required parameters' examples, so it validates as soon as it is added.
import * as assert from 'assert';
import { analyzeModel } from '../../../src/analysis/analyze';
import { layerKinds } from '../../../src/analysis/layers';
import { addLayer, applyEdits } from '../../../src/model/edit';
import { filterPalette, newLayerParams, paletteEntries } from '../../../webview/graph/logic/palette';

describe('graph editor: palette', () => {
  const entries = paletteEntries();

  it('lists every layer kind of layers.json once, grouped by category', () => {
    assert.deepStrictEqual(entries.map((e) => e.kind).sort(), [...layerKinds].sort());
    const firstOf = new Map<string, number>();
    entries.forEach((e, i) => firstOf.set(e.category, firstOf.get(e.category) ?? i));
    entries.forEach((e, i) => assert.ok(i >= firstOf.get(e.category)!, 'categories are contiguous'));
    assert.strictEqual(entries[0].kind, 'Input');
  });

  it('finds kinds by name, alias, category and doc words, best matches first', () => {
    assert.deepStrictEqual(filterPalette(entries, 'conv').slice(0, 2).map((e) => e.kind).sort(), ['Conv1D', 'Conv2D']);
    assert.strictEqual(filterPalette(entries, 'conv')[0].kind, 'Conv2D', 'its alias Conv matches exactly');
    assert.strictEqual(filterPalette(entries, 'linear')[0].kind, 'Dense');
    assert.ok(filterPalette(entries, 'pooling').every((e) => e.category === 'pooling' || /pool/i.test(e.kind + e.doc)));
    assert.deepStrictEqual(filterPalette(entries, 'zzzz'), []);
    assert.strictEqual(filterPalette(entries, '').length, entries.length);
  });

  it('gives every kind the parameters it requires, so no added layer has a parameter problem', () => {
    for (const kind of layerKinds) {
      const base = 'layers:\n  - id: x\n    type: Input\n    shape: [8, 16]\n';
      const r = addLayer(base, { kind, id: 'new', params: newLayerParams(kind) });
      assert.ok(r.ok, `${kind}: ${!r.ok && r.error}`);
      const problems = analyzeModel(applyEdits(base, r.edits)).diagnostics.filter((d) => d.layer === 'new' && ['missing-param', 'invalid-param', 'unknown-param'].includes(d.code));
      assert.deepStrictEqual(problems.map((d) => d.message), [], kind);
    }
  });
});
