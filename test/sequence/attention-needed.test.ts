// examples/tiny-transformer.nn.yaml solves copy_first (test/engine/examples.test.ts); this checks
// that its task needs the attention: the same model file without its encoder blocks, where the
// last position sees only its own token and position, stays near chance (1 in 8).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { RunControl } from '../../src/engine/control';
import type { EngineEvent } from '../../src/engine/protocol';
import { train } from '../../src/engine/trainer';
import { REPO_ROOT, removeWorkspace, tempWorkspace } from '../engine/helpers';

describe('sequence: the tiny-transformer example needs its attention', function () {
  this.timeout(120000);
  let ws: string;
  before(() => (ws = tempWorkspace('lw-attention-')));
  after(() => removeWorkspace(ws));

  it('without the encoder blocks it stays near chance', async () => {
    const doc = parseDocument(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'tiny-transformer.nn.yaml'), 'utf8'));
    const layers = doc.get('layers') as { items: { get(key: string): unknown }[] };
    const before = layers.items.length;
    layers.items = layers.items.filter((l) => l.get('type') !== 'TransformerEncoderBlock');
    assert.strictEqual(before - layers.items.length, 2, 'the example has two encoder blocks');
    const file = path.join(ws, 'no-attention.nn.yaml');
    fs.writeFileSync(file, doc.toString());
    const ends: Extract<EngineEvent, { type: 'epochEnd' }>[] = [];
    const result = await train(
      { modelPath: file, text: fs.readFileSync(file, 'utf8'), options: { workspace: ws, runDir: 'run', epochs: 4 } },
      { run: 1, control: new RunControl(), emit: (e) => e.type === 'epochEnd' && ends.push(e) },
    );
    assert.ok(result.reason === 'completed' || result.reason === 'early_stopping', result.reason);
    const best = Math.max(...ends.map((e) => e.valMetrics!.accuracy));
    assert.ok(best < 0.25, `best validation accuracy without attention: ${best}`);
  });
});
