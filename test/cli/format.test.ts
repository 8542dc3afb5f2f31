import * as assert from 'assert';
import { parseArgs, usage, type CommandSpec } from '../../src/cli/args';
import { formatEpochLine, formatProgress, metricLabel } from '../../src/cli/epoch-line';

const spec: CommandSpec = {
  name: 'demo',
  positional: ['<model>'],
  summary: 'Demo.',
  options: {
    epochs: { kind: 'int', doc: 'Epochs.' },
    out: { kind: 'string', alias: 'o', doc: 'Out.' },
    quiet: { kind: 'bool', alias: 'q', doc: 'Quiet.' },
  },
};

describe('cli/format', () => {
  it('formats the epoch line exactly', () => {
    const line = formatEpochLine({ epoch: 1, epochs: 50, loss: 2.54014, metrics: { accuracy: 0.231 }, valLoss: 2.40119, valMetrics: { accuracy: 0.25 }, seconds: 1.23 });
    assert.strictEqual(line, 'Epoch 1/50 - Loss: 2.5401 - Accuracy: 0.2310 - Val Loss: 2.4012 - Val Accuracy: 0.2500 - 1.2s');
    assert.strictEqual(formatEpochLine({ epoch: 3, epochs: 3, loss: 0.5, metrics: { mae: 0.25 }, seconds: 10 }), 'Epoch 3/3 - Loss: 0.5000 - MAE: 0.2500 - 10.0s');
    assert.strictEqual(metricLabel('val_top5_accuracy'), 'Val Top-5 Accuracy');
    assert.strictEqual(metricLabel('f1_score'), 'F1 Score');
  });

  it('draws a progress bar that fits the terminal', () => {
    const bar = formatProgress(10, 40, 0.5, { accuracy: 0.9 }, 80);
    assert.match(bar, /^10\/40 \[=+>\s+\] - Loss: 0\.5000 - Accuracy: 0\.9000$/);
    assert.ok(bar.length < 80);
    assert.match(formatProgress(40, 40, 0.5, {}, 80), /\[=+\]/);
    assert.ok(formatProgress(1, 9, 0.5, { accuracy: 0.9 }, 30).length < 30);
  });

  it('parses options, aliases, inline values and reports mistakes', () => {
    const ok = parseArgs(spec, ['m.nn.yaml', '--epochs', '3', '-o', 'x', '--quiet']);
    assert.deepStrictEqual(ok, { ok: true, positional: ['m.nn.yaml'], options: { epochs: 3, out: 'x', quiet: true }, help: false });
    assert.deepStrictEqual(parseArgs(spec, ['--epochs=4', '-h']), { ok: true, positional: [], options: { epochs: 4 }, help: true });
    const bad = (argv: string[], re: RegExp) => {
      const r = parseArgs(spec, argv);
      assert.ok(!r.ok && re.test(r.message), JSON.stringify(r));
    };
    bad(['--epochs', 'three'], /needs an integer/);
    bad(['--epochs'], /needs a value/);
    bad(['--epoch', '3'], /unknown option '--epoch'; did you mean '--epochs'/);
    bad(['-x'], /unknown option '-x'/);
    bad(['--quiet=yes'], /takes no value/);
    assert.match(usage(spec), /-o, --out VALUE\s+Out\./);
  });
});
