// `layerwise explain <model> --checkpoint c [--sample i] [--method ig] [--out map.png] [--json a.json]`:
// attributions of one sample's prediction, computed in the engine worker, printed with the
// top predictions and the trust checks, written as a PNG (input and heatmap) and/or raw JSON.
import { promises as fs } from 'fs';
import * as path from 'path';
import type { CommandSpec, ParsedOptions } from './args';
import { parseArgs, usage } from './args';
import { engineOptions, fromCwd, hostFor, readModelFile, reportError, sessionOptionsFrom, type Terminal } from './common';
import type { EvalSplit } from '../engine/protocol';
import { encodePng } from '../explain/png';
import { renderExplanation, type RenderLayout } from '../explain/render';
import type { AttributedOutput, AttributionMethod, BaselineKind, ExplainOptions, ExplainResult } from '../explain/types';

export const explainSpec: CommandSpec = {
  name: 'explain',
  positional: ['<model>'],
  summary: "Explain one prediction: attributions of a sample's output, its top predictions and two trust checks (Integrated Gradients' completeness gap, the model-randomization check).",
  options: {
    checkpoint: { kind: 'string', alias: 'c', value: 'CKPT', doc: 'Checkpoint whose weights are explained (required).' },
    split: { kind: 'string', value: 'SPLIT', doc: 'Split the sample comes from: validation (default), test or train.' },
    sample: { kind: 'int', alias: 's', value: 'I', doc: 'Index of the sample within the split (default 0).' },
    method: { kind: 'string', alias: 'm', value: 'M', doc: 'ig (Integrated Gradients, default), gradient, gradient-x-input, smoothgrad or occlusion.' },
    target: { kind: 'int', value: 'K', doc: 'Output unit (class) to explain (default: the predicted one).' },
    output: { kind: 'string', value: 'WHAT', doc: 'Attribute the logit (default; the value for regression models) or the probability.' },
    steps: { kind: 'int', value: 'N', doc: 'Integrated Gradients: interpolation steps (default 64).' },
    baseline: { kind: 'string', value: 'B', doc: 'Integrated Gradients and occlusion: zeros (default), blurred or mean (of the training split).' },
    samples: { kind: 'int', value: 'N', doc: 'SmoothGrad: noisy samples (default 32).' },
    noise: { kind: 'string', value: 'F', doc: "SmoothGrad: noise level, a fraction of the input's value range (default 0.15)." },
    window: { kind: 'string', value: 'W', doc: 'Occlusion: window size, one number or one per axis (4 or 4,4; default 4 for images, 1 otherwise).' },
    stride: { kind: 'string', value: 'S', doc: 'Occlusion: step between windows, like --window (default: half the window).' },
    seed: { kind: 'int', value: 'S', doc: 'SmoothGrad noise seed (default 0).' },
    top: { kind: 'int', value: 'K', doc: 'Predictions to print (default 5).' },
    'no-randomization': { kind: 'bool', doc: 'Skip the model-randomization check (it repeats the method with re-initialised weights).' },
    out: { kind: 'string', alias: 'o', value: 'PNG', doc: 'Write the input and the heatmap as a PNG.' },
    layout: { kind: 'string', value: 'L', doc: 'PNG layout: side (input | map | re-initialised map, default) or overlay (maps over the input).' },
    json: { kind: 'string', value: 'FILE', doc: 'Write the raw result (attributions, predictions, checks) as JSON.' },
    ...engineOptions,
  },
};

const METHOD_NAMES: Record<string, AttributionMethod> = {
  ig: 'integrated_gradients',
  'integrated-gradients': 'integrated_gradients',
  integrated_gradients: 'integrated_gradients',
  gradient: 'gradient',
  saliency: 'gradient',
  'gradient-x-input': 'gradient_x_input',
  gradient_x_input: 'gradient_x_input',
  gxi: 'gradient_x_input',
  smoothgrad: 'smoothgrad',
  occlusion: 'occlusion',
};
const METHOD_LABELS: Record<AttributionMethod, string> = {
  gradient: 'Vanilla gradient',
  gradient_x_input: 'Gradient × input',
  smoothgrad: 'SmoothGrad',
  integrated_gradients: 'Integrated Gradients',
  occlusion: 'Occlusion',
};
const SPLITS: EvalSplit[] = ['validation', 'test', 'train'];
const BASELINES: BaselineKind[] = ['zeros', 'blurred', 'mean'];

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** `4` or `4,4` (also `4x4`) as one number or a list. */
function sizes(flag: string, v: string | undefined): Parsed<number | number[] | undefined> {
  if (v === undefined) return { ok: true, value: undefined };
  const parts = v.split(/[,x]/).map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) return { ok: false, message: `${flag} needs a positive integer or a list like 4,4, got '${v}'` };
  const nums = parts.map(Number);
  return { ok: true, value: nums.length === 1 ? nums[0] : nums };
}

