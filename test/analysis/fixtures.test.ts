// Data-driven: every test/fixtures/models/*.nn.yaml is analysed and compared with its
// *.expected.json — the exact diagnostics (code, severity, line:col, message) and, when given,
// the summary (per-layer output shape, parameter count and FLOPs, and the totals).
import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { analyzeModel } from '../../src/analysis/analyze';
import { LineIndex } from '../../src/model/types';
import { analysisCodes } from '../../src/analysis/codes';

const dir = path.join(__dirname, '..', 'fixtures', 'models');

interface ExpectedLayer {
  id: string;
  kind: string;
  shape: number[] | null;
  params: number;
  flops: number;
}

interface Expected {
  summary?: {
    layers: ExpectedLayer[];
    outputs: string[];
    totalParams: number;
    trainableParams: number;
    totalFlops: number;
    totalActivationBytes: number;
  };
  diagnostics: { code: string; severity: string; at: string; message: string }[];
}

describe('analysis fixtures', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.nn.yaml')).sort();

  it('has at least 25 fixtures, each with an expected result', () => {
    assert.ok(files.length >= 25, `only ${files.length} fixtures`);
    for (const f of files) assert.ok(readdirSync(dir).includes(f.replace(/\.nn\.yaml$/, '.expected.json')), `${f} has no .expected.json`);
  });

  for (const file of files) {
    it(file, () => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const expected = JSON.parse(readFileSync(path.join(dir, file.replace(/\.nn\.yaml$/, '.expected.json')), 'utf8')) as Expected;
      const result = analyzeModel(text);
      const lines = new LineIndex(text);
      const actual = result.diagnostics.map((d) => {
        const p = lines.position(d.range.start);
        return { code: d.code, severity: d.severity, at: `${p.line + 1}:${p.col + 1}`, message: d.message };
      });
      assert.deepEqual(actual, expected.diagnostics);
      if (expected.summary) {
        const s = result.summary;
        assert.ok(s, 'no summary');
        assert.deepEqual(
          s.layers.map((l) => ({ id: l.spec.id, kind: l.kind, shape: l.output?.shape ?? null, params: l.paramCount, flops: l.flops })),
          expected.summary.layers,
        );
        assert.deepEqual(s.outputs, expected.summary.outputs);
        assert.equal(s.totalParams, expected.summary.totalParams);
        assert.equal(s.trainableParams, expected.summary.trainableParams);
        assert.equal(s.totalFlops, expected.summary.totalFlops);
        assert.equal(s.totalActivationBytes, expected.summary.totalActivationBytes);
      }
    });
  }

  it('covers every layer kind with a successful shape inference', () => {
    const kinds = new Set<string>();
    for (const f of files) {
      const r = analyzeModel(readFileSync(path.join(dir, f), 'utf8'));
      for (const l of r.summary?.layers ?? []) if (l.output) kinds.add(l.kind);
    }
    const layersJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'src', 'analysis', 'layers.json'), 'utf8')) as object;
    assert.deepEqual(Object.keys(layersJson).filter((k) => !kinds.has(k)), []);
  });

  it('shows every analysis diagnostic code in some fixture, and no undocumented one', () => {
    const seen = new Set<string>();
    for (const f of files) {
      const expected = JSON.parse(readFileSync(path.join(dir, f.replace(/\.nn\.yaml$/, '.expected.json')), 'utf8')) as Expected;
      for (const d of expected.diagnostics) seen.add(d.code);
    }
    const documented = Object.keys(analysisCodes).filter((c) => c !== 'internal-error');
    assert.deepEqual(documented.filter((c) => !seen.has(c)), []);
    assert.deepEqual([...seen].filter((c) => !(c in analysisCodes)), []);
  });
});
