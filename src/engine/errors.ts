// The error type engine code throws for problems it can explain (bad model, bad checkpoint,
// path outside the workspace ...). The worker turns it into an `error` event / failed response;
// anything else that escapes is reported as `internal` with its message.
import type { ErrorCode, ErrorInfo } from './protocol';

export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Omit<ErrorInfo, 'code' | 'message'> = {},
  ) {
    super(message);
    this.name = 'EngineError';
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, ...this.details };
  }
}

/** Any thrown value as structured error info. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof EngineError) return err.toInfo();
  if (err && typeof err === 'object' && (err as { name?: unknown }).name === 'CompileError') {
    const e = err as { message: string; layer?: string };
    return { code: 'compile_failed', message: e.message, layer: e.layer };
  }
  if (err instanceof Error) return { code: 'internal', message: `internal error: ${err.message}` };
  return { code: 'internal', message: `internal error: ${String(err)}` };
}
