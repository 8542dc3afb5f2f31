// `layerwise check`: exit codes, diagnostics as file:line:col, and the summary's totals line.
import { strict as assert } from 'assert';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCheck } from '../../src/cli/check';
import { formatBytes, formatFlops, groupDigits } from '../../src/cli/format';
import { analyzeModel } from '../../src/analysis/analyze';

function capture(): { log: (s: string) => void; error: (s: string) => void; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { log: (s) => out.push(s), error: (s) => err.push(s), out, err };
}

/** Everything logged, split into lines (the table is logged as one block). */
function outLines(io: { out: string[] }): string[] {
  return io.out.join('\n').split('\n');
}

const examples = path.join(__dirname, '..', '..', 'examples');
const templates = path.join(__dirname, '..', '..', 'templates');

describe('layerwise check', () => {
  it('passes every example and template and prints its totals', async () => {
    const models = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.nn.yaml')).map((f) => path.join(dir, f));
    const files = [...models(examples), ...models(templates)];
    assert.ok(files.length >= 8);
    for (const file of files) {
      const io = capture();
      assert.equal(await runCheck([file], io), 0, io.err.join('\n'));
      assert.deepEqual(io.err, []);
      // The totals line agrees with the analysis, written in the units the table uses.
      const s = analyzeModel(readFileSync(file, 'utf8')).summary!;
      const total = outLines(io).find((l) => l.startsWith('Total: '));
      assert.equal(
        total,
        `Total: ${groupDigits(s.totalParams)} parameters (${groupDigits(s.trainableParams)} trainable, ${formatBytes(4 * s.totalParams)}), ` +
          `${formatFlops(s.totalFlops)} and ${formatBytes(s.totalActivationBytes)} of activations per sample`,
      );
    }
  });

  it('prints the digits example like model.summary()', async () => {
    const io = capture();
    assert.equal(await runCheck([path.join(examples, 'digits-cnn.nn.yaml')], io), 0);
    const text = io.out.join('\n');
    assert.match(text, /^Layer \(id\) +Kind +Output shape +Params +FLOPs +Activation memory$/m);
    assert.match(text, /^conv1 +Conv2D +\[32, 8, 8\] +320 +40,960 +8 KiB$/m);
    assert.match(text, /^hidden +Dense +\[128\] +131,200 +262,400 +512 B$/m);
    // 151,434 parameters, 64 of them BatchNorm running statistics; 151,434 * 4 bytes = 591.5 KiB
    assert.match(text, /^Total: 151,434 parameters \(151,370 trainable, 592 KiB\), /m);
  });

  it('checks a folder of models', async () => {
    const io = capture();
    assert.equal(await runCheck([examples], io), 0);
    assert.equal(outLines(io).filter((l) => l.startsWith('Total: ')).length, readdirSync(examples).filter((f) => f.endsWith('.nn.yaml')).length);
  });

  it('exits 1 on errors and prints them as file:line:col', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'layerwise-check-'));
    const file = path.join(dir, 'bad.nn.yaml');
    writeFileSync(file, 'layers:\n  - {id: x, type: Input, shape: [4]}\n  - type: Dense\n    unit: 3\n');
    const io = capture();
    assert.equal(await runCheck([file], io), 1);
    // The misspelt `unit` is reported once (its rename fix also supplies the missing `units`).
    assert.deepEqual(io.err, [`${file}:4:5: error: Dense \`dense_1\` has no parameter \`unit\`; did you mean \`units\`? [unknown-param]`]);
    assert.ok(outLines(io).some((l) => /^dense_1 +Dense +\? +\?/.test(l)), 'layers without a shape show ?');
    assert.ok(outLines(io).includes('(incomplete: 1 layer has no shape because of the errors reported)'));
  });

  it('exits 0 with warnings only', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'layerwise-check-'));
    const file = path.join(dir, 'warn.nn.yaml');
    writeFileSync(file, 'layers:\n  - {id: x, type: Input, shape: [4]}\n  - {type: Dense, units: 3, activation: softmax}\nloss: cross_entropy\n');
    const io = capture();
    assert.equal(await runCheck([file], io), 0);
    assert.equal(io.err.length, 1);
    assert.match(io.err[0], /:3:41: warning: .*\[double-softmax\]$/);
  });

  it('exits 2 for a file it cannot read, naming it', async () => {
    const io = capture();
    const missing = path.join(os.tmpdir(), 'no-such-model-file.nn.yaml');
    assert.equal(await runCheck([missing, path.join(examples, 'residual-mlp.nn.yaml')], io), 2);
    assert.deepEqual(io.err, [`${missing}: cannot read: no such file`]);
    assert.equal(outLines(io).filter((l) => l.startsWith('Total: ')).length, 1, 'the readable file is still checked');
    const none = capture();
    assert.equal(await runCheck([], none), 2);
    assert.equal(none.err.length, 1);
  });

  it('formats numbers in human units', () => {
    assert.equal(groupDigits(1234567), '1,234,567');
    assert.equal(groupDigits(999), '999');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(3 * 1024 * 1024), '3 MiB');
    assert.equal(formatFlops(950), '950 FLOPs');
    assert.equal(formatFlops(2685706), '2.69 MFLOPs');
    assert.equal(formatFlops(1.5e9), '1.5 GFLOPs');
  });
});
