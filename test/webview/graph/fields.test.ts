// The property panel's typed fields: text becomes a value of the parameter's type, bounds are
// checked, and a bad entry says what is expected.
import * as assert from 'assert';
import { getLayerMeta } from '../../../src/analysis/layers';
import { fieldText, parseField, parseInputs, parseLayerId } from '../../../webview/graph/logic/paramInput';

const meta = (kind: string, param: string) => getLayerMeta(kind)!.params[param];

describe('graph editor: property fields', () => {
  it('parses each parameter type', () => {
    assert.deepStrictEqual(parseField('units', meta('Dense', 'units'), ' 128 '), { ok: true, value: 128 });
    assert.deepStrictEqual(parseField('rate', meta('Dropout', 'rate'), '0.25'), { ok: true, value: 0.25 });
    assert.deepStrictEqual(parseField('use_bias', meta('Dense', 'use_bias'), 'false'), { ok: true, value: false });
    assert.deepStrictEqual(parseField('activation', meta('Dense', 'activation'), 'relu'), { ok: true, value: 'relu' });
    assert.deepStrictEqual(parseField('kernel_size', meta('Conv2D', 'kernel_size'), '3'), { ok: true, value: 3 });
    assert.deepStrictEqual(parseField('kernel_size', meta('Conv2D', 'kernel_size'), '3, 5'), { ok: true, value: [3, 5] });
    assert.deepStrictEqual(parseField('padding', meta('Conv2D', 'padding'), 'same'), { ok: true, value: 'same' });
    assert.deepStrictEqual(parseField('padding', meta('Conv2D', 'padding'), '[1, 2]'), { ok: true, value: [1, 2] });
    assert.deepStrictEqual(parseField('shape', meta('Input', 'shape'), '1, 28, 28'), { ok: true, value: [1, 28, 28] });
    assert.deepStrictEqual(parseField('shape', meta('Reshape', 'shape'), '-1, 4'), { ok: true, value: [-1, 4] });
  });

  it('an empty optional field goes back to the default; an empty required one is refused', () => {
    assert.deepStrictEqual(parseField('activation', meta('Dense', 'activation'), ''), { ok: true, remove: true });
    assert.deepStrictEqual(parseField('units', meta('Dense', 'units'), ''), { ok: false, error: 'units is required.' });
  });

  it('says what is expected when the text does not fit', () => {
    const bad = (kind: string, p: string, text: string) => {
      const r = parseField(p, meta(kind, p), text);
      assert.strictEqual(r.ok, false, `${kind}.${p} accepted ${text}`);
      return (r as { error: string }).error;
    };
    assert.strictEqual(bad('Dense', 'units', '12.5'), 'units must be a whole number; got "12.5".');
    assert.strictEqual(bad('Dense', 'units', '0'), 'units must be at least 1.');
    assert.match(bad('Dense', 'activation', 'swish'), /one of relu, leaky_relu/);
    assert.match(bad('Conv2D', 'kernel_size', '3, 3, 3'), /a number or two numbers/);
    assert.match(bad('Input', 'shape', 'a, b'), /a list of whole numbers/);
    assert.match(bad('Dropout', 'rate', 'x'), /must be a number/);
  });

  it('writes values back as they are typed', () => {
    assert.strictEqual(fieldText([1, 28, 28]), '1, 28, 28');
    assert.strictEqual(fieldText(undefined), '');
    assert.strictEqual(fieldText(0.5), '0.5');
  });

  it('checks ids and input lists against the model', () => {
    const ids = new Set(['x', 'h', 'out']);
    assert.deepStrictEqual(parseLayerId('h2', ids, 'h'), { ok: true, value: 'h2' });
    assert.deepStrictEqual(parseLayerId('h', ids, 'h'), { ok: true, value: 'h' });
    assert.strictEqual(parseLayerId('out', ids, 'h').ok, false);
    assert.strictEqual(parseLayerId('2bad', ids, 'h').ok, false);
    assert.deepStrictEqual(parseInputs('x, h', ids, 'out'), { ok: true, value: ['x', 'h'] });
    assert.deepStrictEqual(parseInputs('x nope', ids, 'out'), { ok: false, error: 'No layer has the id nope.' });
    assert.deepStrictEqual(parseInputs('out', ids, 'out'), { ok: false, error: 'A layer cannot take its own output.' });
  });
});
