// How responsive the extension host stays while a model trains: a Node process plays the host —
// the same EngineClient (worker process) and the same controller logic (TrainingSession, the
// rate-limited dashboard batches serialised as postMessage would, decoration text and hovers
// with histograms, status text) — while digits-mlp trains, and perf_hooks measures the event
// loop's delay. Target: p99 < 50 ms.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import { findPackageRoot } from '../engine/data/dataDir';
import { EngineClient } from '../engine/client';
import { gradientHoverMarkdown, layerHistograms } from '../extension/training/histogramView';
import { decorationText } from '../extension/training/layerGradients';
import { modelInfo } from '../extension/training/modelInfo';
import { appendBatch, RateLimiter } from '../extension/training/rateLimiter';
import { thresholds } from '../extension/training/thresholds';
import { editorTrainingThreads } from '../extension/training/threads';
import { TrainingSession } from '../extension/training/trainingSession';

export interface HostLagResult {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  seconds: number;
  events: number;
  epochs: number;
  /** Bytes the dashboard batches would have posted, and how many posts. */
  posted: { bytes: number; messages: number };
  decorationsRendered: number;
}

/** The monitor's sampling interval; Node records whole intervals, so it is subtracted from each figure. */
const RESOLUTION_MS = 5;

export async function measureHostLag(epochs = 60): Promise<HostLagResult> {
  const root = findPackageRoot(__dirname) ?? process.cwd();
  const source = path.join(root, 'examples', 'digits-mlp.nn.yaml');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-host-lag-'));
  const file = path.join(workspace, 'digits-mlp.nn.yaml');
  fs.copyFileSync(source, file);
  const text = fs.readFileSync(file, 'utf8');
  const info = modelInfo(text, file);
  const session = new TrainingSession(info.name, info.lr);
  const posted = { bytes: 0, messages: 0 };
  let decorationsRendered = 0;
  let events = 0;
  const dashboard = new RateLimiter<unknown[]>(thresholds.rates.dashboardUpdatesPerSecond, (batch) => {
    posted.bytes += JSON.stringify({ type: 'append', points: batch }).length;
    posted.messages++;
  }, appendBatch);
  const decorations = new RateLimiter<void>(thresholds.rates.decorationsPerSecond, () => {
    for (const g of session.gradients) {
      if (!info.layerLines.has(g.layer)) continue;
      decorationText(g);
      gradientHoverMarkdown({ gradient: g, step: session.gradientStep, trend: session.trends.get(g.layer) ?? [], histograms: layerHistograms(session.histograms, g.layer) });
      decorationsRendered++;
    }
  });
  const status = new RateLimiter<void>(thresholds.rates.statusUpdatesPerSecond, () => session.statusText());

  const client = new EngineClient({ cwd: workspace });
  client.on('event', (e) => {
    events++;
    const change = session.handle(e);
    const points = [...(change.steps ?? []), ...(change.epochs ?? []), ...(change.grads ?? [])];
    if (points.length) dashboard.push(points);
    if (change.gradients || change.histograms) decorations.push();
    if (change.state) status.push();
  });
  // Start the worker first so that process start-up is not counted as training.
  await client.request({ type: 'pause' });
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const t0 = performance.now();
  const outcome = await client.request({
    type: 'train',
    modelPath: file,
    text,
    options: {
      workspace,
      epochs,
      threads: editorTrainingThreads(undefined),
      maxStepEventsPerSecond: thresholds.rates.dashboardUpdatesPerSecond,
      gradStatsIntervalSeconds: thresholds.rates.gradStatsIntervalSeconds,
      histogramIntervalSeconds: thresholds.rates.histogramIntervalSeconds,
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  histogram.disable();
  dashboard.flushNow();
  await client.dispose();
  fs.rmSync(workspace, { recursive: true, force: true });
  if (!outcome.ok) throw new Error(`host-lag run failed: ${outcome.error.message}`);
  const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return {
    p50Ms: ms(histogram.percentile(50)),
    p99Ms: ms(histogram.percentile(99)),
    maxMs: ms(histogram.max),
    seconds,
    events,
    epochs: outcome.result.epochs,
    posted,
    decorationsRendered,
  };
}

export function hostLagNote(r: HostLagResult): string {
  return (
    `host lag: while digits-mlp trained ${r.epochs} epochs in the worker (${r.seconds.toFixed(1)} s, ${r.events} engine events), the host's event loop ran late by ` +
    `p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms beyond its ${RESOLUTION_MS} ms sampling interval (driving TrainingSession, ${r.posted.messages} dashboard batches of ` +
    `${(r.posted.bytes / 1024).toFixed(0)} KiB in all, ${r.decorationsRendered} decoration+hover renders)`
  );
}
