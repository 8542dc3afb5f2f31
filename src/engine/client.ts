// The host side of the engine: forks the worker process on first use, sends typed requests and
// turns the worker's messages into events. A worker that dies (killed, out of memory, native
// crash) becomes a `crashed` event and failed responses for whatever was pending; the next
// request starts a fresh worker. No method throws: failures come back as `{ ok: false, error }`.
import { fork, type ChildProcess } from 'child_process';
import { EventEmitter } from 'events';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { EngineEvent, ErrorInfo, RequestBody, RequestType, ResultByType, WorkerMessage } from './protocol';
import { isWorkerMessage } from './protocol';

export type Outcome<T> = { ok: true; result: T } | { ok: false; error: ErrorInfo };

export interface CrashInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** A sentence for the user: what happened and what was lost. */
  message: string;
  /** The last lines the worker wrote to stderr, when any. */
  stderr: string;
}

export interface EngineClientOptions {
  /** Worker entry script; default `worker.js` next to this bundle (or `worker.ts` when run from source). */
  workerPath?: string;
  /** Extra node flags for the worker, e.g. `['--import', 'tsx']` for a TypeScript entry. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Per-request-type timeouts in ms (0 = none). Training has none by default. */
  timeouts?: Partial<Record<RequestType, number>>;
}

const DEFAULT_TIMEOUTS: Record<RequestType, number> = {
  train: 0,
  pause: 15_000,
  resume: 15_000,
  stop: 15_000,
  eval: 600_000,
  export: 600_000,
  grad: 600_000,
  explain: 600_000,
  explainIndex: 600_000,
  shutdown: 10_000,
};

const STDERR_KEEP = 4000;

interface Pending {
  type: RequestType;
  resolve: (o: Outcome<unknown>) => void;
  timer?: NodeJS.Timeout;
}

export interface EngineClientEvents {
  event: [EngineEvent];
  crashed: [CrashInfo];
}

/** Node flags that let a worker run from TypeScript source (tests, `--import tsx` sessions). */
export function tsxExecArgv(): string[] {
  // An absolute URL: `--import tsx` would be resolved from the worker's cwd, which may be anywhere.
  // (The name goes through a variable so bundlers leave this source-only lookup alone.)
  const loader = 'tsx';
  return ['--import', pathToFileURL(require.resolve(loader)).href];
}

/** The worker next to this bundle (dist/worker.js), or worker.ts when running from source. */
export function defaultWorkerLaunch(): { workerPath: string; execArgv: string[] } {
  if (__filename.endsWith('.ts')) return { workerPath: path.join(__dirname, 'worker.ts'), execArgv: tsxExecArgv() };
  return { workerPath: path.join(__dirname, 'worker.js'), execArgv: [] };
}

export class EngineClient extends EventEmitter<EngineClientEvents> {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderrTail = '';
  private disposed = false;
  /** Set once a shutdown was sent to the current worker: its exit is expected, not a crash. */
  private shuttingDown = false;
  private readonly timeouts: Record<RequestType, number>;

  constructor(private readonly options: EngineClientOptions = {}) {
    super();
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  }

  /** Whether a worker process is running now. */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** Process id of the current worker, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  request<T extends RequestType>(body: Extract<RequestBody, { type: T }>, options: { timeoutMs?: number } = {}): Promise<Outcome<ResultByType[T]>> {
    return new Promise((resolve) => {
      const done = resolve as (o: Outcome<unknown>) => void;
      if (this.disposed) return done({ ok: false, error: { code: 'bad_request', message: 'the engine client was disposed' } });
      const child = this.ensureWorker();
      if (!child) return done({ ok: false, error: { code: 'worker_crashed', message: `could not start the training worker: ${this.stderrTail || 'unknown reason'}` } });
      const id = this.nextId++;
      const entry: Pending = { type: body.type, resolve: done };
      if (body.type === 'shutdown') this.shuttingDown = true;
      const timeout = options.timeoutMs ?? this.timeouts[body.type];
      if (timeout > 0) {
        entry.timer = setTimeout(() => {
          this.pending.delete(id);
          done({ ok: false, error: { code: 'timeout', message: `the training worker did not answer '${body.type}' within ${Math.round(timeout / 1000)} s` } });
        }, timeout);
      }
      this.pending.set(id, entry);
      try {
        child.send({ ...body, id }, (err) => {
          if (err) this.settle(id, { ok: false, error: { code: 'worker_crashed', message: `could not send '${body.type}' to the training worker: ${err.message}` } });
        });
      } catch (err) {
        this.settle(id, { ok: false, error: { code: 'worker_crashed', message: `could not send '${body.type}' to the training worker: ${(err as Error).message}` } });
      }
    });
  }

  /** Asks the worker to finish (it stops a run after saving its last checkpoint), then ends it. */
  async dispose(graceMs = 5000): Promise<void> {
    if (this.disposed) return;
    const child = this.child;
    if (child) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      await this.request({ type: 'shutdown' }, { timeoutMs: graceMs });
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    this.disposed = true;
    this.failPending({ code: 'bad_request', message: 'the engine client was disposed' });
  }

  /** Kills the worker at once (no checkpoint is saved); pending requests fail with `worker_crashed`. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child?.kill(signal);
  }

  private ensureWorker(): ChildProcess | undefined {
    if (this.child) return this.child;
    const launch = defaultWorkerLaunch();
    const workerPath = this.options.workerPath ?? launch.workerPath;
    const execArgv = this.options.execArgv ?? (this.options.workerPath ? [] : launch.execArgv);
    this.stderrTail = '';
    this.shuttingDown = false;
    let child: ChildProcess;
    try {
      child = fork(workerPath, [], {
        execArgv,
        cwd: this.options.cwd,
        env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'json',
      });
    } catch (err) {
      this.stderrTail = (err as Error).message;
      return undefined;
    }
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_KEEP);
    });
    child.on('message', (msg: unknown) => this.onMessage(msg));
    child.on('error', (err) => {
      this.stderrTail = (this.stderrTail + `\n${err.message}`).slice(-STDERR_KEEP);
    });
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    return child;
  }

  private onMessage(msg: unknown): void {
    if (!isWorkerMessage(msg)) return;
    const m = msg as WorkerMessage;
    if (m.kind === 'event') {
      this.emit('event', m.event);
      return;
    }
    this.settle(m.id, m.ok ? { ok: true, result: m.result } : { ok: false, error: m.error ?? { code: 'internal', message: 'the worker reported a failure without details' } });
  }

  private settle(id: number, outcome: Outcome<unknown>): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    p.resolve(outcome);
  }

  private failPending(error: ErrorInfo): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { ok: false, error });
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.shuttingDown) {
      this.shuttingDown = false;
      for (const [id, p] of [...this.pending]) {
        this.settle(id, p.type === 'shutdown' ? { ok: true, result: { applied: true } } : { ok: false, error: { code: 'worker_crashed', message: 'the training worker was shut down' } });
      }
      return;
    }
    const stderr = this.stderrTail.trim();
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const hint = signal === 'SIGKILL' ? ' (possibly out of memory)' : '';
    const message = `the training worker ${how}${hint}; the run in progress ended, its last saved checkpoint is kept. The next command starts a fresh worker.${stderr ? `\n${stderr.split('\n').slice(-5).join('\n')}` : ''}`;
    this.failPending({ code: 'worker_crashed', message });
    this.emit('crashed', { code, signal, message, stderr });
  }
}
