// The state of one training run as the editor shows it, built from the engine's events alone:
// chart series, per-layer gradients and their trends, histograms, log lines and the warnings to
// raise. Free of VS Code so that tests and the host-lag benchmark drive exactly this logic.
import { formatEpochLine, formatNumbers, metricLabel } from '../../cli/epoch-line';
import type { EngineEvent, ParamHistogram } from '../../engine/protocol';
import type { DashboardRunState, EpochPoint, GradPoint, RunData, StepPoint } from '../../webview-protocol/dashboard';
import { layerGradients, type LayerGradient } from './layerGradients';
import { gradPoint, MetricSeries } from './metricSeries';
import { thresholds } from './thresholds';
import { detectOverfitting, overfittingMessage, smallDatasetMessage } from './warningRules';

type Ev<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

/** Where in the model file a warning belongs. */
export type WarningAnchor = { layer: string } | { section: 'training' | 'data' | 'optimizer'; key?: string };

export interface SessionWarning {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  anchor?: WarningAnchor;
  /** For a NaN/Inf stop: the learning rate to suggest. */
  suggestLr?: number;
}

/** What one event changed, for the views to update. */
export interface SessionChange {
  steps?: StepPoint[];
  epochs?: EpochPoint[];
  grads?: GradPoint[];
  gradients?: boolean;
  histograms?: boolean;
  state?: boolean;
  log?: string[];
  warnings?: SessionWarning[];
}

export class TrainingSession {
  readonly series = new MetricSeries();
  state: DashboardRunState = 'starting';
  started?: Ev<'started'>;
  lastStep?: Ev<'step'>;
  lastEpoch?: Ev<'epochEnd'>;
  gradients: LayerGradient[] = [];
  gradientStep = 0;
  readonly trends = new Map<string, number[]>();
  histograms: ParamHistogram[] = [];
  histogramStep = 0;
  done?: Ev<'done'>;
  private overfittingWarned = false;

  constructor(
    readonly modelName: string,
    /** The learning rate the model file sets (for the NaN/Inf suggestion). */
    private readonly lr?: number,
  ) {}

  /** Starts the series from a run's saved points (when resuming it). */
  seed(data: RunData): void {
    for (const p of data.steps) this.series.addStep(p);
    for (const e of data.epochs) this.series.addEpoch(e);
    for (const g of data.grads) this.series.addGrad(g);
  }

  get finished(): boolean {
    return this.done !== undefined;
  }

