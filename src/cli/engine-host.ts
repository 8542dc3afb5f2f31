// The CLI's connection to the engine: the worker process (as VS Code uses it) or, with
// --in-process, the engine inside the CLI process (for debugging). Same requests, same events.
import { EventEmitter } from 'events';
import type { CrashInfo, Outcome } from '../engine/client';
import { EngineClient } from '../engine/client';
import type { EngineEvent, Request, RequestBody, RequestType, ResultByType } from '../engine/protocol';

export interface EngineHost {
  request<T extends RequestType>(body: Extract<RequestBody, { type: T }>): Promise<Outcome<ResultByType[T]>>;
  onEvent(listener: (e: EngineEvent) => void): void;
  onCrash(listener: (c: CrashInfo) => void): void;
  dispose(): Promise<void>;
}

export interface HostOptions {
  inProcess?: boolean;
  /** Worker script; default next to the CLI bundle. */
  workerPath?: string;
  execArgv?: string[];
}

class WorkerHost implements EngineHost {
  private readonly client: EngineClient;
  constructor(options: HostOptions) {
    this.client = new EngineClient({ workerPath: options.workerPath, execArgv: options.execArgv });
  }
  request<T extends RequestType>(body: Extract<RequestBody, { type: T }>): Promise<Outcome<ResultByType[T]>> {
    return this.client.request(body);
  }
  onEvent(listener: (e: EngineEvent) => void): void {
    this.client.on('event', listener);
  }
  onCrash(listener: (c: CrashInfo) => void): void {
    this.client.on('crashed', listener);
  }
  dispose(): Promise<void> {
    return this.client.dispose();
  }
}

class InProcessHost implements EngineHost {
  private readonly events = new EventEmitter();
  private nextId = 1;
  private engine: import('../engine/engine').Engine | undefined;

  private async load(): Promise<import('../engine/engine').Engine> {
    if (!this.engine) {
      const { Engine } = await import('../engine/engine');
      this.engine = new Engine((e) => this.events.emit('event', e));
    }
    return this.engine;
  }
  async request<T extends RequestType>(body: Extract<RequestBody, { type: T }>): Promise<Outcome<ResultByType[T]>> {
    const engine = await this.load();
    const response = await engine.handle({ ...body, id: this.nextId++ } as Request);
    return response.ok ? { ok: true, result: response.result as ResultByType[T] } : { ok: false, error: response.error! };
  }
  onEvent(listener: (e: EngineEvent) => void): void {
    this.events.on('event', listener);
  }
  onCrash(): void {
    // In-process there is no separate process to crash.
  }
  async dispose(): Promise<void> {
    await this.engine?.stopAll();
  }
}

export function createEngineHost(options: HostOptions = {}): EngineHost {
  return options.inProcess ? new InProcessHost() : new WorkerHost(options);
}
