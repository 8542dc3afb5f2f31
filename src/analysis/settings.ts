// Checks the settings sections against sections.json: loss / optimizer / schedule names and
// options, metric names, and the training options (epochs, splits, early stopping ...).
import type { Diagnostic, ModelSpec, SectionSpec, SourceValue } from '../model/types';
import { aliases, metricNames, sectionMeta } from './layers';
import type { ParamMeta, SectionTypeMeta } from './layers';
import { checkValue, describeExpected, showValue, unknownKey, valueFits } from './params';
import { closest } from './suggest';
import { replace } from './fixes';

type TypedSection = 'loss' | 'optimizer' | 'schedule';

export function checkSettings(model: ModelSpec, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const name of ['loss', 'optimizer', 'schedule'] as const) {
    const section = model[name];
    if (section) out.push(...checkTypedSection(name, section, text));
  }
  out.push(...checkMetrics(model.metrics ?? []));
  if (model.training) out.push(...checkTraining(model, model.training, text));
  return out;
}

/** The section's type when it is a known name, else undefined. */
export function knownType(name: TypedSection, section: SectionSpec | undefined): string | undefined {
  const t = section?.type?.value;
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(sectionMeta[name].types, t) ? t : undefined;
}

function checkTypedSection(name: TypedSection, section: SectionSpec, text: string): Diagnostic[] {
  const types = sectionMeta[name].types;
  const names = Object.keys(types);
  const code = `unknown-${name}`;
  const typeValue = section.type;
  if (!typeValue) {
    return [
      {
        severity: 'error',
        code,
        range: section.keyRange ?? section.range,
        message: `\`${name}:\` has no type; add \`type:\` with one of ${names.join(', ')}.`,
      },
    ];
  }
  const t = typeValue.value;
  if (typeof t !== 'string' || !Object.prototype.hasOwnProperty.call(types, t)) {
    const near = typeof t === 'string' ? closest(t, names, aliases[name]) : undefined;
    return [
      {
        severity: 'error',
        code,
        range: typeValue.range,
        message: near
          ? `Unknown ${name} ${showValue(t)}; did you mean ${near}?`
          : `Unknown ${name} ${showValue(t)}; use one of ${names.join(', ')}.`,
        fixes: near ? [{ title: `Change to ${near}`, edits: [replace(typeValue.range, near)] }] : undefined,
      },
    ];
  }
  return checkOptions(`${name} ${t}`, section.params, types[t], text, otherTypesTaking(types, t));
}

/** For a key a type does not take: the other types that do, for the message. */
function otherTypesTaking(types: Record<string, SectionTypeMeta>, except: string): (key: string) => string[] {
  return (key) => Object.keys(types).filter((t) => t !== except && Object.prototype.hasOwnProperty.call(types[t].params, key));
}

