// Every gradient rule against central finite differences (see harness.ts), one test per case.
import * as assert from 'node:assert/strict';
import { opsWithGradients } from '../../src/compiler/autodiff/registry';
import { caseName, checkGradients, type GradCase } from './harness';
import { convCases } from './cases/conv';
import { elementwiseCases } from './cases/elementwise';
import { linalgCases } from './cases/linalg';
import { reduceCases } from './cases/reduce';
import { shapeCases } from './cases/shape';

const groups: Record<string, GradCase[]> = {
  linalg: linalgCases,
  elementwise: elementwiseCases,
  reduce: reduceCases,
  shape: shapeCases,
  conv: convCases,
};

describe('gradient rules vs finite differences', () => {
  for (const [group, cases] of Object.entries(groups)) {
    describe(group, () => {
      for (const c of cases) it(caseName(c), () => checkGradients(c));
    });
  }

  it('covers every op that has a gradient rule', () => {
    const tested = new Set(Object.values(groups).flat().map((c) => c.op));
    assert.deepEqual(opsWithGradients().filter((op) => !tested.has(op)), []);
  });
});
