// Flatten and Reshape: change the per-sample shape, never the element count or dtype.
import { fmtShape, numel } from './rule';
import type { ShapeRule } from './rule';

export const flattenRule: ShapeRule = (_attrs, [input]) => ({
  output: { shape: [numel(input.shape)], dtype: input.dtype },
  params: [],
  flops: 0,
});

export const reshapeRule: ShapeRule = (attrs, [input], ctx) => {
  const target = attrs.shape as number[];
  const total = numel(input.shape);
  const bad = target.findIndex((d) => d === 0 || d < -1);
  if (bad >= 0) {
    return {
      error: `Reshape shape entry ${target[bad]} is not allowed; use positive sizes and at most one -1 (inferred).`,
      code: 'invalid-param',
      param: 'shape',
    };
  }
  const inferred = target.filter((d) => d === -1).length;
  if (inferred > 1) {
    return {
      error: `Reshape shape ${fmtShape(target)} has ${inferred} entries of -1 but only one size can be inferred; write the others out.`,
      code: 'invalid-param',
      param: 'shape',
    };
  }
  const known = numel(target.filter((d) => d !== -1));
  if (inferred === 1) {
    if (total % known !== 0) {
      return {
        error: `Reshape cannot fit the ${total} values of \`${ctx.sources[0]}\` ${fmtShape(input.shape)} into ${fmtShape(target)}: ${total} is not divisible by ${known}; change the shape so the known sizes divide ${total}.`,
        param: 'shape',
      };
    }
    const output = target.map((d) => (d === -1 ? total / known : d));
    return { output: { shape: output, dtype: input.dtype }, params: [], flops: 0, resolved: { shape: output } };
  }
  if (known !== total) {
    return {
      error: `Reshape to ${fmtShape(target)} needs ${known} values but \`${ctx.sources[0]}\` gives ${fmtShape(input.shape)} = ${total}; make the sizes multiply to ${total} or use -1 for one of them.`,
      param: 'shape',
    };
  }
  return { output: { shape: [...target], dtype: input.dtype }, params: [], flops: 0 };
};
