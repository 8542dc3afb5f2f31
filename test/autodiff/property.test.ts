// Property: for random expressions of elementwise and broadcasting ops over random shapes,
// addBackward's gradients match central differences.
import fc from 'fast-check';
import type { Graph } from '../../src/onnx/graph';
import { checkGradients, v } from './harness';

type Expr = { leaf: number } | { unary: string; arg: Expr } | { binary: string; left: Expr; right: Expr };

const UNARY = ['Tanh', 'Sigmoid', 'Sin', 'Neg', 'Exp'];
/** SafeDiv is a / (1 + b²): division without poles. */
const BINARY = ['Add', 'Sub', 'Mul', 'SafeDiv'];

/** A shape and up to three input shapes that broadcast to (a suffix of) it. */
const shapesArb = fc
  .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })
  .chain((base) =>
    fc.array(
      fc.tuple(fc.integer({ min: 0, max: base.length - 1 }), fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length })).map(([drop, unit]) =>
        base.map((d, i) => (unit[i] ? 1 : d)).slice(drop),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  );

function exprArb(inputs: number): fc.Arbitrary<Expr> {
  const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: 0, max: inputs - 1 }).map((leaf): Expr => ({ leaf })),
      fc.record({ unary: fc.constantFrom(...UNARY), arg: tie('expr') }),
      fc.record({ binary: fc.constantFrom(...BINARY), left: tie('expr'), right: tie('expr') }),
    ),
  }));
  return expr;
}

function emit(g: Graph, e: Expr, ins: string[]): string {
  if ('leaf' in e) return ins[e.leaf];
  if ('unary' in e) return g.op(e.unary, [emit(g, e.arg, ins)]);
  const a = emit(g, e.left, ins);
  const b = emit(g, e.right, ins);
  if (e.binary !== 'SafeDiv') return g.op(e.binary, [a, b]);
  return g.op('Div', [a, g.op('Add', [g.op('Mul', [b, b]), g.constant(Float64Array.of(1), [], 'one')])]);
}

function show(e: Expr): string {
  if ('leaf' in e) return `x${e.leaf}`;
  if ('unary' in e) return `${e.unary}(${show(e.arg)})`;
  return `${e.binary}(${show(e.left)}, ${show(e.right)})`;
}

describe('gradients of random elementwise expressions', () => {
  it('match finite differences', async () => {
    const arb = shapesArb.chain((shapes) => fc.tuple(fc.constant(shapes), exprArb(shapes.length), fc.integer({ min: 1, max: 1000 })));
    await fc.assert(
      fc.asyncProperty(arb, async ([shapes, expr, seed]) => {
        await checkGradients({
          op: show(expr),
          inputs: shapes.map((s) => v(s)),
          dtype: 'float64',
          seed,
          // Deep compositions (e.g. Exp(Exp(...))) amplify rounding a little.
          tol: { rtol: 1e-5, atol: 1e-6 },
          build: (g, ins) => [emit(g, expr, ins)],
        });
      }),
      { numRuns: 40, seed: 20240611 },
    );
  });
});
