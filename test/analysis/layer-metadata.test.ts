// layers.json / sections.json / aliases.json are consistent: every kind has a shape rule, every
// default and example fits its own parameter description, aliases point at things that exist.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { aliases, getLayerMeta, kindAliases, layerKinds, sectionMeta } from '../../src/analysis/layers';
import type { ParamMeta } from '../../src/analysis/layers';
import { valueFits } from '../../src/analysis/params';
import { shapeRules } from '../../src/analysis/shapes';

const categories = ['input', 'core', 'convolution', 'pooling', 'normalization', 'regularization', 'sequence', 'attention', 'merge', 'activation', 'reshape'];
const paramTypes = ['int', 'float', 'bool', 'string', 'enum', 'int_or_pair', 'padding', 'shape', 'int_list', 'mapping'];

function checkParam(where: string, pm: ParamMeta): void {
  assert.ok(paramTypes.includes(pm.type), `${where}: type ${pm.type}`);
  assert.ok(pm.doc && pm.doc.length > 5, `${where}: doc`);
  if (pm.type === 'enum') assert.ok(pm.values && pm.values.length > 0, `${where}: enum without values`);
  if (pm.default !== undefined) assert.ok(valueFits(pm, pm.default), `${where}: default ${JSON.stringify(pm.default)} does not fit`);
  if (pm.required) {
    assert.equal(pm.default, undefined, `${where}: required with a default`);
    assert.ok(pm.example !== undefined, `${where}: required without an example`);
  }
  if (pm.example !== undefined) assert.ok(valueFits(pm, pm.example), `${where}: example does not fit`);
}

describe('layer metadata', () => {
  it('lists the 30 layer kinds of the format, each with a shape rule', () => {
    assert.equal(layerKinds.length, 30);
    for (const k of layerKinds) assert.equal(typeof shapeRules[k], 'function', `${k} has no shape rule`);
    assert.deepEqual(Object.keys(shapeRules).sort(), [...layerKinds].sort());
  });

  it('describes every kind and parameter completely', () => {
    for (const k of layerKinds) {
      const meta = getLayerMeta(k)!;
      assert.equal(meta.kind, k);
      assert.ok(categories.includes(meta.category), `${k}: category ${meta.category}`);
      assert.ok(meta.doc.length > 5, `${k}: doc`);
      assert.ok(meta.inputs === 'many' || [0, 1].includes(meta.inputs), `${k}: inputs`);
      for (const [name, pm] of Object.entries(meta.params)) checkParam(`${k}.${name}`, pm);
    }
    assert.equal(getLayerMeta('Input')!.inputs, 0);
    assert.equal(getLayerMeta('Add')!.inputs, 'many');
    assert.equal(getLayerMeta('dense'), undefined);
    assert.equal(getLayerMeta('toString'), undefined);
  });

  it('has aliases that name existing kinds and parameters', () => {
    for (const [alias, kind] of Object.entries(kindAliases)) assert.ok(layerKinds.includes(kind), `${alias} -> ${kind}`);
    const allParams = new Set(layerKinds.flatMap((k) => Object.keys(getLayerMeta(k)!.params)).concat(['id', 'inputs']));
    for (const [alias, name] of Object.entries(aliases.params)) assert.ok(allParams.has(name), `${alias} -> ${name}`);
    for (const section of ['loss', 'optimizer', 'schedule'] as const) {
      for (const [alias, name] of Object.entries(aliases[section])) assert.ok(sectionMeta[section].types[name], `${section}: ${alias} -> ${name}`);
    }
    for (const [alias, name] of Object.entries(aliases.metrics)) assert.ok(sectionMeta.metrics.values[name], `metric ${alias} -> ${name}`);
  });

  it('describes every settings option completely', () => {
    for (const section of ['loss', 'optimizer', 'schedule'] as const) {
      for (const [t, meta] of Object.entries(sectionMeta[section].types)) {
        for (const [name, pm] of Object.entries(meta.params)) checkParam(`${section}.${t}.${name}`, pm);
      }
    }
    for (const [name, pm] of Object.entries(sectionMeta.training.params)) checkParam(`training.${name}`, pm);
    for (const [name, pm] of Object.entries(sectionMeta.early_stopping.params)) checkParam(`early_stopping.${name}`, pm);
  });

  it('knows the labels of data sources that exist, by parameters they have', () => {
    const root = path.join(__dirname, '..', '..', 'src');
    const labels = JSON.parse(readFileSync(path.join(root, 'analysis', 'data-labels.json'), 'utf8')) as Record<string, Record<string, string>>;
    const sources = JSON.parse(readFileSync(path.join(root, 'engine', 'data', 'sources.json'), 'utf8')) as Record<string, { params: Record<string, unknown> }>;
    for (const [name, entry] of Object.entries(labels)) {
      assert.ok(sources[name], `data source ${name} does not exist`);
      for (const key of ['classesParam', 'taskParam', 'columnsParam']) {
        if (entry[key]) assert.ok(entry[key] in sources[name].params, `${name}.${entry[key]} is not a parameter of the source`);
      }
    }
  });
});
