// The trainer's minor GC after each run: it must free young garbage such as the binding's dead
// output copies (a few MiB per run), in a process started without --expose-gc too.
import * as assert from 'assert';
import { collectYoungGarbage } from '../../src/engine/young-gc';

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 5));
const arrayBufferBytes = () => process.memoryUsage().arrayBuffers;
/** Four arrays of 0.72 MB, about one MLP run's output copies; dead unless kept. */
function outputCopies(keep?: Float32Array[]): void {
  for (let i = 0; i < 4; i++) {
    const copy = new Float32Array(180_000).fill(i + 1);
    keep?.push(copy);
  }
}

describe('engine/young-generation GC after a run', () => {
  it('frees the unreferenced young ArrayBuffers a run leaves behind', async () => {
    collectYoungGarbage();
    await settle();
    const base = arrayBufferBytes();
    outputCopies();
    assert.ok(arrayBufferBytes() - base >= 2_800_000, 'the copies are counted until collected');
    collectYoungGarbage();
    await settle();
    assert.ok(arrayBufferBytes() - base < 500_000, `still ${arrayBufferBytes() - base} bytes after the collection`);
  });

  it('leaves arrays still referenced alone', async () => {
    collectYoungGarbage();
    await settle();
    const base = arrayBufferBytes();
    const kept: Float32Array[] = [];
    outputCopies(kept);
    collectYoungGarbage();
    await settle();
    assert.ok(arrayBufferBytes() - base >= 2_800_000);
    assert.deepStrictEqual(kept.map((a) => a[179_999]), [1, 2, 3, 4]);
  });
});
