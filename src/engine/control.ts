// Pause / resume / stop for a training run. Commands arrive between steps (the loop awaits ORT,
// so IPC messages are handled meanwhile); the loop calls `gate()` before each step.

export class RunControl {
  private paused = false;
  private stopped = false;
  private wake: (() => void) | undefined;

  get isPaused(): boolean {
    return this.paused;
  }

  get stopRequested(): boolean {
    return this.stopped;
  }

  pause(): void {
    if (!this.stopped) this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.release();
  }

  stop(): void {
    this.stopped = true;
    this.paused = false;
    this.release();
  }

  /**
   * Waits while paused; resolves `'stop'` when a stop was requested, else `'go'`.
   * `onPause` / `onResume` are called when the wait starts and ends.
   */
  async gate(onPause?: () => void, onResume?: () => void): Promise<'go' | 'stop'> {
    if (this.paused && !this.stopped) {
      onPause?.();
      while (this.paused && !this.stopped) await new Promise<void>((r) => (this.wake = r));
      if (!this.stopped) onResume?.();
    }
    return this.stopped ? 'stop' : 'go';
  }

  private release(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
