// The per-document debouncer, driven by a hand-operated clock.
import * as assert from 'assert';
import { Debouncer, type Clock } from '../../src/language/debouncer';

/** A clock whose time moves only when the test says so. */
class ManualClock implements Clock {
  now = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.now && this.timers.has(id)) {
        this.timers.delete(id);
        t.fn();
      }
    }
  }
  get pending(): number {
    return this.timers.size;
  }
}

describe('Debouncer', () => {
  it('runs the action once, after the last call has been quiet for the delay', () => {
    const clock = new ManualClock();
    const d = new Debouncer<string>(150, clock);
    const runs: string[] = [];
    d.schedule('a', () => runs.push('a1'));
    clock.advance(100);
    d.schedule('a', () => runs.push('a2'));
    clock.advance(100);
    assert.deepStrictEqual(runs, []);
    assert.strictEqual(d.isPending('a'), true);
    clock.advance(50);
    assert.deepStrictEqual(runs, ['a2']);
    assert.strictEqual(d.isPending('a'), false);
    assert.strictEqual(clock.pending, 0);
  });

  it('keeps a separate timer per key', () => {
    const clock = new ManualClock();
    const d = new Debouncer<string>(100, clock);
    const runs: string[] = [];
    d.schedule('a', () => runs.push('a'));
    clock.advance(60);
    d.schedule('b', () => runs.push('b'));
    clock.advance(40);
    assert.deepStrictEqual(runs, ['a']);
    clock.advance(60);
    assert.deepStrictEqual(runs, ['a', 'b']);
  });

  it('cancels one key, or everything on dispose', () => {
    const clock = new ManualClock();
    const d = new Debouncer<number>(10, clock);
    const runs: number[] = [];
    d.schedule(1, () => runs.push(1));
    d.schedule(2, () => runs.push(2));
    d.schedule(3, () => runs.push(3));
    d.cancel(2);
    clock.advance(10);
    assert.deepStrictEqual(runs, [1, 3]);
    d.schedule(4, () => runs.push(4));
    d.dispose();
    clock.advance(100);
    assert.deepStrictEqual(runs, [1, 3]);
    assert.strictEqual(clock.pending, 0);
  });

  it('uses a changed delay for later calls', () => {
    const clock = new ManualClock();
    const d = new Debouncer<string>(500, clock);
    const runs: string[] = [];
    d.setDelay(20);
    d.schedule('x', () => runs.push('x'));
    clock.advance(20);
    assert.deepStrictEqual(runs, ['x']);
  });

  it('works with the real timers', async () => {
    const d = new Debouncer<string>(5);
    let runs = 0;
    d.schedule('k', () => runs++);
    d.schedule('k', () => runs++);
    await new Promise((r) => setTimeout(r, 30));
    assert.strictEqual(runs, 1);
  });
});