function checkOptions(
  owner: string,
  params: Record<string, SourceValue>,
  meta: { params: Record<string, ParamMeta> },
  text: string,
  takenBy: (key: string) => string[] = () => [],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const candidates = Object.keys(meta.params);
  for (const [key, sv] of Object.entries(params)) {
    const pm = Object.prototype.hasOwnProperty.call(meta.params, key) ? meta.params[key] : undefined;
    if (!pm) {
      const others = takenBy(key);
      out.push(
        unknownKey(key, sv, {
          owner,
          code: 'unknown-option',
          noun: 'option',
          candidates,
          aliases: aliases.options,
          text,
          advice: others.length
            ? ` Only ${others.join(', ')} take${others.length === 1 ? 's' : ''} it.`
            : ` It takes ${candidates.map((c) => `\`${c}\``).join(', ')}.`,
        }),
      );
      continue;
    }
    const bad = checkValue(key, pm, sv, { owner, code: 'invalid-setting' });
    if (bad) out.push(bad);
  }
  return out;
}

function checkMetrics(metrics: SourceValue[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of metrics) {
    if (typeof m.value === 'string' && metricNames.includes(m.value)) continue;
    const near = typeof m.value === 'string' ? closest(m.value, metricNames, aliases.metrics) : undefined;
    out.push({
      severity: 'error',
      code: 'unknown-metric',
      range: m.range,
      message: near
        ? `Unknown metric ${showValue(m.value)}; did you mean ${near}?`
        : `Unknown metric ${showValue(m.value)}; use one of ${metricNames.join(', ')}.`,
      fixes: near ? [{ title: `Change to ${near}`, edits: [replace(m.range, near)] }] : undefined,
    });
  }
  return out;
}

function checkTraining(model: ModelSpec, training: SectionSpec, text: string): Diagnostic[] {
  const out = checkOptions('training', training.params, sectionMeta.training, text);
  const p = training.params;
  const split = (key: string): number => {
    const v = p[key]?.value;
    return typeof v === 'number' && Number.isFinite(v) ? v : key === 'validation_split' ? Number(sectionMeta.training.params[key].default) : 0;
  };
  const val = split('validation_split');
  const test = split('test_split');
  const fits = (key: string) => !p[key] || valueFits(sectionMeta.training.params[key], p[key].value);
  if (fits('validation_split') && fits('test_split') && val + test >= 1) {
    const at = p.test_split ?? p.validation_split;
    out.push({
      severity: 'error',
      code: 'invalid-setting',
      range: at.range,
      message: `training: validation_split (${val}) and test_split (${test}) leave no data to train on; make their sum smaller than 1.`,
    });
  }
  const early = p.early_stopping;
  if (early && valueFits(sectionMeta.training.params.early_stopping, early.value)) {
    out.push(...checkEarlyStopping(model, early, val));
  }
  return out;
}

/** early_stopping is a nested mapping; its problems point at the whole mapping. */
function checkEarlyStopping(model: ModelSpec, early: SourceValue, validationSplit: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const meta = sectionMeta.early_stopping.params;
  const value = early.value as Record<string, unknown>;
  for (const [key, v] of Object.entries(value)) {
    const pm = Object.prototype.hasOwnProperty.call(meta, key) ? meta[key] : undefined;
    if (!pm) {
      const near = closest(key, Object.keys(meta), aliases.options);
      out.push({
        severity: 'error',
        code: 'unknown-option',
        range: early.range,
        message: `training: early_stopping has no option \`${key}\`; ${near ? `did you mean \`${near}\`?` : `it takes ${Object.keys(meta).join(', ')}.`}`,
      });
    } else if (!valueFits(pm, v)) {
      out.push({
        severity: 'error',
        code: 'invalid-setting',
        range: early.range,
        message: `training: early_stopping ${key} must be ${describeExpected(pm)}, not ${showValue(v)}.`,
      });
    }
  }
  const monitor = value.monitor;
  if (typeof monitor === 'string') {
    const metrics = reportedMetrics(model);
    const watchable = ['loss', 'val_loss', ...metrics, ...metrics.map((m) => `val_${m}`)];
    if (!watchable.includes(monitor)) {
      out.push({
        severity: 'warning',
        code: 'invalid-setting',
        range: early.range,
        message: `training: early_stopping monitors \`${monitor}\`, which is never reported; use one of ${watchable.join(', ')}, or add the metric to \`metrics:\`.`,
      });
    } else if (monitor.startsWith('val_') && validationSplit === 0) {
      out.push({
        severity: 'warning',
        code: 'invalid-setting',
        range: early.range,
        message: `training: early_stopping monitors \`${monitor}\` but validation_split is 0, so there is no validation data; set validation_split or monitor \`${monitor.slice(4)}\`.`,
      });
    }
  }
  return out;
}

/**
 * The metrics training reports: those written, else the default for the loss (accuracy for
 * classification losses, mae otherwise), as the compiler resolves them.
 */
function reportedMetrics(model: ModelSpec): string[] {
  if (model.metrics) return model.metrics.map((m) => m.value).filter((m): m is string => typeof m === 'string');
  const loss = model.loss ? knownType('loss', model.loss) : 'cross_entropy';
  if (!loss) return [];
  return loss === 'cross_entropy' || loss === 'binary_cross_entropy' ? ['accuracy'] : ['mae'];
}
