// Resolves the model file's loss / metrics / optimizer / schedule sections into plain settings,
// taking every default from the section metadata (src/analysis/sections.json).
import type { ModelSpec, SectionSpec } from '../model/types';
import type { ModelSummary } from '../analysis/types';
import type { ParamMeta } from '../analysis/layers';
import { lossNames, metricNames, optimizerNames, scheduleNames, sectionMeta } from '../analysis/layers';
import type { LossType, OptimizerType, ScheduleType, TrainingConfig } from './types';
import { modelError } from './fail';

type SectionName = 'loss' | 'optimizer' | 'schedule';

function sectionType(section: SectionSpec | undefined, name: SectionName, names: readonly string[], fallback: string): string {
  const t = section?.type?.value ?? fallback;
  if (typeof t !== 'string' || !names.includes(t)) {
    throw modelError(`${name}: '${String(t)}' is not known; use one of ${names.join(', ')}`);
  }
  return t;
}

/** A setting of a section: as written, else the metadata default, else `fallback`. */
function setting<T>(section: SectionSpec | undefined, name: SectionName, type: string, key: string, fallback: T): T {
  const meta: ParamMeta | undefined = sectionMeta[name].types[type]?.params[key];
  const v = section?.params[key]?.value ?? meta?.default ?? fallback;
  if (typeof v !== typeof fallback) throw modelError(`${name}.${key} must be a ${typeof fallback}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** The training settings of `model`, with defaults: cross_entropy on the first output, adam, constant lr. */
export function resolveTrainingConfig(model: ModelSpec, summary: ModelSummary): TrainingConfig {
  const lossType = sectionType(model.loss, 'loss', lossNames, 'cross_entropy') as LossType;
  const output = setting(model.loss, 'loss', lossType, 'output', summary.outputs[0] ?? '');
  if (!summary.outputs.includes(output)) {
    throw modelError(output ? `loss.output '${output}' is not an output of the model; outputs are ${summary.outputs.join(', ')}` : 'the model has no output layer for the loss');
  }
  const classification = lossType === 'cross_entropy' || lossType === 'binary_cross_entropy';
  const metrics = (model.metrics ?? []).map((m) => m.value);
  for (const m of metrics) {
    if (typeof m !== 'string' || !metricNames.includes(m)) throw modelError(`metrics: '${String(m)}' is not known; use ${metricNames.join(', ')}`);
  }
  const optType = sectionType(model.optimizer, 'optimizer', optimizerNames, 'adam') as OptimizerType;
  const opt = <T>(key: string, fallback: T) => setting(model.optimizer, 'optimizer', optType, key, fallback);
  const schedType = sectionType(model.schedule, 'schedule', scheduleNames, 'constant') as ScheduleType;
  const sched = <T>(key: string, fallback: T) => setting(model.schedule, 'schedule', schedType, key, fallback);
  return {
    loss: {
      type: lossType,
      labelSmoothing: setting(model.loss, 'loss', lossType, 'label_smoothing', 0),
      delta: setting(model.loss, 'loss', lossType, 'delta', 1),
      output,
    },
    metrics: model.metrics ? (metrics as string[]) : classification ? ['accuracy'] : ['mae'],
    optimizer: {
      type: optType,
      lr: opt('lr', 0.001),
      momentum: opt('momentum', 0),
      nesterov: opt('nesterov', false),
      beta1: opt('beta1', 0.9),
      beta2: opt('beta2', 0.999),
      eps: opt('eps', 1e-8),
      weightDecay: opt('weight_decay', 0),
      clipNorm: opt('clip_norm', 0),
    },
    schedule: {
      type: schedType,
      warmupEpochs: sched('warmup_epochs', 0),
      stepSize: sched('step_size', 10),
      gamma: sched('gamma', 0.1),
      minLr: sched('min_lr', 0),
    },
  };
}