  handle(e: EngineEvent): SessionChange {
    switch (e.type) {
      case 'started': {
        this.started = e;
        this.state = 'running';
        const warnings: SessionWarning[] = [];
        const small = smallDatasetMessage(e.params, e.trainSamples);
        if (small) warnings.push({ code: 'small_dataset', severity: 'warning', message: small, anchor: { section: 'data' } });
        const log = [
          `Training ${e.model}: ${e.trainSamples} training / ${e.validationSamples} validation samples${e.testSamples ? ` / ${e.testSamples} test` : ''}, ` +
            `batch ${e.batchSize}${e.accumulate > 1 ? ` (${e.accumulate} micro-batches of ≤ ${e.microBatch})` : ''}, ${e.stepsPerEpoch} steps per epoch, ` +
            `${e.params.toLocaleString('en-US')} parameters, on ${e.provider} (${e.providerReason})`,
          `Run folder: ${e.runDir}`,
        ];
        if (e.startEpoch > 1) log.push(`Resuming at epoch ${e.startEpoch}`);
        return { state: true, log, warnings };
      }
      case 'step': {
        this.lastStep = e;
        const p: StepPoint = { step: e.step, epoch: e.epoch, loss: e.loss, batchLoss: e.batchLoss, metrics: e.metrics, lr: e.lr, samplesPerSec: e.samplesPerSec };
        this.series.addStep(p);
        return { steps: [p], state: true };
      }
      case 'epochEnd': {
        this.lastEpoch = e;
        const p: EpochPoint = { epoch: e.epoch, step: this.lastStep?.step, loss: e.loss, metrics: e.metrics, valLoss: e.valLoss, valMetrics: e.valMetrics, lr: e.lr, seconds: e.seconds };
        this.series.addEpoch(p);
        const change: SessionChange = { epochs: [p], state: true, log: [formatEpochLine(e)] };
        const over = this.overfittingWarned ? undefined : detectOverfitting(this.series.epochs);
        if (over) {
          this.overfittingWarned = true;
          change.warnings = [{ code: 'overfitting', severity: 'warning', message: overfittingMessage(over), anchor: { section: 'training' } }];
        }
        return change;
      }
      case 'gradStats': {
        this.gradients = layerGradients(e.params);
        this.gradientStep = e.step;
        for (const g of this.gradients) {
          const t = this.trends.get(g.layer) ?? [];
          t.push(g.gradNorm);
          if (t.length > thresholds.series.trendLength) t.shift();
          this.trends.set(g.layer, t);
        }
        const p = gradPoint(e.step, e.params);
        this.series.addGrad(p);
        return { gradients: true, grads: [p] };
      }
      case 'histograms':
        this.histograms = e.params;
        this.histogramStep = e.step;
        return { histograms: true };
      case 'warning': {
        // Model diagnostics are already in the editor (the language features show them).
        if (e.code === 'model_warning') return {};
        const anchor: WarningAnchor | undefined = e.code === 'accumulation' ? { section: 'training', key: 'batch_size' } : e.layer ? { layer: e.layer } : undefined;
        return { log: [`warning: ${e.message}`], warnings: [{ code: e.code, severity: e.code === 'accumulation' ? 'info' : 'warning', message: e.message, anchor }] };
      }
      case 'paused':
        this.state = 'paused';
        return { state: true, log: [`Paused at step ${e.step}`] };
      case 'resumed':
        this.state = 'running';
        return { state: true, log: [`Resumed at step ${e.step}`] };
      case 'checkpoint':
        return {};
      case 'done': {
        this.done = e;
        this.state = 'idle';
        const log: string[] = [];
        if (e.reason !== 'completed' || e.epochs === 0) log.push(e.message.charAt(0).toUpperCase() + e.message.slice(1));
        if (e.test) log.push(`Test (${e.test.samples} samples) - ${formatNumbers(e.test.loss, e.test.metrics)}`);
        if (e.best) log.push(`Best: epoch ${e.best.epoch} - ${metricLabel(e.best.monitor)}: ${e.best.value.toFixed(4)}${e.best.checkpoint ? ` - ${e.best.checkpoint}` : ''}`);
        const change: SessionChange = { state: true, log };
        if (e.reason === 'nonfinite') {
          change.warnings = [
            {
              code: 'nonfinite',
              severity: 'error',
              message: e.message,
              anchor: e.layer ? { layer: e.layer } : { section: 'optimizer', key: 'lr' },
              suggestLr: this.lr !== undefined ? Number((this.lr / 10).toPrecision(3)) : undefined,
            },
          ];
        }
        return change;
      }
      case 'error':
        return { log: [`error: ${e.error.message}`] };
      default:
        return {};
    }
  }

  /** `Epoch 3/30 · step 120 · loss 0.1234` (or what is known so far). */
  statusText(): string {
    const s = this.lastStep;
    const epochs = this.started?.epochs;
    if (!s) return this.started ? `epoch ${this.started.startEpoch}/${epochs} · starting` : 'starting';
    const acc = s.metrics.accuracy;
    return `epoch ${s.epoch}/${epochs ?? '?'} · step ${s.step} · loss ${s.loss.toFixed(4)}${acc !== undefined ? ` · acc ${acc.toFixed(3)}` : ''}`;
  }

  /** Fraction of the run done, 0..1. */
  progress(): number {
    const st = this.started;
    const s = this.lastStep;
    if (!st || !s || st.epochs <= 0) return 0;
    return Math.min(1, ((s.epoch - 1) * st.stepsPerEpoch + s.stepInEpoch) / (st.epochs * st.stepsPerEpoch));
  }
}
