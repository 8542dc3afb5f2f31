// Quick fixes: applying a diagnostic's fix gives the expected text, and the problem is gone.
import { strict as assert } from 'assert';
import { analyzeModel } from '../../src/analysis/analyze';
import type { Diagnostic, TextEdit } from '../../src/model/types';

function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.start - a.range.start)) {
    out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  }
  return out;
}

/** Applies the first fix of the only diagnostic with `code`, checks the code is then gone. */
function fix(text: string, code: string): string {
  const found = analyzeModel(text).diagnostics.filter((d: Diagnostic) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(analyzeModel(text).diagnostics.map((d) => d.code))}`);
  const f = found[0].fixes?.[0];
  assert.ok(f, `${code} has no fix`);
  const fixed = applyEdits(text, f.edits);
  assert.deepEqual(
    analyzeModel(fixed).diagnostics.filter((d) => d.code === code),
    [],
    `still ${code} after the fix:\n${fixed}`,
  );
  return fixed;
}

const lines = (...ls: string[]) => ls.join('\n') + '\n';
const input = '  - {id: x, type: Input, shape: [4]}';

describe('quick fixes', () => {
  it('replaces a misspelt layer kind', () => {
    assert.equal(fix(lines('layers:', input, '  - type: Dens', '    units: 2'), 'unknown-kind'), lines('layers:', input, '  - type: Dense', '    units: 2'));
  });

  it('inserts a missing parameter in block, flow and shorthand items', () => {
    assert.equal(
      fix(lines('layers:', input, '  - type: Dense   # head', '    activation: relu'), 'missing-param'),
      lines('layers:', input, '  - type: Dense   # head', '    units: 64', '    activation: relu'),
    );
    assert.equal(
      fix(lines('layers:', input, '  - id: out', '    type: Dense'), 'missing-param'),
      lines('layers:', input, '  - id: out', '    type: Dense', '    units: 64'),
    );
    assert.equal(fix(lines('layers:', input, '  - {type: Dense, id: o}'), 'missing-param'), lines('layers:', input, '  - {type: Dense, units: 64, id: o}'));
    assert.equal(fix(lines('layers:', input, '  - Dense'), 'missing-param'), lines('layers:', input, '  - {type: Dense, units: 64}'));
  });

  it('renames a misspelt parameter and removes a foreign one', () => {
    assert.equal(
      fix(lines('layers:', input, '  - type: Dense', '    unit: 3'), 'unknown-param'),
      lines('layers:', input, '  - type: Dense', '    units: 3'),
    );
    assert.equal(
      fix(lines('layers:', input, '  - type: Dense', '    units: 3', '    frobnicate: 1  # old', '  - ReLU'), 'unknown-param'),
      lines('layers:', input, '  - type: Dense', '    units: 3', '  - ReLU'),
    );
    assert.equal(
      fix(lines('layers:', input, '  - {type: Dense, units: 3, frobnicate: 1}'), 'unknown-param'),
      lines('layers:', input, '  - {type: Dense, units: 3}'),
    );
    assert.equal(
      fix(lines('layers:', input, '  - frobnicate: 1', '    type: Dense', '    units: 3'), 'unknown-param'),
      lines('layers:', input, '  - type: Dense', '    units: 3'),
    );
  });

  it('corrects an enum value written in the wrong case', () => {
    assert.equal(
      fix(lines('layers:', input, '  - {type: Dense, units: 3, activation: ReLU}'), 'invalid-param'),
      lines('layers:', input, '  - {type: Dense, units: 3, activation: relu}'),
    );
  });

  it('points a dangling input at the id it probably meant', () => {
    assert.equal(
      fix(lines('layers:', input, '  - {id: h, type: Dense, units: 3, inputs: [y]}'), 'unknown-input'),
      lines('layers:', input, '  - {id: h, type: Dense, units: 3, inputs: [x]}'),
    );
  });

  it('inserts an Input layer', () => {
    const fixed = fix(lines('layers:', '  - type: Dense', '    units: 3'), 'no-input');
    assert.equal(fixed, lines('layers:', '  - {type: Input, shape: [4]}', '  - type: Dense', '    units: 3'));
    assert.deepEqual(analyzeModel(fixed).diagnostics, []);
  });

  it('removes a softmax before cross_entropy: the activation or the whole layer', () => {
    assert.equal(
      fix(lines('layers:', input, '  - type: Dense', '    units: 3', '    activation: softmax', 'loss: cross_entropy'), 'double-softmax'),
      lines('layers:', input, '  - type: Dense', '    units: 3', 'loss: cross_entropy'),
    );
    assert.equal(
      fix(lines('layers:', input, '  - {type: Dense, units: 3}', '  - type: Softmax', '    axis: -1', 'loss: cross_entropy'), 'double-softmax'),
      lines('layers:', input, '  - {type: Dense, units: 3}', 'loss: cross_entropy'),
    );
  });

  it('changes a loss that does not fit the output', () => {
    assert.equal(
      fix(lines('layers:', input, '  - {type: Dense, units: 1}', 'loss: cross_entropy'), 'loss-mismatch'),
      lines('layers:', input, '  - {type: Dense, units: 1}', 'loss: binary_cross_entropy'),
    );
    assert.equal(
      fix(lines('layers:', '  - {type: Input, shape: [2]}', '  - {type: Dense, units: 4}', 'loss: cross_entropy', 'data: {source: moons}'), 'loss-mismatch'),
      lines('layers:', '  - {type: Input, shape: [2]}', '  - {type: Dense, units: 2}', 'loss: cross_entropy', 'data: {source: moons}'),
    );
  });

  it('renames settings', () => {
    const base = lines('layers:', input, '  - {type: Dense, units: 2}');
    assert.equal(fix(`${base}loss: crossentropy\n`, 'unknown-loss'), `${base}loss: cross_entropy\n`);
    assert.equal(fix(`${base}optimizer: {type: adam, learning_rate: 0.1}\n`, 'unknown-option'), `${base}optimizer: {type: adam, lr: 0.1}\n`);
    assert.equal(fix(`${base}metrics: [acc]\n`, 'unknown-metric'), `${base}metrics: [accuracy]\n`);
    assert.equal(fix(`${base}schedule: cosine_annealing\n`, 'unknown-schedule'), `${base}schedule: cosine\n`);
    assert.equal(fix(`${base}optimizer: Adam\n`, 'unknown-optimizer'), `${base}optimizer: adam\n`);
  });

  it('tells a softmax over another axis from a redundant one', () => {
    const text = lines('layers:', '  - {id: x, type: Input, shape: [3, 4]}', '  - type: Softmax', '    axis: 0', 'loss: cross_entropy');
    const d = analyzeModel(text).diagnostics;
    assert.deepEqual(d.map((x) => x.code), ['double-softmax']);
    assert.match(d[0].message, /applies Softmax over axis 0 and cross_entropy applies softmax again over the last axis/);
    assert.equal(applyEdits(text, d[0].fixes![0].edits), lines('layers:', '  - {id: x, type: Input, shape: [3, 4]}', 'loss: cross_entropy'));
  });
});
