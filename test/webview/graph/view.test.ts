// What the canvas is given: nodes with fixed sizes, ports and screen-reader labels; edges with
// shapes, bend points and gradient colours; keyboard moves; copy; gradient magnitudes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { adoptUserNodes, fitViewport, type InternalNodeBase, type PanZoomInstance, type Viewport } from '@xyflow/system';
import { analyzeModel } from '../../../src/analysis/analyze';
import { layerGradientNorms } from '../../../src/extension/graph/gradients';
import { buildGraphModel } from '../../../src/extension/graph/graphView';
import { clipLayers, clipText } from '../../../webview/graph/logic/clipboard';
import { edgeSignature, formatCount, groupDigits, layerAriaLabel, nodeSignature, Reuse, toFlowEdges, toFlowNodes } from '../../../webview/graph/logic/flow';
import { gradientHeat, heatColor } from '../../../webview/graph/logic/gradientColor';
import { layoutGraph } from '../../../webview/graph/logic/layout';
import { neighbour } from '../../../webview/graph/logic/navigation';

const text = fs.readFileSync(path.resolve(__dirname, '../../../examples/residual-mlp.nn.yaml'), 'utf8');
const g = buildGraphModel(text, analyzeModel(text), 'residual-mlp.nn.yaml', 1);
const laid = layoutGraph(g);

