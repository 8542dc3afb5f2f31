import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fitStandardizer, loadCsv, parseCsvDataset } from '../../src/engine/data/csv';
import { parseCsvText } from '../../src/engine/data/csvParse';

function ok(r: ReturnType<typeof parseCsvDataset>) {
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.dataset;
}
function err(r: ReturnType<typeof parseCsvDataset>): string {
  assert.ok(!r.ok, 'expected an error');
  return r.message;
}

describe('data/csv', () => {
  it('reads a good file: numeric features, string labels in sorted order', () => {
    const d = ok(parseCsvDataset('a,b,kind\n1,2.5,zebra\n-3,4e-1,ant\n5,.5,zebra\n', 'good.csv'));
    assert.equal(d.name, 'good.csv');
    assert.equal(d.count, 3);
    assert.deepEqual(d.sampleShape, [2]);
    assert.deepEqual(Array.from(d.x as Float32Array), [1, 2.5, -3, Math.fround(0.4), 5, 0.5]);
    assert.deepEqual(d.classNames, ['ant', 'zebra']);
    assert.deepEqual(Array.from(d.y), [1, 0, 1]);
    assert.equal(d.numClasses, 2);
  });

  it('uses integer labels as class indices and takes a named label column', () => {
    const d = ok(parseCsvDataset('label,x\n2,1\n0,2\n', 'int.csv', { label: 'label' }));
    assert.deepEqual(Array.from(d.y), [2, 0]);
    assert.equal(d.numClasses, 3);
    assert.equal(d.classNames, undefined);
    assert.deepEqual(Array.from(d.x as Float32Array), [1, 2]);
  });

  it('handles quoted fields: delimiters, escaped quotes, line breaks, CRLF and a BOM', () => {
    const text = '\ufeff"x 1","x,2",name\r\n"1.5",2,"say ""hi"""\r\n3,"4","two\nlines"\r\n';
    const d = ok(parseCsvDataset(text, 'q.csv'));
    assert.deepEqual(Array.from(d.x as Float32Array), [1.5, 2, 3, 4]);
    assert.deepEqual(d.classNames, ['say "hi"', 'two\nlines']);
    const rows = parseCsvText(text, ',', 'q.csv');
    assert.ok(rows.ok);
    assert.deepEqual(rows.rows.map((r) => r.line), [1, 2, 3]);
  });

  it('names the file, line and column of a ragged row', () => {
    const m = err(parseCsvDataset('a,b,y\n1,2,p\n\n3,4\n', 'ragged.csv'));
    assert.match(m, /^ragged\.csv:4: this row has 2 fields but the header has 3/);
  });

  it('counts lines inside quoted line breaks when reporting', () => {
    const m = err(parseCsvDataset('a,y\n1,"multi\nline"\nx,p\n', 'lines.csv'));
    assert.match(m, /^lines\.csv:4: column 1 \("a"\): "x" is not a number/);
  });

  it('names the file, line and column of a non-numeric or empty cell', () => {
    assert.match(err(parseCsvDataset('a,b,y\n1,2,p\n3,abc,q\n', 'bad.csv')), /^bad\.csv:3: column 2 \("b"\): "abc" is not a number/);
    assert.match(err(parseCsvDataset('a,b,y\n1,,p\n', 'bad.csv')), /^bad\.csv:2: column 2 \("b"\): an empty cell is not a number/);
    assert.match(err(parseCsvDataset('a,y\n1,"p"x\n', 'bad.csv')), /^bad\.csv:2: column 2: unexpected "x" after a closing quote/);
    assert.match(err(parseCsvDataset('a,y\n1,"p\n', 'bad.csv')), /^bad\.csv:2: a quoted field is never closed/);
  });

  it('reports unknown, duplicate and missing columns', () => {
    assert.match(err(parseCsvDataset('a,y\n1,2\n', 'c.csv', { label: 'z' })), /label column "z" is not in the header \(columns: a, y\)/);
    assert.match(err(parseCsvDataset('a,a\n1,2\n', 'c.csv')), /c\.csv:1: column name "a" appears twice/);
    assert.match(err(parseCsvDataset('y\n1\n', 'c.csv')), /no feature columns/);
    assert.match(err(parseCsvDataset('a,y\n', 'c.csv')), /no data rows/);
    assert.match(err(parseCsvDataset('a,y\n1,-1\n', 'c.csv')), /c\.csv:2: column 2 \("y"\): class -1 is outside/);
  });

  it('reads regression targets, one or several columns, and selected features', () => {
    const d = ok(parseCsvDataset('a,b,t1,t2\n1,2,0.5,-1\n3,4,1.5,2\n', 'r.csv', { task: 'regression', label: ['t1', 't2'], features: ['b'] }));
    assert.ok(d.y instanceof Float32Array);
    assert.deepEqual(d.labelShape, [2]);
    assert.deepEqual(Array.from(d.y), [0.5, -1, 1.5, 2]);
    assert.deepEqual(Array.from(d.x as Float32Array), [2, 4]);
    assert.match(err(parseCsvDataset('a,t\n1,x\n', 'r.csv', { task: 'regression' })), /r\.csv:2: column 2 \("t"\): "x" is not a number/);
  });

  it('takes another delimiter', () => {
    const d = ok(parseCsvDataset('a\tb\ty\n1\t2\tq\n', 't.tsv', { delimiter: '\t' }));
    assert.deepEqual(Array.from(d.x as Float32Array), [1, 2]);
  });

  it('loads from disk and reports unreadable files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-csv-'));
    try {
      const file = path.join(dir, 'f.csv');
      fs.writeFileSync(file, 'a,y\n1,u\n2,v\n');
      const r = loadCsv(file);
      assert.ok(r.ok && r.dataset.count === 2);
      const missing = loadCsv(path.join(dir, 'nope.csv'));
      assert.ok(!missing.ok && missing.message.includes('nope.csv'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fits standardisation on the training indices only', () => {
    // Feature 0: train samples 0, 1 -> mean 2, std 1; sample 2 is an outlier outside the fit.
    const x = new Float32Array([1, 5, 3, 5, 100, 7]);
    const s = fitStandardizer(x, [2], [0, 1]);
    assert.deepEqual(Array.from(s.mean), [2, 5]);
    assert.deepEqual(Array.from(s.std), [1, 1]); // feature 1 is constant: std 1, not 0
    assert.deepEqual(Array.from(s.apply(x)), [-1, 0, 1, 0, 98, 2]);
    assert.deepEqual(Array.from(x), [1, 5, 3, 5, 100, 7]); // apply copies
    s.applyInPlace(x);
    assert.equal(x[4], 98);
    assert.throws(() => fitStandardizer(x, [2], [3]), RangeError);
  });
});
