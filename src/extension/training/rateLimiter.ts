// Calls `flush` at most `perSecond` times a second with what was pushed meanwhile: the first push
// after a quiet period goes out at once, later ones are combined (latest value, or a batch) and
// go out when the interval has passed. The clock is injectable for tests.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class RateLimiter<T> {
  private pending: T | undefined;
  private has = false;
  private last = -Infinity;
  private timer: unknown;
  private readonly interval: number;

  constructor(
    perSecond: number,
    private readonly flush: (value: T) => void,
    private readonly combine: (pending: T | undefined, next: T) => T = (_, next) => next,
    private readonly clock: Clock = systemClock,
  ) {
    this.interval = 1000 / Math.max(0.01, perSecond);
  }

  push(value: T): void {
    this.pending = this.combine(this.has ? this.pending : undefined, value);
    this.has = true;
    if (this.timer !== undefined) return;
    const wait = this.last + this.interval - this.clock.now();
    if (wait <= 0) this.flushNow();
    else this.timer = this.clock.setTimeout(() => this.flushNow(), wait);
  }

  /** Sends what is pending now (e.g. when the run ends). */
  flushNow(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.has) return;
    const value = this.pending as T;
    this.pending = undefined;
    this.has = false;
    this.last = this.clock.now();
    this.flush(value);
  }

  /** Drops what is pending. */
  cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    this.has = false;
  }
}

/** `combine` for batches: appends the new items to those pending. */
export function appendBatch<I>(pending: I[] | undefined, next: I[]): I[] {
  return pending ? pending.concat(next) : next.slice();
}
