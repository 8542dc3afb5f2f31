// Seeded convergence of the example models (short runs, generous bounds), a one-epoch run of
// every other example, and `check` on each. The runs use a copy of examples/ (data files
// included) as their workspace. The rnn-vs-lstm pair is a gradient demo: its per-time-step
// gradient ratios are asserted in test/sequence/vanishing.test.ts.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runCheck } from '../../src/cli/check';
import { RunControl } from '../../src/engine/control';
import type { EngineEvent } from '../../src/engine/protocol';
import { train } from '../../src/engine/trainer';
import { REPO_ROOT, removeWorkspace, tempWorkspace } from './helpers';

const EXAMPLES = path.join(REPO_ROOT, 'examples');

/** Epochs for the short run and the validation accuracy it must reach (the full runs reach more). */
const SHORT_RUNS: Record<string, { epochs: number; minValAccuracy: number }> = {
  'spirals-mlp.nn.yaml': { epochs: 12, minValAccuracy: 0.95 },
  'digits-mlp.nn.yaml': { epochs: 6, minValAccuracy: 0.93 },
  'digits-cnn.nn.yaml': { epochs: 4, minValAccuracy: 0.95 },
  'shapes-cnn.nn.yaml': { epochs: 3, minValAccuracy: 0.9 },
  'lstm-sequence.nn.yaml': { epochs: 7, minValAccuracy: 0.95 },
  'tiny-transformer.nn.yaml': { epochs: 3, minValAccuracy: 0.95 },
  'review-sentiment.nn.yaml': { epochs: 6, minValAccuracy: 0.95 },
};

type EpochEnd = Extract<EngineEvent, { type: 'epochEnd' }>;

describe('examples', function () {
  this.timeout(120000);
  let ws: string;
  before(() => {
    ws = tempWorkspace('lw-examples-');
    fs.cpSync(EXAMPLES, ws, { recursive: true });
  });
  after(() => removeWorkspace(ws));

  const run = async (name: string, epochs: number) => {
    const file = path.join(ws, name);
    const ends: EpochEnd[] = [];
    const result = await train(
      { modelPath: file, text: fs.readFileSync(file, 'utf8'), options: { workspace: ws, runDir: `runs/${name}`, epochs } },
      { run: 1, control: new RunControl(), emit: (e) => e.type === 'epochEnd' && ends.push(e) },
    );
    assert.ok(result.reason === 'completed' || result.reason === 'early_stopping', `${name}: ${result.reason}`);
    return ends;
  };

  it('every example passes `layerwise check`', async () => {
    const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.nn.yaml'));
    for (const name of Object.keys(SHORT_RUNS)) assert.ok(files.includes(name), `${name} exists`);
    const errors: string[] = [];
    const code = await runCheck(files.map((f) => path.join(EXAMPLES, f)), { log: () => undefined, error: (l) => errors.push(l) });
    assert.strictEqual(code, 0, errors.join('\n'));
    assert.deepStrictEqual(errors, []);
  });

  for (const [name, short] of Object.entries(SHORT_RUNS)) {
    it(`${name} reaches ${short.minValAccuracy * 100} % validation accuracy in ${short.epochs} epochs`, async () => {
      const ends = await run(name, short.epochs);
      const best = Math.max(...ends.map((e) => e.valMetrics!.accuracy));
      assert.ok(best >= short.minValAccuracy, `${name}: best validation accuracy ${best}`);
      assert.ok(ends[ends.length - 1].loss < ends[0].loss, 'the training loss went down');
    });
  }

  it('every other example trains for an epoch with finite numbers', async () => {
    const others = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.nn.yaml') && !(f in SHORT_RUNS));
    assert.ok(others.includes('rnn-vs-lstm-rnn.nn.yaml') && others.includes('rnn-vs-lstm-lstm.nn.yaml'), others.join(', '));
    for (const name of others) {
      const ends = await run(name, 1);
      assert.strictEqual(ends.length, 1, name);
      assert.ok(Number.isFinite(ends[0].loss) && Number.isFinite(ends[0].valLoss!), `${name}: loss ${ends[0].loss}, validation loss ${ends[0].valLoss}`);
    }
  });
});
