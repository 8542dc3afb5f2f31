// The edit API on a file with comments, blank lines and every item style: each operation's exact
// resulting text (everything not concerned byte-for-byte unchanged) and the structure it re-parses to.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  addLayer,
  applyEdits,
  connect,
  disconnect,
  removeLayer,
  renameLayer,
  setLayerInputs,
  setLayerParam,
  type EditResult,
} from '../../src/model/edit';
import { parseModel } from '../../src/model/parse';
import type { ModelSpec } from '../../src/model/types';

const base = fs.readFileSync(path.join(__dirname, 'fixtures', 'commented.nn.yaml'), 'utf8');

/** The base text with one exact snippet replaced (the snippet must occur exactly once). */
function replaced(text: string, ...pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    assert.strictEqual(out.split(from).length, 2, `snippet occurs once: ${JSON.stringify(from)}`);
    out = out.replace(from, () => to);
  }
  return out;
}

/** Applies a successful result and re-parses it; the new text must have no YAML syntax error. */
function applied(text: string, result: EditResult): { text: string; model: ModelSpec } {
  assert.ok(result.ok, result.ok ? '' : result.error);
  const out = applyEdits(text, result.edits);
  const parsed = parseModel(out);
  assert.deepStrictEqual(
    parsed.diagnostics.filter((d) => d.code === 'yaml-syntax'),
    [],
    `the edited text has YAML errors:\n${out}`,
  );
  assert.ok(parsed.model);
  return { text: out, model: parsed.model };
}

function wiring(model: ModelSpec): string[] {
  return model.layers.map((l) => `${l.id}<-${l.inputs.map((r) => r.id).join(',')}`);
}

function refused(result: EditResult, pattern: RegExp): void {
  assert.ok(!result.ok, 'expected the edit to be refused');
  assert.match(result.error, pattern);
}

const baseWiring = [
  'x<-',
  'dense_1<-x',
  'branch<-x',
  'merged<-dense_1,branch',
  'dropout_1<-merged',
  'flatten_1<-dropout_1',
  'head<-flatten_1',
];

