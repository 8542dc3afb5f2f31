// Execution providers: which ones this machine can use, which one `auto` picks and why, and
// ORT session creation that falls back to the CPU (with a warning) when a provider fails.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { InferenceSession } from 'onnxruntime-node';
import { ort } from './ort';
import { EngineError } from './errors';
import type { ProviderName } from './protocol';

export type ConcreteProvider = Exclude<ProviderName, 'auto'>;

export interface ProviderChoice {
  provider: ConcreteProvider;
  reason: string;
}

export interface Availability {
  available: boolean;
  /** Why it is or is not usable here. */
  reason: string;
}

/** The folder holding onnxruntime-node's native binding (and any provider libraries next to it). */
export function ortBinaryFolder(): string | undefined {
  try {
    const pkg = require.resolve('onnxruntime-node/package.json');
    const dir = path.join(path.dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
    return fs.existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a provider can be tried on this machine. Cheap: looks at the platform and files only. */
export function providerAvailability(provider: ConcreteProvider, platform = process.platform, arch = process.arch, binFolder = ortBinaryFolder()): Availability {
  switch (provider) {
    case 'cpu':
      return { available: true, reason: 'the CPU provider is always available' };
    case 'cuda': {
      if (platform !== 'linux' || arch !== 'x64') return { available: false, reason: 'the CUDA provider of onnxruntime-node exists for Linux x64 only' };
      const lib = binFolder ? path.join(binFolder, 'libonnxruntime_providers_cuda.so') : undefined;
      if (!lib || !fs.existsSync(lib)) {
        return { available: false, reason: 'libonnxruntime_providers_cuda.so is not installed next to onnxruntime-node (install it with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node`, which downloads the CUDA 12 provider)' };
      }
      return { available: true, reason: `found ${path.basename(lib)}` };
    }
    case 'dml':
      return platform === 'win32' ? { available: true, reason: 'DirectML ships with onnxruntime-node on Windows' } : { available: false, reason: 'DirectML is Windows only' };
    case 'coreml':
      return platform === 'darwin' ? { available: true, reason: 'Core ML ships with onnxruntime-node on macOS' } : { available: false, reason: 'Core ML is macOS only' };
  }
}

/** Preference order for `auto`: GPUs first, the CPU last. */
const AUTO_ORDER: ConcreteProvider[] = ['cuda', 'dml', 'coreml', 'cpu'];

export function chooseProvider(requested: ProviderName | undefined, availability = providerAvailability): ProviderChoice {
  const want = requested ?? 'cpu';
  if (want !== 'auto') {
    const a = availability(want);
    if (!a.available) throw new EngineError('session_failed', `execution provider '${want}' is not available here: ${a.reason}. Use --provider cpu or auto.`);
    const reason = requested === undefined ? 'the default provider' : want === 'cpu' ? 'requested' : `requested; ${a.reason}`;
    return { provider: want, reason };
  }
  const skipped: string[] = [];
  for (const p of AUTO_ORDER) {
    const a = availability(p);
    if (a.available) {
      const why = p === 'cpu' ? 'no GPU provider is available' : a.reason;
      return { provider: p, reason: `auto: ${why}${skipped.length ? ` (${skipped.join('; ')})` : ''}` };
    }
    skipped.push(`${p}: ${a.reason}`);
  }
  return { provider: 'cpu', reason: 'auto: nothing else is available' };
}

export interface SessionSettings {
  provider: ConcreteProvider;
  /** Intra-op threads; default the number of cores. */
  threads?: number;
}

export function sessionOptions(settings: SessionSettings): InferenceSession.SessionOptions {
  const threads = settings.threads && settings.threads > 0 ? Math.floor(settings.threads) : coreCount();
  return {
    executionProviders: settings.provider === 'cpu' ? ['cpu'] : [settings.provider, 'cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // Without memory patterns ORT serves each run's intermediates from its arena one by one
    // instead of as one block planned from the first run, which left a larger arena behind:
    // measured on the bench MLP's train step, the run's peak RSS was ~4 MiB lower, at the
    // same speed (interleaved A/B, single steps and 16-step Loop runs).
    enableMemPattern: false,
    logSeverityLevel: 3,
  };
}

export function coreCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

export interface CreatedSession {
  session: InferenceSession;
  provider: ConcreteProvider;
  /** Set when the requested provider failed and the CPU was used instead. */
  fallback?: string;
}

/** Creates a session on the chosen provider, or on the CPU when that provider fails. */
export async function createSession(model: Uint8Array, settings: SessionSettings, what: string): Promise<CreatedSession> {
  try {
    return { session: await ort.InferenceSession.create(model, sessionOptions(settings)), provider: settings.provider };
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    if (settings.provider === 'cpu') throw new EngineError('session_failed', `onnxruntime could not load the ${what} model: ${message}`);
    const cpu = await ort.InferenceSession.create(model, sessionOptions({ ...settings, provider: 'cpu' })).catch((e: Error) => {
      throw new EngineError('session_failed', `onnxruntime could not load the ${what} model on '${settings.provider}' (${message}) nor on the CPU (${e.message})`);
    });
    return { session: cpu, provider: 'cpu', fallback: `the '${settings.provider}' provider failed to create the ${what} session (${message.split('\n')[0]}); training on the CPU instead` };
  }
}
