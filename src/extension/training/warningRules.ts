// When a run deserves a warning that the engine does not raise itself: overfitting (validation
// loss rising while training loss falls) and a data set small for the parameter count.
import type { EpochPoint } from '../../webview-protocol/dashboard';
import { thresholds } from './thresholds';

export interface Overfitting {
  /** First and last epoch of the rise. */
  fromEpoch: number;
  toEpoch: number;
  valFrom: number;
  valTo: number;
  trainFrom: number;
  trainTo: number;
}

/**
 * Overfitting when, over the last `epochs` epoch transitions, validation loss never fell and rose
 * by more than `minRelativeRise` overall, while training loss fell overall.
 */
export function detectOverfitting(history: readonly EpochPoint[], epochs = thresholds.warnings.overfittingEpochs, minRelativeRise = thresholds.warnings.overfittingMinRelativeRise): Overfitting | undefined {
  const recent = history.filter((e) => e.valLoss !== undefined && Number.isFinite(e.valLoss) && Number.isFinite(e.loss)).slice(-(epochs + 1));
  if (recent.length < epochs + 1) return undefined;
  for (let i = 1; i < recent.length; i++) if (recent[i].valLoss! < recent[i - 1].valLoss!) return undefined;
  const first = recent[0];
  const last = recent[recent.length - 1];
  const rise = (last.valLoss! - first.valLoss!) / Math.max(1e-12, Math.abs(first.valLoss!));
  if (rise <= minRelativeRise || !(last.loss < first.loss)) return undefined;
  return { fromEpoch: first.epoch, toEpoch: last.epoch, valFrom: first.valLoss!, valTo: last.valLoss!, trainFrom: first.loss, trainTo: last.loss };
}

const f4 = (v: number) => v.toFixed(4);

export function overfittingMessage(o: Overfitting): string {
  return (
    `Validation loss has risen for ${o.toEpoch - o.fromEpoch} epochs (${f4(o.valFrom)} at epoch ${o.fromEpoch} → ${f4(o.valTo)} at epoch ${o.toEpoch}) ` +
    `while training loss kept falling (${f4(o.trainFrom)} → ${f4(o.trainTo)}): the model is overfitting. ` +
    'Add dropout, weight decay (optimizer.weight_decay), early stopping (training.early_stopping) or more data.'
  );
}

/** A message when the model has more than `perSample` parameters per training sample. */
export function smallDatasetMessage(params: number, trainSamples: number, perSample = thresholds.warnings.smallDatasetParamsPerSample): string | undefined {
  if (trainSamples <= 0 || params <= perSample * trainSamples) return undefined;
  const ratio = Math.round(params / trainSamples);
  return (
    `The training split has ${trainSamples} samples for ${params.toLocaleString('en-US')} parameters (${ratio} per sample): ` +
    'the model can memorise it. Use more data (or augmentation), a smaller model, dropout or weight decay.'
  );
}