describe('graph editor: canvas data', () => {
  it('gives every card its position, fixed size, ports and a label a screen reader can read', () => {
    const nodes = toFlowNodes(g, laid.positions, new Set(['h1']), null);
    const h1 = nodes.find((n) => n.id === 'h1')!;
    assert.deepStrictEqual([h1.position, h1.width, h1.height, h1.selected, h1.draggable], [laid.positions.h1, 220, 76, true, false]);
    assert.deepStrictEqual(h1.handles!.map((h) => [h.id, h.type]), [['in', 'target'], ['out', 'source']]);
    assert.deepStrictEqual(nodes.find((n) => n.id === 'x')!.handles!.map((h) => h.id), ['out'], 'an Input has no input port');
    assert.strictEqual(h1.ariaLabel, 'Dense layer h1; units 32, tanh; output [32]; 96 parameters');
  });

  it('mentions problems in the label', () => {
    const layer = { ...g.layers[1], diagnostics: [{ severity: 'error' as const, code: 'x', message: 'Broken.' }] };
    assert.match(layerAriaLabel(layer), /1 error\(s\), 0 warning\(s\): Broken\.$/);
  });

  it('labels edges with shapes and passes bend points and gradient heat', () => {
    const edges = toFlowEdges(g, laid.bends, new Set(), { h1: 1, h2: 100 });
    const e = edges.find((x) => x.source === 'h1' && x.target === 'h2')!;
    assert.deepStrictEqual([e.data!.label, e.data!.heat, e.targetHandle, e.sourceHandle], ['[32]', 0, 'in', 'out']);
    assert.strictEqual(edges.find((x) => x.source === 'h2')!.data!.heat, 1);
    assert.strictEqual(edges.find((x) => x.source === 'x' && x.target === 'joined')!.data!.bends, laid.bends['joined:1']);
  });

  it('reuses unchanged node objects so only edited cards are processed again', () => {
    const reuse = new Reuse(nodeSignature);
    const first = reuse.apply(toFlowNodes(g, laid.positions, new Set(), null));
    const edited = buildGraphModel(text.replace('units: 2', 'units: 3'), analyzeModel(text.replace('units: 2', 'units: 3')), 'r', 2);
    const second = reuse.apply(toFlowNodes(edited, laid.positions, new Set(), null));
    const changed = second.filter((n, i) => n !== first[i]).map((n) => n.id);
    assert.deepStrictEqual(changed, ['out']);
    const edgeReuse = new Reuse(edgeSignature);
    const e1 = edgeReuse.apply(toFlowEdges(g, laid.bends, new Set(), null));
    assert.deepStrictEqual(edgeReuse.apply(toFlowEdges(g, laid.bends, new Set(), null)), e1);
  });

  it('keeps every card in fit-to-view after an edit that moves the cards (paste, duplicate)', async () => {
    // React Flow's own bookkeeping: a changed node object is adopted afresh, keeping only the size
    // it carries. A card without one is left out of fit-view; with none left the view flew to max zoom.
    const lookup = new Map<string, InternalNodeBase>();
    const reuse = new Reuse(nodeSignature);
    adoptUserNodes(reuse.apply(toFlowNodes(g, laid.positions, new Set(), null)), lookup, new Map(), { checkEquality: true });
    const pasted = text.replace('  - id: out', '  - id: h1_copy\n    type: Dense\n    inputs: [x]\n    units: 32\n  - id: out');
    const g2 = buildGraphModel(pasted, analyzeModel(pasted), 'residual-mlp.nn.yaml', 2);
    const laid2 = layoutGraph(g2);
    adoptUserNodes(reuse.apply(toFlowNodes(g2, laid2.positions, new Set(['h1_copy']), null)), lookup, new Map(), { checkEquality: true });
    let fitted: Viewport | undefined;
    const panZoom = { setViewport: async (v: Viewport) => (fitted = v) } as unknown as PanZoomInstance;
    await fitViewport({ nodes: lookup, width: 800, height: 600, panZoom, minZoom: 0.05, maxZoom: 2 }, { padding: 0.1 });
    const xs = Object.values(laid2.positions).map((p) => p.x);
    const ys = Object.values(laid2.positions).map((p) => p.y);
    const w = Math.max(...xs) + 220 - Math.min(...xs);
    const h = Math.max(...ys) + 76 - Math.min(...ys);
    assert.ok(fitted && Number.isFinite(fitted.x) && Number.isFinite(fitted.y), `fit gave ${JSON.stringify(fitted)}`);
    assert.ok(Math.abs(fitted.zoom - Math.min(800 / w, 600 / h) / 1.1) < 0.02 * fitted.zoom, `zoom ${fitted.zoom} does not fit ${w}x${h} in 800x600`);
  });

  it('moves keyboard focus along the data', () => {
    assert.strictEqual(neighbour(g, laid.positions, 'h1', 'down'), 'h2');
    assert.strictEqual(neighbour(g, laid.positions, 'h2', 'up'), 'h1');
    assert.strictEqual(neighbour(g, laid.positions, 'joined', 'up'), 'skip', 'the nearer input first');
    assert.strictEqual(neighbour(g, laid.positions, 'out', 'down'), undefined);
    assert.strictEqual(neighbour(g, laid.positions, 'x', 'left'), undefined);
  });

  it('copies selected layers in file order, as data and as YAML', () => {
    const clip = clipLayers(g, new Set(['h2', 'h1']));
    assert.deepStrictEqual(clip.map((c) => [c.id, c.kind, c.inputs]), [['h1', 'Dense', ['x']], ['h2', 'Dense', ['h1']]]);
    assert.strictEqual(clipText(clip.slice(0, 1)), '- id: h1\n  type: Dense\n  inputs: [x]\n  units: 32\n  activation: tanh');
  });

  it('gradient magnitude per layer is the L2 norm over its parameters, heat on a log scale', () => {
    const stat = (layer: string, param: string, gradNorm: number) => ({ name: `${layer}.${param}`, layer, param, gradNorm, weightNorm: 1, updateRatio: 0 });
    assert.deepStrictEqual(layerGradientNorms([stat('a', 'weight', 3), stat('a', 'bias', 4), stat('b', 'weight', 0.5), stat('c', 'weight', NaN)]), { a: 5, b: 0.5 });
    assert.strictEqual(gradientHeat('a', { a: 10, b: 0.1, c: 1 }), 1);
    assert.strictEqual(gradientHeat('c', { a: 10, b: 0.1, c: 1 }), 0.5);
    assert.strictEqual(gradientHeat('zzz', { a: 1 }), undefined);
    assert.strictEqual(gradientHeat('a', null), undefined);
    assert.match(heatColor(0.25), /var\(--vscode-charts-red[^)]*\) 25%/);
  });

  it('formats counts', () => {
    assert.deepStrictEqual([formatCount(999), formatCount(1234), formatCount(18816), formatCount(2_500_000)], ['999', '1.2K', '19K', '2.50M']);
    assert.deepStrictEqual([groupDigits(0), groupDigits(1234567)], ['0', '1,234,567']);
  });
});