/** The explain options from the command line, or a message naming the bad flag. */
export function explainOptionsFrom(o: ParsedOptions): Parsed<ExplainOptions> {
  const methodName = ((o.method as string | undefined) ?? 'ig').toLowerCase();
  const method = Object.prototype.hasOwnProperty.call(METHOD_NAMES, methodName) ? METHOD_NAMES[methodName] : undefined;
  if (!method) return { ok: false, message: `--method must be one of ig, gradient, gradient-x-input, smoothgrad, occlusion, got '${o.method}'` };
  const output = o.output as string | undefined;
  if (output !== undefined && output !== 'logit' && output !== 'probability') return { ok: false, message: `--output must be logit or probability, got '${output}'` };
  const baseline = o.baseline as string | undefined;
  if (baseline !== undefined && !BASELINES.includes(baseline as BaselineKind)) return { ok: false, message: `--baseline must be one of ${BASELINES.join(', ')}, got '${baseline}'` };
  let noise: number | undefined;
  if (o.noise !== undefined) {
    noise = Number(o.noise);
    if (!/^\s*\d*\.?\d+(e-?\d+)?\s*$/i.test(String(o.noise)) || !Number.isFinite(noise)) return { ok: false, message: `--noise needs a non-negative number, got '${o.noise}'` };
  }
  const window = sizes('--window', o.window as string | undefined);
  if (!window.ok) return window;
  const stride = sizes('--stride', o.stride as string | undefined);
  if (!stride.ok) return stride;
  const value: ExplainOptions = {
    method,
    output: output as AttributedOutput | undefined,
    target: o.target as number | undefined,
    steps: o.steps as number | undefined,
    baseline: baseline as BaselineKind | undefined,
    samples: o.samples as number | undefined,
    noise,
    window: window.value,
    stride: stride.value,
    seed: o.seed as number | undefined,
    topK: o.top as number | undefined,
    randomizationCheck: !o['no-randomization'],
  };
  for (const key of Object.keys(value) as (keyof ExplainOptions)[]) if (value[key] === undefined) delete value[key];
  return { ok: true, value };
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));

function methodLine(r: ExplainResult): string {
  const o = r.options;
  const details =
    o.method === 'integrated_gradients'
      ? `${o.steps} steps, baseline ${o.baseline}`
      : o.method === 'smoothgrad'
        ? `${o.samples} samples, noise ${o.noise}, seed ${o.seed}`
        : o.method === 'occlusion'
          ? `window ${o.window.join('x')}, stride ${o.stride.join('x')}, baseline ${o.baseline}`
          : '';
  return `Method: ${METHOD_LABELS[o.method]}${details ? ` (${details})` : ''} - ${r.evaluations} model evaluations in ${r.seconds.toFixed(2)} s`;
}

