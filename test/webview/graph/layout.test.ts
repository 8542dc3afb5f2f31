// The layered layout: rows follow the data, cards never overlap, skip connections get bend
// points beside the cards they pass, a plain chain is a straight column, cycles do not hang.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeModel } from '../../../src/analysis/analyze';
import { generateGraphBenchModel } from '../../../src/bench/graph-model';
import { buildGraphModel } from '../../../src/extension/graph/graphView';
import type { GraphModel } from '../../../src/webview-protocol/graph';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH, structureKey } from '../../../webview/graph/logic/layout';

const graphOf = (text: string) => buildGraphModel(text, analyzeModel(text), 'm.nn.yaml', 1);
const example = (name: string) => graphOf(fs.readFileSync(path.resolve(__dirname, '../../../examples', name), 'utf8'));

function assertNoOverlap(g: GraphModel, positions: Record<string, { x: number; y: number }>): void {
  const ids = g.layers.map((l) => l.id);
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = positions[ids[i]];
      const b = positions[ids[j]];
      const apart = Math.abs(a.x - b.x) >= NODE_WIDTH || Math.abs(a.y - b.y) >= NODE_HEIGHT;
      assert.ok(apart, `${ids[i]} and ${ids[j]} overlap`);
    }
  }
}

describe('graph editor: layered layout', () => {
  it('puts every layer below all of its inputs, without overlaps', () => {
    for (const name of ['residual-mlp.nn.yaml', 'digits-cnn.nn.yaml', 'tiny-transformer.nn.yaml']) {
      const g = example(name);
      const { positions } = layoutGraph(g);
      assert.deepStrictEqual(Object.keys(positions).sort(), g.layers.map((l) => l.id).sort());
      for (const e of g.edges) assert.ok(positions[e.source].y < positions[e.target].y, `${name}: ${e.source} is not above ${e.target}`);
      assertNoOverlap(g, positions);
    }
  });

  it('lays a sequential model out as one straight column', () => {
    const { positions } = layoutGraph(example('digits-cnn.nn.yaml'));
    assert.strictEqual(new Set(Object.values(positions).map((p) => p.x)).size, 1);
  });

  it('routes a skip connection through bend points beside the cards it passes', () => {
    const g = example('residual-mlp.nn.yaml');
    const { positions, bends } = layoutGraph(g);
    const skip = g.edges.find((e) => e.source === 'x' && e.target === 'joined')!;
    const points = bends[skip.id];
    assert.strictEqual(points.length, positions.joined.y / (NODE_HEIGHT + 44) - positions.x.y / (NODE_HEIGHT + 44) - 1);
    for (const p of points) {
      for (const l of g.layers) {
        const c = positions[l.id];
        const inside = p.x > c.x && p.x < c.x + NODE_WIDTH && p.y > c.y && p.y < c.y + NODE_HEIGHT;
        assert.ok(!inside, `bend ${JSON.stringify(p)} is inside ${l.id}`);
      }
    }
    // Neighbouring rows have no bends.
    assert.strictEqual(bends[g.edges.find((e) => e.source === 'x' && e.target === 'h1')!.id], undefined);
  });

  it('keeps the residual blocks of a 300-layer model in one column (no drift)', () => {
    const g = graphOf(generateGraphBenchModel(300));
    const { positions } = layoutGraph(g);
    const mainPath = g.layers.filter((l) => /_(fc1|fc2|add|norm)$/.test(l.id)).map((l) => positions[l.id].x);
    assert.strictEqual(new Set(mainPath).size, 1);
    assertNoOverlap(g, positions);
  });

  it('survives a cycle and a forward reference', () => {
    const text = ['layers:', '  - id: a', '    type: Input', '    shape: [4]', '  - id: b', '    type: Dense', '    units: 4', '    inputs: [a, c]', '  - id: c', '    type: Dense', '    units: 4', ''].join('\n');
    const g = graphOf(text);
    const { positions } = layoutGraph(g);
    assert.ok(positions.a.y < positions.b.y && positions.b.y < positions.c.y);
  });

  it('needs a new layout only when layers or connections change', () => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../../examples/digits-mlp.nn.yaml'), 'utf8');
    const key = structureKey(graphOf(text));
    assert.strictEqual(structureKey(graphOf(text.replace('units: 64', 'units: 32'))), key);
    assert.notStrictEqual(structureKey(graphOf(text.replace('id: hidden2', 'id: h2'))), key);
  });
});
