import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { isComplete, listRuns, parseJsonLines, readRunData, runDetail, runLabel, runsOfModel } from '../../src/extension/training/runIndex';
import { removeWorkspace, tempWorkspace } from '../engine/helpers';

function writeRun(ws: string, model: string, ts: string, config: object | string | undefined, metrics: string, steps = ''): string {
  const dir = path.join(ws, '.layerwise', 'runs', model, ts);
  fs.mkdirSync(dir, { recursive: true });
  if (config !== undefined) fs.writeFileSync(path.join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), metrics);
  if (steps) fs.writeFileSync(path.join(dir, 'steps.jsonl'), steps);
  return dir;
}

const line = (epoch: number, loss: number, valLoss: number, acc: number) => JSON.stringify({ epoch, loss, metrics: { accuracy: acc }, valLoss, valMetrics: { accuracy: acc - 0.01 }, lr: 0.1, seconds: 0.5 }) + '\n';

describe('extension-training: run-folder index', () => {
  let ws: string;
  beforeEach(() => (ws = tempWorkspace('lw-runs-')));
  afterEach(() => removeWorkspace(ws));

  it('lists runs newest first with their best epoch by the monitored quantity', () => {
    const model = path.join(ws, 'a.nn.yaml');
    writeRun(ws, 'a', '2024-01-01T10-00-00', { model: 'a', modelPath: model, epochs: 2, monitor: { name: 'val_accuracy', mode: 'max' } }, line(1, 1, 0.9, 0.5) + line(2, 0.5, 0.6, 0.8));
    writeRun(ws, 'a', '2024-01-02T09-00-00', { model: 'a', modelPath: model, epochs: 5, monitor: { name: 'val_loss', mode: 'min' } }, line(1, 1, 0.7, 0.5) + line(2, 0.8, 0.8, 0.6));
    writeRun(ws, 'b', '2024-01-01T12-00-00', { model: 'b', modelPath: path.join(ws, 'b.nn.yaml'), epochs: 1 }, '');
    const runs = listRuns(ws);
    assert.deepStrictEqual(
      runs.map((r) => r.id),
      ['a/2024-01-02T09-00-00', 'b/2024-01-01T12-00-00', 'a/2024-01-01T10-00-00'],
    );
    assert.deepStrictEqual(runs[2].best, { epoch: 2, monitor: 'val_accuracy', value: 0.79 });
    assert.deepStrictEqual(runs[0].best, { epoch: 1, monitor: 'val_loss', value: 0.7 });
    assert.ok(isComplete(runs[2]) && !isComplete(runs[0]) && !isComplete(runs[1]));
    assert.strictEqual(runDetail(runs[1]), 'no epoch finished');
    assert.strictEqual(runDetail(runs[2]), 'epoch 2/2 · loss 0.5000 · val_loss 0.6000 · val_accuracy 0.7900 · best val_accuracy 0.7900 @ 2');
    assert.deepStrictEqual(runsOfModel(runs, model, 'a').map((r) => r.id), ['a/2024-01-02T09-00-00', 'a/2024-01-01T10-00-00']);
  });

  it('survives a missing or broken config, torn lines and no runs folder at all', () => {
    assert.deepStrictEqual(listRuns(ws), []);
    writeRun(ws, 'm', '2024-02-02T02-02-02', '{not json', line(1, 2, 2, 0.1) + '{"epoch": 2, "loss"', '{"step": 3, "loss": 2.5}\n{"step"');
    writeRun(ws, 'n', '2024-02-02T02-02-03', undefined, 'garbage\n' + JSON.stringify({ epoch: 'x', loss: 1 }) + '\n');
    const runs = listRuns(ws);
    assert.strictEqual(runs.length, 2);
    const m = runs.find((r) => r.modelFolder === 'm')!;
    assert.deepStrictEqual(m.config, {});
    assert.strictEqual(m.epochs.length, 1);
    assert.strictEqual(m.best, undefined);
    const data = readRunData(m);
    assert.deepStrictEqual(data.steps.map((s) => [s.step, s.loss, s.batchLoss]), [[3, 2.5, 2.5]]);
    assert.strictEqual(runs.find((r) => r.modelFolder === 'n')!.epochs.length, 0);
    // Runs without a config match their model by name.
    assert.deepStrictEqual(runsOfModel(runs, path.join(ws, 'x.nn.yaml'), 'm').map((r) => r.id), ['m/2024-02-02T02-02-02']);
    assert.deepStrictEqual(parseJsonLines('1\n\n{"a":1}\n{'), [1, { a: 1 }]);
  });

  it('labels timestamps as dates and times', () => {
    assert.strictEqual(runLabel('2024-05-01T12-30-05'), '2024-05-01 12:30:05');
    assert.strictEqual(runLabel('2024-05-01T12-30-05-2'), '2024-05-01 12:30:05-2');
    assert.strictEqual(runLabel('custom'), 'custom');
  });
});
