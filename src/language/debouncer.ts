// Runs an action once things have been quiet for a while, separately per key (per document):
// typing re-checks a model only after a pause, and each document has its own timer.

/** The timer functions, replaceable so tests can drive time by hand. */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Debouncer<K> {
  private readonly pending = new Map<K, unknown>();

  constructor(
    private delayMs: number,
    private readonly clock: Clock = realClock,
  ) {}

  /** Schedules `action` for `key` after the delay, replacing an action already waiting for it. */
  schedule(key: K, action: () => void): void {
    this.cancel(key);
    const handle = this.clock.setTimeout(() => {
      this.pending.delete(key);
      action();
    }, this.delayMs);
    this.pending.set(key, handle);
  }

  /** Drops the action waiting for `key`, if any. */
  cancel(key: K): void {
    const handle = this.pending.get(key);
    if (handle !== undefined) {
      this.clock.clearTimeout(handle);
      this.pending.delete(key);
    }
  }

  isPending(key: K): boolean {
    return this.pending.has(key);
  }

  /** Changes the delay for actions scheduled from now on. */
  setDelay(ms: number): void {
    this.delayMs = Math.max(0, ms);
  }

  /** Drops every waiting action. */
  dispose(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }
}
