// Vanishing gradients through time, as the engine reports them: the two rnn-vs-lstm examples
// (identical but for the recurrent cell) train briefly on copy_first, where the label is the
// first of 12 tokens. The `gradStats` events carry, per recurrent layer, the gradient norm at
// each input step; the SimpleRNN's first-step norm is orders of magnitude below its last step's,
// the LSTM's is not, and only the LSTM learns the task.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RunControl } from '../../src/engine/control';
import type { EngineEvent, TimeStepGradNorms } from '../../src/engine/protocol';
import { train } from '../../src/engine/trainer';
import { REPO_ROOT, removeWorkspace, tempWorkspace } from '../engine/helpers';

const EPOCHS = 10;

interface Outcome {
  bestValAccuracy: number;
  /** Geometric mean over the last epoch's gradStats events of norm(step 0) / norm(last step). */
  firstOverLast: number;
  /** The same ratio in the first gradStats event (near the initial weights). */
  firstOverLastAtStart: number;
  steps: number;
}

const ratioOf = (t: TimeStepGradNorms) => t.norms[0] / t.norms[t.norms.length - 1];

async function trainExample(ws: string, file: string): Promise<Outcome> {
  const model = path.join(REPO_ROOT, 'examples', file);
  const ends: Extract<EngineEvent, { type: 'epochEnd' }>[] = [];
  const stats: Extract<EngineEvent, { type: 'gradStats' }>[] = [];
  let stepsPerEpoch = 0;
  const result = await train(
    { modelPath: model, text: fs.readFileSync(model, 'utf8'), options: { workspace: ws, runDir: file, epochs: EPOCHS, gradStatsIntervalSeconds: 0.05 } },
    {
      run: 1,
      control: new RunControl(),
      emit: (e) => {
        if (e.type === 'epochEnd') ends.push(e);
        if (e.type === 'gradStats') stats.push(e);
        if (e.type === 'started') stepsPerEpoch = e.stepsPerEpoch;
      },
    },
  );
  assert.strictEqual(result.reason, 'completed', `${file}: ${result.reason}`);
  const series = stats.map((s) => s.timeSteps?.find((t) => t.layer === 'recurrent'));
  assert.ok(series.length > 0 && series.every((t) => t !== undefined && t.norms.length === 12), `${file}: every gradStats event has 12 per-step norms of 'recurrent'`);
  const lastEpoch = stats.map((s, i) => ({ s, t: series[i]! })).filter(({ s }) => s.step > (EPOCHS - 1) * stepsPerEpoch);
  assert.ok(lastEpoch.length > 0, `${file}: gradStats events in the last epoch`);
  const logMean = lastEpoch.reduce((sum, { t }) => sum + Math.log(ratioOf(t)), 0) / lastEpoch.length;
  return {
    bestValAccuracy: Math.max(...ends.map((e) => e.valMetrics!.accuracy)),
    firstOverLast: Math.exp(logMean),
    firstOverLastAtStart: ratioOf(series[0]!),
    steps: lastEpoch.length,
  };
}

describe('sequence: vanishing gradients, SimpleRNN vs LSTM (examples/rnn-vs-lstm-*.nn.yaml)', function () {
  this.timeout(180000);
  let ws: string;
  before(() => (ws = tempWorkspace('lw-vanishing-')));
  after(() => removeWorkspace(ws));

  it('the SimpleRNN\'s first-step gradient is orders of magnitude smaller relative to its last step than the LSTM\'s, and only the LSTM learns', async () => {
    const rnn = await trainExample(ws, 'rnn-vs-lstm-rnn.nn.yaml');
    const lstm = await trainExample(ws, 'rnn-vs-lstm-lstm.nn.yaml');
    const line = (name: string, o: Outcome) =>
      `      ${name}: |dL/dx_0| / |dL/dx_11| = ${o.firstOverLast.toExponential(1)} (last epoch, ${o.steps} events; ${o.firstOverLastAtStart.toExponential(1)} at the start), best val accuracy ${(100 * o.bestValAccuracy).toFixed(1)} %`;
    console.log(line('SimpleRNN', rnn));
    console.log(line('LSTM     ', lstm));
    assert.ok(lstm.bestValAccuracy >= 0.95, `the LSTM learns copy_first: ${lstm.bestValAccuracy}`);
    assert.ok(rnn.bestValAccuracy <= 0.5, `the SimpleRNN stays far from it: ${rnn.bestValAccuracy}`);
    assert.ok(rnn.firstOverLast < 1e-3 * lstm.firstOverLast, `first/last step gradient ratio: SimpleRNN ${rnn.firstOverLast} vs LSTM ${lstm.firstOverLast}`);
    assert.ok(rnn.firstOverLastAtStart < 1e-3 * lstm.firstOverLastAtStart, `already at the start: SimpleRNN ${rnn.firstOverLastAtStart} vs LSTM ${lstm.firstOverLastAtStart}`);
  });
});
