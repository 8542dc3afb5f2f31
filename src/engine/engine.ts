// Dispatches requests to the engine's commands. The worker process wraps one Engine; the CLI's
// --in-process mode and tests use it directly. One training run at a time; pause/resume/stop
// apply to it. Every request gets a response, never an exception.
import { RunControl } from './control';
import { EngineError, toErrorInfo } from './errors';
import type { EngineEvent, Request, ResponseMessage } from './protocol';
import { train } from './trainer';
import { evaluateCheckpoint } from './evaluate';
import { exportModel } from './export-model';
import { writeGradients } from './grad';
import { explainIndex, explainSample } from '../explain/explain';

export type Emit = (event: EngineEvent) => void;

interface ActiveRun {
  id: number;
  control: RunControl;
  finished: Promise<unknown>;
}

export class Engine {
  private active: ActiveRun | undefined;

  constructor(private readonly emit: Emit) {}

  async handle(req: Request): Promise<ResponseMessage> {
    try {
      const result = await this.dispatch(req);
      return { type: 'response', id: req.id, ok: true, result };
    } catch (err) {
      const error = toErrorInfo(err);
      // A run's failure is also an event, so views listening only to events learn about it.
      if (req.type === 'train') this.emit({ type: 'error', run: req.id, error });
      return { type: 'response', id: req.id, ok: false, error };
    }
  }

  /** Stops the active run (it saves its last checkpoint) and waits for it. */
  async stopAll(): Promise<void> {
    const run = this.active;
    if (!run) return;
    run.control.stop();
    await run.finished.catch(() => undefined);
  }

  private async dispatch(req: Request): Promise<unknown> {
    switch (req.type) {
      case 'train': {
        if (this.active) throw new EngineError('busy', `a training run (request ${this.active.id}) is already in progress; stop it first`);
        const control = new RunControl();
        const finished = train({ modelPath: req.modelPath, text: req.text, options: req.options ?? {} }, { run: req.id, emit: this.emit, control });
        this.active = { id: req.id, control, finished };
        try {
          return await finished;
        } finally {
          this.active = undefined;
        }
      }
      case 'pause':
        this.active?.control.pause();
        return { applied: this.active !== undefined };
      case 'resume':
        this.active?.control.resume();
        return { applied: this.active !== undefined };
      case 'stop':
        this.active?.control.stop();
        return { applied: this.active !== undefined };
      case 'eval':
        return evaluateCheckpoint(req, this.emit);
      case 'export':
        return exportModel(req, this.emit);
      case 'grad':
        return writeGradients(req, this.emit);
      case 'explain':
        return explainSample(req, this.emit);
      case 'explainIndex':
        return explainIndex(req, this.emit);
      case 'shutdown':
        await this.stopAll();
        return { applied: true };
      default: {
        const unknown = req as { type?: unknown };
        throw new EngineError('bad_request', `unknown request type '${String(unknown.type)}'`);
      }
    }
  }
}
