import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isInside, resolveInWorkspace } from '../../src/engine/paths';

describe('engine/paths: resolveInWorkspace', () => {
  // tmp/outside/secret.csv and tmp/ws/{models/m.nn.yaml, data/a.csv, links...}
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lw-paths-')));
  const ws = path.join(tmp, 'ws');
  const outside = path.join(tmp, 'outside');
  const models = path.join(ws, 'models');
  before(() => {
    fs.mkdirSync(path.join(ws, 'data'), { recursive: true });
    fs.mkdirSync(models, { recursive: true });
    fs.mkdirSync(outside, { recursive: true });
    fs.writeFileSync(path.join(ws, 'data', 'a.csv'), 'a,y\n1,2\n');
    fs.writeFileSync(path.join(outside, 'secret.csv'), 'x\n');
    fs.symlinkSync(outside, path.join(ws, 'out-link'));
    fs.symlinkSync(path.join(ws, 'data'), path.join(ws, 'in-link'));
    fs.symlinkSync(path.join(outside, 'later.npy'), path.join(ws, 'dangling.npy'));
    fs.symlinkSync(path.join(outside), path.join(models, 'deep')); // ws/models/deep -> outside
    fs.symlinkSync('loop-b', path.join(ws, 'loop-a'));
    fs.symlinkSync('loop-a', path.join(ws, 'loop-b'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const accept = (p: string, base = models): string => {
    const r = resolveInWorkspace(ws, p, base);
    assert.ok(r.ok, r.ok ? '' : r.message);
    return r.path;
  };
  const refuse = (p: string, base = models): string => {
    const r = resolveInWorkspace(ws, p, base);
    assert.ok(!r.ok, `expected ${p} to be refused, got ${r.ok ? r.path : ''}`);
    return r.message;
  };

  it('accepts relative paths inside, resolved against the base folder', () => {
    assert.equal(accept('../data/a.csv'), path.join(ws, 'data', 'a.csv'));
    assert.equal(accept('./m.nn.yaml'), path.join(models, 'm.nn.yaml'));
    assert.equal(accept('data/a.csv', ws), path.join(ws, 'data', 'a.csv'));
    assert.equal(accept(path.join(ws, 'data', 'a.csv')), path.join(ws, 'data', 'a.csv'));
  });

  it('accepts not-yet-existing files and folders inside (checkpoints to be written)', () => {
    assert.equal(accept('runs/1/ckpt.bin'), path.join(models, 'runs', '1', 'ckpt.bin'));
    assert.equal(accept('new/../../data/b.npy'), path.join(ws, 'data', 'b.npy'));
  });

  it('accepts symbolic links that stay inside', () => {
    assert.equal(accept('../in-link/a.csv'), path.join(ws, 'data', 'a.csv'));
  });

  it('refuses .. escapes, naming the path and the root', () => {
    const m = refuse('../../outside/secret.csv');
    assert.ok(m.includes('"../../outside/secret.csv"') && m.includes(path.join(outside, 'secret.csv')) && m.includes(ws), m);
    refuse('../..');
    refuse('a/../../../x.csv');
  });

  it('refuses absolute paths outside', () => {
    refuse(path.join(outside, 'secret.csv'));
    refuse('/etc/passwd');
    refuse(tmp);
  });

  it('refuses symbolic links pointing outside, existing or dangling', () => {
    assert.match(refuse('../out-link/secret.csv'), /following symbolic links/);
    refuse('../out-link');
    refuse('../dangling.npy'); // writing through it would create a file outside
    refuse('deep/new-file.bin');
  });

  it('applies .. after a link to the link target, as the OS does', () => {
    // models/deep -> tmp/outside, so models/deep/.. is tmp: deep/../secret.csv is tmp/secret.csv
    // (outside, though it reads like models/secret.csv) and deep/../ws/... leads back inside.
    refuse('deep/../secret.csv');
    assert.equal(accept('deep/../ws/data/a.csv'), path.join(ws, 'data', 'a.csv'));
  });

  it('reports link loops, empty paths and a missing workspace', () => {
    assert.match(refuse('../loop-a/x'), /too many symbolic links/);
    assert.match(refuse(''), /empty/);
    assert.match(refuse('a\0b'), /NUL/);
    const r = resolveInWorkspace(path.join(tmp, 'nope'), 'x', tmp);
    assert.ok(!r.ok && /cannot be resolved/.test(r.message));
  });

  it('isInside compares whole path components', () => {
    assert.ok(isInside('/a/b', '/a/b'));
    assert.ok(isInside('/a/b', '/a/b/c'));
    assert.ok(isInside('/a/b', '/a/b/..c'));
    assert.ok(!isInside('/a/b', '/a/bc'));
    assert.ok(!isInside('/a/b', '/a'));
  });
});