describe('edit API', () => {
  it('starts from the expected base model', () => {
    const parsed = parseModel(base);
    assert.deepStrictEqual(parsed.diagnostics, []);
    assert.deepStrictEqual(wiring(parsed.model!), baseWiring);
  });

  describe('setLayerParam', () => {
    it('replaces a value in place, keeping the trailing comment and alignment', () => {
      const r = setLayerParam(base, 'x', 'shape', [8]);
      const { text, model } = applied(base, r);
      assert.strictEqual(text, replaced(base, ['shape: [4]        # four features', 'shape: [8]        # four features']));
      assert.deepStrictEqual(model.layers[0].params.shape.value, [8]);
      assert.ok(r.ok && r.edits.length === 1 && r.edits[0].newText === '8');
    });

    it('adds a missing key after the last one', () => {
      const { text, model } = applied(base, setLayerParam(base, 'branch', 'activation', 'gelu'));
      assert.strictEqual(text, replaced(base, ['    units: 8\n', '    units: 8\n    activation: gelu\n']));
      assert.strictEqual(model.layers[2].params.activation.value, 'gelu');
    });

    it('adds a key before a comment line that belongs to the layer', () => {
      const { text } = applied(base, setLayerParam(base, 'head', 'note', 'needs: quotes'));
      assert.strictEqual(text, replaced(base, ['    units: 3\n', '    units: 3\n    note: "needs: quotes"\n']));
    });

    it('removes a key line when the value is undefined', () => {
      const { text, model } = applied(base, setLayerParam(base, 'dense_1', 'activation', undefined));
      assert.strictEqual(text, replaced(base, ['    units: 16\n    activation: relu\n', '    units: 16\n']));
      assert.deepStrictEqual(Object.keys(model.layers[1].params), ['units']);
      const r = setLayerParam(base, 'dense_1', 'use_bias', undefined);
      assert.ok(r.ok && r.edits.length === 0, 'removing an absent key changes nothing');
    });

    it('removes the first key of an item by pulling the next one onto the dash line', () => {
      const text = 'layers:\n  - units: 3   # old\n    type: Dense\n';
      const out = applied(text, setLayerParam(text, 'dense_1', 'units', undefined)).text;
      assert.strictEqual(out, 'layers:\n  - type: Dense\n');
    });

    it('replaces a block-style value with a flow value', () => {
      const text = 'layers:\n  - type: Input\n    shape:\n      - 1\n      - 2\n  - Flatten\n';
      const out = applied(text, setLayerParam(text, 'input_1', 'shape', [3, 4])).text;
      assert.strictEqual(out, 'layers:\n  - type: Input\n    shape: [3, 4]\n  - Flatten\n');
    });

    it('fills an empty value', () => {
      const text = 'layers:\n  - type: Dense\n    units:\n    activation: relu\n';
      const out = applied(text, setLayerParam(text, 'dense_1', 'units', 7)).text;
      assert.strictEqual(out, 'layers:\n  - type: Dense\n    units: 7\n    activation: relu\n');
    });

    it('edits a one-line flow-style layer in place', () => {
      const { text, model } = applied(base, setLayerParam(base, 'dropout_1', 'rate', 0.5));
      assert.strictEqual(text, replaced(base, ['{type: Dropout, rate: 0.2}', '{type: Dropout, rate: 0.5}']));
      assert.deepStrictEqual(wiring(model), baseWiring);
      const added = applied(base, setLayerParam(base, 'dropout_1', 'note', 'x y'));
      assert.strictEqual(added.text, replaced(base, ['{type: Dropout, rate: 0.2}', '{type: Dropout, rate: 0.2, note: x y}']));
      const removed = applied(base, setLayerParam(base, 'dropout_1', 'rate', undefined));
      assert.strictEqual(removed.text, replaced(base, ['{type: Dropout, rate: 0.2}', '{type: Dropout}']));
      const first = 'layers:\n  - {rate: 0.2, type: Dropout}  # c\n';
      assert.strictEqual(applied(first, setLayerParam(first, 'dropout_1', 'rate', undefined)).text, 'layers:\n  - {type: Dropout}  # c\n');
    });

    it('rewrites a multi-line flow-style layer in block style', () => {
      const text = 'layers:\n  - {type: Dense,\n     units: 3}\n';
      assert.strictEqual(applied(text, setLayerParam(text, 'dense_1', 'units', 4)).text, 'layers:\n  - type: Dense\n    units: 4\n');
    });

    it('rewrites a bare kind name in block style, also to change the kind', () => {
      const step1 = applied(base, setLayerParam(base, 'flatten_1', 'type', 'Reshape'));
      assert.strictEqual(step1.text, replaced(base, ['  - Flatten\n', '  - type: Reshape\n']));
      const step2 = applied(step1.text, setLayerParam(step1.text, 'reshape_1', 'shape', [2, -1]));
      assert.strictEqual(step2.text, replaced(base, ['  - Flatten\n', '  - type: Reshape\n    shape: [2, -1]\n']));
      assert.strictEqual(step2.model.layers[5].kind, 'Reshape');
    });

    it('writes strings plainly unless they need quotes', () => {
      const cases: [unknown, string][] = [
        ['relu', 'relu'],
        ['two words', 'two words'],
        ['yes', '"yes"'],
        ['123', '"123"'],
        ['a, b', '"a, b"'],
        ['', '""'],
        [true, 'true'],
        [null, 'null'],
        [1e-7, '1e-7'],
        [[3, 3], '[3, 3]'],
        [{ monitor: 'val_loss', patience: 2 }, '{monitor: val_loss, patience: 2}'],
      ];
      for (const [value, written] of cases) {
        const { text, model } = applied(base, setLayerParam(base, 'head', 'p', value));
        assert.ok(text.includes(`    p: ${written}\n`), `${JSON.stringify(value)} written as ${written}`);
        assert.deepStrictEqual(model.layers[6].params.p.value, value);
      }
    });

    it('keeps CRLF line endings', () => {
      const text = 'layers:\r\n  - type: Dense\r\n    units: 2\r\n';
      const out = applied(text, setLayerParam(text, 'dense_1', 'use_bias', false)).text;
      assert.strictEqual(out, 'layers:\r\n  - type: Dense\r\n    units: 2\r\n    use_bias: false\r\n');
    });

    it('refuses ids, inputs, bad names, unknown layers and unwritable values', () => {
      refused(setLayerParam(base, 'x', 'id', 'y'), /renameLayer/);
      refused(setLayerParam(base, 'x', 'inputs', ['y']), /setLayerInputs/);
      refused(setLayerParam(base, 'x', 'bad key', 1), /not a parameter name/);
      refused(setLayerParam(base, 'x', 'type', undefined), /keep its `type:`/);
      refused(setLayerParam(base, 'nope', 'units', 1), /No layer has the id `nope`/);
      refused(setLayerParam(base, 'x', 'f', () => 1), /cannot be written as YAML/);
      refused(setLayerParam('layers: [\n', 'x', 'units', 1), /YAML syntax error at line/);
    });
  });

  describe('addLayer', () => {
    it('inserts a block item after a layer, with a fresh id, into the chain', () => {
      const r = addLayer(base, { kind: 'Dense', params: { units: 4, activation: 'relu' } }, { after: 'dense_1' });
      const { text, model } = applied(base, r);
      assert.strictEqual(
        text,
        replaced(base, ['    activation: relu\n', '    activation: relu\n  - id: dense_2\n    type: Dense\n    units: 4\n    activation: relu\n']),
      );
      assert.deepStrictEqual(wiring(model), [
        'x<-',
        'dense_1<-x',
        'dense_2<-dense_1',
        'branch<-x',
        'merged<-dense_1,branch',
        'dropout_1<-merged',
        'flatten_1<-dropout_1',
        'head<-flatten_1',
      ]);
    });

    it('writes out a shifted generated id that other layers refer to', () => {
      // The new Dense comes before the unnamed one, which would become dense_3; `merged` names it dense_1.
      const { text, model } = applied(base, addLayer(base, { kind: 'Dense', id: 'dense_2', params: { units: 4 } }, { after: 'x' }));
      assert.strictEqual(
        text,
        replaced(
          base,
          ['four features\n', 'four features\n  - id: dense_2\n    type: Dense\n    units: 4\n'],
          ['  - type: Dense       # becomes', '  - id: dense_1\n    type: Dense       # becomes'],
        ),
      );
      assert.deepStrictEqual(wiring(model).slice(0, 4), ['x<-', 'dense_2<-x', 'dense_1<-dense_2', 'branch<-x']);
    });

    it('adds a branch without taking over the next layer\'s input', () => {
      const r = addLayer(base, { kind: 'Dense', id: 'side', inputs: ['x'], params: { units: 2 } }, { after: 'dropout_1' });
      const { text, model } = applied(base, r);
      assert.strictEqual(
        text,
        replaced(base, [
          '  - Flatten\n',
          '  - id: side\n    type: Dense\n    inputs: [x]\n    units: 2\n  - type: Flatten\n    inputs: [dropout_1]\n',
        ]),
      );
      assert.deepStrictEqual(wiring(model).slice(4, 7), ['dropout_1<-merged', 'side<-x', 'flatten_1<-dropout_1']);
    });

    it('appends at the end, after the comment lines of the last layer', () => {
      const { text, model } = applied(base, addLayer(base, { kind: 'Softmax' }));
      assert.strictEqual(text, replaced(base, ['was too many\n', 'was too many\n  - id: softmax_1\n    type: Softmax\n']));
      assert.strictEqual(wiring(model).pop(), 'softmax_1<-head');
    });

    it('follows the indentation of the existing items', () => {
      const text = 'layers:\n- type: Input\n  shape: [2]\nloss: mse\n';
      const out = applied(text, addLayer(text, { kind: 'Dense', params: { units: 1 } })).text;
      assert.strictEqual(out, 'layers:\n- type: Input\n  shape: [2]\n- id: dense_1\n  type: Dense\n  units: 1\nloss: mse\n');
    });

    it('creates the layers list in an empty file and fills an empty one', () => {
      assert.strictEqual(
        applied('', addLayer('', { kind: 'Input', params: { shape: [4] } })).text,
        'layers:\n  - id: input_1\n    type: Input\n    shape: [4]\n',
      );
      const empty = 'name: m\nlayers:   # to do\nloss: mse\n';
      assert.strictEqual(
        applied(empty, addLayer(empty, { kind: 'Input', params: { shape: [1] } })).text,
        'name: m\nlayers:   # to do\n  - id: input_1\n    type: Input\n    shape: [1]\nloss: mse\n',
      );
      const flowEmpty = 'layers: []\n';
      assert.strictEqual(
        applied(flowEmpty, addLayer(flowEmpty, { kind: 'Flatten' })).text,
        'layers:\n  - id: flatten_1\n    type: Flatten\n',
      );
    });

    it('turns a flow-style layers list into a block list', () => {
      const text = 'layers: [{type: Input, shape: [2]}, Flatten]  # tiny\nloss: mse\n';
      const { text: out, model } = applied(text, addLayer(text, { kind: 'Dense', params: { units: 2 } }));
      assert.strictEqual(
        out,
        'layers:\n  - {type: Input, shape: [2]}\n  - Flatten  # tiny\n  - id: dense_1\n    type: Dense\n    units: 2\nloss: mse\n',
      );
      assert.deepStrictEqual(wiring(model), ['input_1<-', 'flatten_1<-input_1', 'dense_1<-flatten_1']);
    });

    it('refuses bad kinds, taken or malformed ids, unknown inputs and anchors', () => {
      refused(addLayer(base, { kind: 'my layer' }), /not a layer kind name/);
      refused(addLayer(base, { kind: 'Dense', id: 'head' }), /already exists/);
      refused(addLayer(base, { kind: 'Dense', id: '1st' }), /not a valid layer id/);
      refused(addLayer(base, { kind: 'Dense', inputs: ['ghost'] }), /No layer has the id `ghost`/);
      refused(addLayer(base, { kind: 'Dense' }, { after: 'ghost' }), /No layer has the id `ghost`/);
      refused(addLayer(base, { kind: 'Dense', params: { id: 'a' } }), /cannot be given as a parameter/);
      refused(addLayer('layers: {a: 1}\n', { kind: 'Dense' }), /not a list/);
      refused(addLayer('- a\n', { kind: 'Dense' }), /not a YAML mapping/);
    });
  });

  describe('removeLayer', () => {
    it('removes the item and replaces references by the removed layer\'s input', () => {
      const { text, model } = applied(base, removeLayer(base, 'branch'));
      assert.strictEqual(
        text,
        replaced(
          base,
          ['  - id: branch\n    type: Dense\n    inputs: [x]\n    units: 8\n', ''],
          ['inputs: [dense_1, branch]   # join', 'inputs: [dense_1, x]   # join'],
        ),
      );
      assert.deepStrictEqual(wiring(model), ['x<-', 'dense_1<-x', 'merged<-dense_1,x', 'dropout_1<-merged', 'flatten_1<-dropout_1', 'head<-flatten_1']);
    });

    it('removes a layer the next one took implicitly, keeping the chain', () => {
      const { text, model } = applied(base, removeLayer(base, 'dropout_1'));
      assert.strictEqual(text, replaced(base, ['  - {type: Dropout, rate: 0.2}\n', '']));
      assert.deepStrictEqual(wiring(model).slice(3), ['merged<-dense_1,branch', 'flatten_1<-merged', 'head<-flatten_1']);
    });

    it('connects the next layer to the removed layer\'s input when that is not the previous item', () => {
      const text = 'layers:\n  - {id: x, type: Input, shape: [2]}\n  - {id: a, type: Dense, units: 2}\n  - {id: b, type: Dense, units: 2, inputs: [x]}\n  - {id: c, type: Dense, units: 2}\n';
      const { text: out, model } = applied(text, removeLayer(text, 'b'));
      assert.strictEqual(out, 'layers:\n  - {id: x, type: Input, shape: [2]}\n  - {id: a, type: Dense, units: 2}\n  - {id: c, type: Dense, inputs: [x], units: 2}\n');
      assert.deepStrictEqual(wiring(model), ['x<-', 'a<-x', 'c<-x']);
    });

    it('drops the layer from outputs, and the outputs key when it empties, with its comment lines', () => {
      const { text, model } = applied(base, removeLayer(base, 'head'));
      assert.strictEqual(
        text,
        replaced(
          base,
          ['  - id: head\n    type: Dense\n    units: 3\n    # units: 5 was too many\n', ''],
          ['outputs: [head]\n', ''],
        ),
      );
      assert.deepStrictEqual(model.outputs!.map((o) => o.id), ['flatten_1']);
    });

    it('rewires references made through a generated id', () => {
      const { model } = applied(base, removeLayer(base, 'dense_1'));
      assert.deepStrictEqual(wiring(model), ['x<-', 'branch<-x', 'merged<-x,branch', 'dropout_1<-merged', 'flatten_1<-dropout_1', 'head<-flatten_1']);
    });

    it('keeps referenced generated ids when an earlier layer of the same kind goes', () => {
      const text = 'layers:\n  - type: Input\n    shape: [2]\n  - type: Dense\n    units: 2\n  - type: Dense\n    units: 3\n  - type: Add\n    inputs: [dense_2, input_1]\n';
      const { text: out, model } = applied(text, removeLayer(text, 'dense_1'));
      assert.strictEqual(out, 'layers:\n  - type: Input\n    shape: [2]\n  - id: dense_2\n    type: Dense\n    units: 3\n  - type: Add\n    inputs: [dense_2, input_1]\n');
      assert.deepStrictEqual(wiring(model), ['input_1<-', 'dense_2<-input_1', 'add_1<-dense_2,input_1']);
    });

    it('refuses unknown ids', () => {
      refused(removeLayer(base, 'ghost'), /No layer has the id `ghost`. The layers are `x`, `dense_1`/);
    });
  });

  describe('renameLayer', () => {
    it('renames the id and every reference', () => {
      const { text, model } = applied(base, renameLayer(base, 'head', 'logits'));
      assert.strictEqual(
        text,
        replaced(
          base,
          ['  - id: head\n', '  - id: logits\n'],
          ['outputs: [head]', 'outputs: [logits]'],
          ['output: head}', 'output: logits}'],
        ),
      );
      assert.strictEqual(model.layers[6].id, 'logits');
      assert.strictEqual(model.loss!.params.output.value, 'logits');
    });

    it('writes an id for a layer that had none and updates references to the generated one', () => {
      const { text, model } = applied(base, renameLayer(base, 'dense_1', 'hidden'));
      assert.strictEqual(
        text,
        replaced(
          base,
          ['  - type: Dense       # becomes', '  - id: hidden\n    type: Dense       # becomes'],
          ['inputs: [dense_1, branch]', 'inputs: [hidden, branch]'],
        ),
      );
      assert.deepStrictEqual(wiring(model).slice(1, 4), ['hidden<-x', 'branch<-x', 'merged<-hidden,branch']);
    });

    it('renames layers written in flow style and as bare names', () => {
      const r1 = applied(base, renameLayer(base, 'dropout_1', 'drop'));
      assert.strictEqual(r1.text, replaced(base, ['{type: Dropout, rate: 0.2}', '{id: drop, type: Dropout, rate: 0.2}']));
      const r2 = applied(base, renameLayer(base, 'flatten_1', 'flat'));
      assert.strictEqual(r2.text, replaced(base, ['  - Flatten\n', '  - id: flat\n    type: Flatten\n']));
      const text = 'layers:\n  - {id: a, type: Input, shape: [1]}\n  - {type: Dense, units: 1, inputs: a}\n';
      assert.strictEqual(
        applied(text, renameLayer(text, 'a', 'inp')).text,
        'layers:\n  - {id: inp, type: Input, shape: [1]}\n  - {type: Dense, units: 1, inputs: inp}\n',
      );
    });

    it('refuses taken, malformed and unknown ids; renaming to itself changes nothing', () => {
      refused(renameLayer(base, 'head', 'branch'), /already exists/);
      refused(renameLayer(base, 'head', 'a b'), /not a valid layer id/);
      refused(renameLayer(base, 'ghost', 'g'), /No layer has the id/);
      const same = renameLayer(base, 'head', 'head');
      assert.ok(same.ok && same.edits.length === 0);
    });
  });

  describe('setLayerInputs, connect and disconnect', () => {
    it('writes inputs as a flow list after type:', () => {
      const { text, model } = applied(base, setLayerInputs(base, 'head', ['merged', 'branch']));
      assert.strictEqual(text, replaced(base, ['    type: Dense\n    units: 3\n', '    type: Dense\n    inputs: [merged, branch]\n    units: 3\n']));
      assert.strictEqual(wiring(model)[6], 'head<-merged,branch');
    });

    it('replaces written inputs in place', () => {
      const { text } = applied(base, setLayerInputs(base, 'merged', ['x']));
      assert.strictEqual(text, replaced(base, ['inputs: [dense_1, branch]   # join', 'inputs: [x]   # join']));
    });

    it('connect adds to written or implicit inputs, once', () => {
      const r1 = applied(base, connect(base, 'x', 'merged'));
      assert.strictEqual(r1.text, replaced(base, ['inputs: [dense_1, branch]', 'inputs: [dense_1, branch, x]']));
      const r2 = applied(base, connect(base, 'x', 'flatten_1'));
      assert.strictEqual(r2.text, replaced(base, ['  - Flatten\n', '  - type: Flatten\n    inputs: [dropout_1, x]\n']));
      const again = connect(base, 'branch', 'merged');
      assert.ok(again.ok && again.edits.length === 0);
    });

    it('disconnect removes one input and may leave an empty list', () => {
      const r1 = applied(base, disconnect(base, 'branch', 'merged'));
      assert.strictEqual(r1.text, replaced(base, ['inputs: [dense_1, branch]', 'inputs: [dense_1]']));
      const r2 = applied(base, disconnect(base, 'merged', 'dropout_1'));
      assert.strictEqual(r2.text, replaced(base, ['{type: Dropout, rate: 0.2}', '{type: Dropout, inputs: [], rate: 0.2}']));
      assert.strictEqual(wiring(r2.model)[4], 'dropout_1<-');
    });

    it('refuses self-loops, unknown ids and missing connections', () => {
      refused(setLayerInputs(base, 'head', ['head']), /its own output/);
      refused(setLayerInputs(base, 'head', ['ghost']), /No layer has the id `ghost`/);
      refused(connect(base, 'head', 'head'), /its own output/);
      refused(disconnect(base, 'x', 'head'), /`x` is not an input of `head`/);
    });
  });

  describe('unusual layouts', () => {
    const styles = fs.readFileSync(path.join(__dirname, 'fixtures', 'styles.nn.yaml'), 'utf8');

    it('parses the layout fixture cleanly', () => {
      assert.deepStrictEqual(parseModel(styles).diagnostics, []);
    });

    it('writes an id at the key column of a widely indented item and renames block-list references', () => {
      const { text } = applied(styles, renameLayer(styles, 'globalavgpool1d_1', 'pooled'));
      assert.strictEqual(
        text,
        replaced(
          styles,
          ['-   type: GlobalAvgPool1D', '-   id: pooled\n    type: GlobalAvgPool1D'],
          ['    - globalavgpool1d_1\n', '    - pooled\n'],
          ['inputs: [globalavgpool1d_1]}', 'inputs: [pooled]}'],
        ),
      );
    });

    it('replaces block values (a block scalar, a block list) and removes a block-style outputs list', () => {
      const a = applied(styles, setLayerParam(styles, 'out', 'activation', 'relu'));
      assert.strictEqual(a.text, replaced(styles, ['activation: |\n    softmax\n', 'activation: relu\n']));
      const b = applied(styles, setLayerParam(styles, 'in', 'shape', [3, 16]));
      assert.strictEqual(b.text, replaced(styles, ['shape:\n    - 3\n    - 8\n', 'shape: [3, 16]\n']));
      const c = applied(styles, removeLayer(styles, 'out'));
      assert.strictEqual(
        c.text,
        replaced(styles, ['- id: out\n  "type": Dense\n  units: 2\n  activation: |\n    softmax\noutputs:\n  - out\n', '']),
      );
    });

    it('removes an item whose first line holds only a comment, and adds items at column 0', () => {
      const a = applied(styles, removeLayer(styles, 'conv1d_1'));
      assert.strictEqual(
        a.text,
        replaced(styles, ['- # a comment between the dash and the layer\n  type: Conv1D\n  filters: 4\n  kernel_size: 3\n  padding: same\n', '']),
      );
      assert.deepStrictEqual(wiring(a.model).slice(0, 2), ['in<-', 'globalavgpool1d_1<-in']);
      const b = applied(styles, addLayer(styles, { kind: 'ReLU' }, { after: 'add_1' }));
      assert.strictEqual(b.text, replaced(styles, ['  inputs: [branch, dense_2]\n', '  inputs: [branch, dense_2]\n- id: relu_1\n  type: ReLU\n']));
    });
  });

  describe('applyEdits', () => {
    it('applies edits given in any order against the original text', () => {
      const text = 'abcdef';
      assert.strictEqual(
        applyEdits(text, [
          { range: { start: 4, end: 5 }, newText: 'E' },
          { range: { start: 0, end: 1 }, newText: 'AA' },
          { range: { start: 2, end: 2 }, newText: '+' },
        ]),
        'AAb+cdEf',
      );
    });

    it('keeps the order of insertions at the same offset and clamps bad ranges', () => {
      assert.strictEqual(
        applyEdits('xy', [
          { range: { start: 1, end: 1 }, newText: '1' },
          { range: { start: 1, end: 1 }, newText: '2' },
          { range: { start: 5, end: 9 }, newText: '!' },
        ]),
        'x12y!',
      );
      assert.strictEqual(applyEdits('abc', [{ range: { start: 2, end: 1 }, newText: 'Z' }]), 'abZc');
    });
  });
});
