import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkDataSpec, DATA_SOURCES, loadDataset, writeNpy, type DataSpec } from '../../src/engine/data';
import type { SectionSpec } from '../../src/model/types';
import { shapeSize } from '../../src/engine/data/types';

describe('data/index: loadDataset', () => {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lw-reg-')));
  const ws = path.join(tmp, 'ws');
  const ctx = { workspaceRoot: ws, baseDir: path.join(ws, 'models'), seed: 3 };
  before(() => {
    fs.mkdirSync(path.join(ws, 'models'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'table.csv'), 'a,b,kind\n1,2,x\n3,4,y\n5,6,x\n');
    fs.writeFileSync(path.join(tmp, 'outside.csv'), 'a,kind\n1,x\n');
    writeNpy(path.join(ws, 'x.npy'), [1, 2, 3, 4, 5, 6], [3, 2], 'float32');
    writeNpy(path.join(ws, 'y.npy'), [0, 1, 1], [3], 'int64');
    writeNpy(path.join(ws, 'y2.npy'), [0, 1], [2], 'int32');
    writeNpy(path.join(ws, 'tokens.npy'), [1, 2, 3, 4, 5, 9], [3, 2], 'int64');
    writeNpy(path.join(ws, 'targets.npy'), [0.5, 1.5, 2.5], [3], 'float64');
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'deflated.npz'), path.join(ws, 'arch.npz'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const load = (spec: DataSpec) => {
    const r = loadDataset(spec, ctx);
    assert.ok(r.ok, r.ok ? '' : r.message);
    return r.dataset;
  };
  const refuse = (spec: DataSpec) => {
    const r = loadDataset(spec, ctx);
    assert.ok(!r.ok, 'expected an error');
    return r.message;
  };

  it('has a loader for every source in sources.json, each producing a consistent data set', () => {
    const small: Record<string, DataSpec> = {
      csv: { source: 'csv', path: '../table.csv' },
      npy: { source: 'npy', path: '../x.npy', labels: '../y.npy' },
      npz: { source: 'npz', path: '../arch.npz', x_key: 'features', y_key: 'labels' },
      shapes: { source: 'shapes', samples: 8 },
    };
    for (const source of Object.keys(DATA_SOURCES)) {
      const d = load(small[source] ?? { source, ...('samples' in DATA_SOURCES[source].params ? { samples: 40 } : {}) });
      assert.equal(d.x.length, d.count * shapeSize(d.sampleShape), source);
      assert.equal(d.y.length, d.count * shapeSize(d.labelShape), source);
      if (d.numClasses !== undefined) for (const v of d.y as Int32Array) assert.ok(v >= 0 && v < d.numClasses, source);
    }
  });

  it('applies defaults, and takes the seed from the context unless the spec gives one', () => {
    const d = load({ source: 'spirals' });
    assert.equal(d.count, 1000);
    assert.deepEqual(load({ source: 'spirals', seed: 3 }).x, d.x);
    assert.notDeepEqual(load({ source: 'spirals', seed: 4 }).x, d.x);
    const checked = checkDataSpec({ source: 'blobs' }, 11);
    assert.ok(checked.ok);
    assert.deepEqual(checked.params, { samples: 1000, noise: 0.25, classes: 3, seed: 11 });
  });

  it('accepts the parsed data: section of a model file', () => {
    const v = (value: unknown) => ({ value, range: { start: 0, end: 1 } });
    const section: SectionSpec = { params: { source: v('moons'), samples: v(50), noise: v(0) }, range: { start: 0, end: 10 } };
    const r = loadDataset(section, ctx);
    assert.ok(r.ok && r.dataset.name === 'moons' && r.dataset.count === 50);
  });

  it('explains unknown sources, unknown options, bad values and missing required options', () => {
    assert.match(refuse({ source: 'mnist' }), /unknown source "mnist"; use one of spirals, moons/);
    assert.match(refuse({ source: 'digits', samples: 5 }), /data\.samples: source digits has no option "samples" \(it takes no options\)/);
    assert.match(refuse({ source: 'spirals', nosie: 0.1 }), /no option "nosie" \(options: samples, noise, classes, seed\)/);
    assert.match(refuse({ source: 'spirals', samples: 2.5 }), /data\.samples \(source spirals\): must be an integer between 2 and 1000000, got 2\.5/);
    assert.match(refuse({ source: 'moons', noise: -1 }), /must be a number between 0 and 10, got -1/);
    assert.match(refuse({ source: 'csv', task: 'ranking', path: 'a.csv' }), /must be one of classification, regression/);
    assert.match(refuse({ source: 'csv' }), /data\.path: source csv needs "path"/);
    assert.match(refuse({ source: 'csv', path: '../table.csv', features: [] }), /non-empty list of column names/);
    assert.match(refuse({ source: 'copy_first', samples: 1000000, length: 4096 }), /samples x length = 4096000000 tokens, more than/);
    const missing = loadDataset({} as DataSpec, ctx);
    assert.ok(!missing.ok && /source is missing/.test(missing.message));
  });

  it('refuses paths outside the workspace', () => {
    assert.match(refuse({ source: 'csv', path: '../../outside.csv' }), /^data\.path: path "\.\.\/\.\.\/outside\.csv" resolves to .*outside the workspace folder/);
    assert.match(refuse({ source: 'npy', path: '../x.npy', labels: path.join(tmp, 'outside.csv') }), /^data\.labels: /);
  });

  it('reads csv, npy and npz through the registry', () => {
    const csv = load({ source: 'csv', path: '../table.csv' });
    assert.deepEqual(csv.classNames, ['x', 'y']);
    const npy = load({ source: 'npy', path: '../x.npy', labels: '../y.npy' });
    assert.deepEqual([npy.count, npy.numClasses, npy.sampleShape], [3, 2, [2]]);
    const tokens = load({ source: 'npy', path: '../tokens.npy', labels: '../y.npy' });
    assert.ok(tokens.x instanceof BigInt64Array && tokens.vocabSize === 10);
    const reg = load({ source: 'npy', path: '../x.npy', labels: '../targets.npy' });
    assert.ok(reg.y instanceof Float32Array);
    assert.deepEqual(reg.labelShape, [1]);
    assert.match(refuse({ source: 'npy', path: '../x.npy', labels: '../targets.npy', task: 'classification' }), /element 0 \(0\.5\) is not a class index.*task: regression/);
    assert.match(refuse({ source: 'npy', path: '../x.npy', labels: '../y2.npy' }), /y2\.npy: labels have shape \(2\) but the features hold 3 samples/);
    assert.match(refuse({ source: 'npy', path: '../x.npy', labels: '../x.npy', task: 'classification' }), /class labels must be \[n\]/);
    const npz = load({ source: 'npz', path: '../arch.npz', x_key: 'features', y_key: 'labels' });
    assert.deepEqual([npz.count, npz.sampleShape, npz.numClasses], [4, [3], 3]);
    assert.match(refuse({ source: 'npy', path: '../none.npy', labels: '../y.npy' }), /cannot open .*none\.npy/);
  });
});