/** The report printed for a result, line by line. */
export function formatExplanation(r: ExplainResult): string[] {
  const lines: string[] = [];
  const label = r.labelName ?? (r.label === undefined ? undefined : Array.isArray(r.label) ? `[${r.label.map(fmt).join(', ')}]` : String(r.label));
  lines.push(`Sample ${r.sample} of ${r.count} in the ${r.split} split${label !== undefined ? ` (label: ${label})` : ''} - ${r.checkpoint}`);
  const unit = (p: { index: number; name?: string }) => p.name ?? `#${p.index}`;
  lines.push(
    `Predictions: ${r.predictions.map((p) => (p.probability !== undefined ? `${unit(p)} ${(100 * p.probability).toFixed(1)} %` : `${unit(p)} = ${fmt(p.score)}`)).join(', ')}`,
  );
  const what = r.output === 'probability' ? 'probability' : r.classifier ? 'logit' : 'output';
  lines.push(`Explaining: the ${what} of ${unit(r.target)} (unit ${r.target.index}${r.target.predicted ? ', the predicted one' : ', not the predicted one'}) = ${fmt(r.score)}`);
  lines.push(methodLine(r));
  if (r.completeness) {
    const c = r.completeness;
    lines.push(`Completeness: sum of attributions ${fmt(c.sum)} vs f(x) - f(baseline) = ${fmt(c.score - c.baselineScore)}; gap ${fmt(c.gap)} (${(100 * c.relativeGap).toFixed(2)} %)`);
  }
  if (r.randomization) {
    const z = r.randomization;
    lines.push(`Randomization check: Spearman rank correlation ${z.spearman.toFixed(3)} with re-initialised weights (seed ${z.seed}) - ${z.alike ? 'WARNING: alike; the map reflects the input more than what the model learned' : 'different; the map depends on what the model learned'}`);
  }
  if (r.mask) lines.push(`Object mask: ${(100 * r.mask.attributionMass).toFixed(1)} % of the attribution mass on ${(100 * r.mask.share).toFixed(1)} % of the image`);
  for (const w of r.warnings) lines.push(`Warning: ${w}`);
  return lines;
}

async function writeFile(file: string, bytes: Uint8Array | string, term: Terminal): Promise<boolean> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, bytes);
    return true;
  } catch (err) {
    term.error(`layerwise explain: cannot write ${file}: ${(err as Error).message}`);
    return false;
  }
}

export async function runExplain(argv: string[], term: Terminal): Promise<number> {
  const args = parseArgs(explainSpec, argv);
  if (!args.ok) {
    term.error(`layerwise explain: ${args.message}\n\n${usage(explainSpec)}`);
    return 2;
  }
  if (args.help) {
    term.log(usage(explainSpec));
    return 0;
  }
  const fail = (message: string) => {
    term.error(`layerwise explain: ${message}`);
    return 2;
  };
  const session = sessionOptionsFrom(args.options);
  if (!session.ok) return fail(session.message);
  const checkpoint = args.options.checkpoint as string | undefined;
  if (!checkpoint) return fail('--checkpoint is required (e.g. .layerwise/runs/<model>/<time>/best.ckpt)');
  const split = (args.options.split as string | undefined) ?? 'validation';
  if (!SPLITS.includes(split as EvalSplit)) return fail(`--split must be one of ${SPLITS.join(', ')}, got '${split}'`);
  const sample = (args.options.sample as number | undefined) ?? 0;
  if (sample < 0) return fail('--sample must not be negative');
  const layout = (args.options.layout as string | undefined) ?? 'side';
  if (layout !== 'side' && layout !== 'overlay') return fail(`--layout must be side or overlay, got '${layout}'`);
  const explain = explainOptionsFrom(args.options);
  if (!explain.ok) return fail(explain.message);
  const model = await readModelFile(args.positional[0], term, 'explain');
  if (!model.ok) return model.exitCode;
  const host = hostFor(args.options);
  let result: ExplainResult;
  try {
    const outcome = await host.request({ type: 'explain', modelPath: model.absolute, text: model.text, checkpoint: fromCwd(checkpoint), split: split as EvalSplit, sample, explain: explain.value, options: session.options });
    if (!outcome.ok) {
      reportError(outcome.error, term, 'explain', model);
      return 1;
    }
    result = outcome.result;
  } finally {
    await host.dispose();
  }
  for (const line of formatExplanation(result)) term.log(line);
  const written: string[] = [];
  const png = args.options.out as string | undefined;
  if (png) {
    if (!(await writeFile(png, encodePng(renderExplanation(result, layout)), term))) return 1;
    const image = result.input.kind === 'image';
    const panels = image && layout === 'overlay' ? ['map over the input'] : ['input', 'map'];
    if (result.randomization) panels.push("re-initialised model's map");
    written.push(`${png} (${panels.join(image ? ' | ' : ' above ')}; ${result.display === 'signed' ? 'diverging colours: blue < 0 < red' : 'sequential colours: dark = 0'})`);
  }
  const json = args.options.json as string | undefined;
  if (json) {
    if (!(await writeFile(json, JSON.stringify(result, null, 2) + '\n', term))) return 1;
    written.push(json);
  }
  if (written.length) term.log(`Wrote ${written.join(', ')}`);
  return 0;
}
