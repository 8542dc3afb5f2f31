// The language features' host wiring, run against a stand-in `vscode` module: registration adds the
// providers and commands, diagnostics follow the document (debounced) and are cleared on close,
// the providers answer, and both commands do their job.
import * as assert from 'assert';
import * as path from 'path';
import { createFakeVscode, FakeDocument, Position, Range, type Recorded } from './fake-vscode';

const Module = require('module') as { _load: (request: string, ...rest: unknown[]) => unknown };

const repo = path.join(__dirname, '..', '..');
const model = [
  'name: tiny',
  'layers:',
  '  - id: x',
  '    type: Input',
  '    shape: [4]',
  '  - id: h',
  '    type: Dense',
  '    units: 8',
  '    activaton: relu',
  '  - id: out',
  '    type: Dense',
  '    units: 2',
  'loss: cross_entropy',
  '',
].join('\n');

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('extension host (with a stand-in vscode)', () => {
  let rec: Recorded;
  let fake: Record<string, any>;
  let ext: { registerLanguageFeatures(ctx: unknown): unknown };
  let context: { subscriptions: { dispose(): void }[]; extensionUri: { fsPath: string } };
  const originalLoad = Module._load;
  const existing = new Map([['/ws/mlp.nn.yaml', 'taken']]);
  const alreadyOpen = new FakeDocument('layers:\n  - type: Dense\n', '/ws/open.nn.yaml');
  let checkedDuringActivation = true;

  before(() => {
    ({ vscode: fake, rec } = createFakeVscode(existing));
    Module._load = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? fake : originalLoad.call(this, request, ...rest);
    };
    ext = require('../../src/extension/languageFeatures');
    context = { subscriptions: [], extensionUri: { fsPath: repo } };
    fake.workspace.textDocuments.push(alreadyOpen);
    ext.registerLanguageFeatures(context);
    checkedDuringActivation = rec.diagnostics.has(alreadyOpen.uri.toString());
  });

  after(() => {
    for (const s of context.subscriptions) s.dispose();
    Module._load = originalLoad;
  });

  it('registers the providers, the trigger characters and both commands', () => {
    assert.strictEqual(rec.providers.hover.length, 1);
    assert.strictEqual(rec.providers.completion.length, 1);
    assert.strictEqual(rec.providers.symbols.length, 1);
    assert.strictEqual(rec.providers.actions.length, 1);
    assert.deepStrictEqual(rec.triggers, [':', ' ']);
    assert.deepStrictEqual(Object.keys(rec.commands).sort(), ['layerwise.checkModel', 'layerwise.newModelFromTemplate']);
  });

  it('checks the documents already open after activation, not during it', async () => {
    assert.strictEqual(checkedDuringActivation, false);
    await settle(300);
    const problems = rec.diagnostics.get(alreadyOpen.uri.toString());
    assert.ok(problems && problems.length > 0, 'the Dense layer without units is reported');
  });

  it('publishes problems on open, re-checks after edits (debounced) and clears them on close', async () => {
    const doc = new FakeDocument(model);
    const key = doc.uri.toString();
    rec.listeners.open.forEach((f) => f(doc));
    const first = rec.diagnostics.get(key)!;
    assert.deepStrictEqual(
      first.map((d) => [d.code, d.source, d.range.start.line]),
      [['unknown-param', 'Layerwise', 8]],
    );
    doc.setText(model.replace('activaton', 'activation'));
    rec.listeners.change.forEach((f) => f({ document: doc }));
    // Still the old problems until the debounce delay (150 ms) has passed.
    assert.strictEqual(rec.diagnostics.get(key)!.length, 1);
    await settle(300);
    assert.deepStrictEqual(rec.diagnostics.get(key), []);
    rec.listeners.close.forEach((f) => f(doc));
    assert.strictEqual(rec.diagnostics.has(key), false);
  });

  it('answers hovers, completion, the outline and quick fixes', async () => {
    const doc = new FakeDocument(model, '/ws/other.nn.yaml');
    rec.listeners.open.forEach((f) => f(doc));
    await settle(50);
    const text = doc.getText();
    const hover = await rec.providers.hover[0].provideHover(doc, doc.positionAt(text.indexOf('id: h') + 4));
    assert.match(hover.contents.value, /^\*\*h\*\* · `Dense`/);
    assert.ok(hover.contents.value.includes('`[4]` → `[8]`'));

    const items = await rec.providers.completion[0].provideCompletionItems(doc, doc.positionAt(text.indexOf('Dense') + 2), {}, { triggerKind: 0 });
    const conv = items.find((i: any) => i.label === 'Conv2D');
    assert.ok(conv, items.map((i: any) => i.label).join());
    assert.strictEqual(conv.insertText, 'Conv2D');
    assert.strictEqual(conv.keepWhitespace, true);
    assert.deepStrictEqual(conv.range, new Range(new Position(6, 10), new Position(6, 15)));
    // A space typed as indentation opens no list; invoked by hand, the same place offers keys.
    const indent = doc.positionAt(text.indexOf('units: 8'));
    assert.strictEqual(await rec.providers.completion[0].provideCompletionItems(doc, indent, {}, { triggerKind: 1, triggerCharacter: ' ' }), undefined);
    const keys = await rec.providers.completion[0].provideCompletionItems(doc, indent, {}, { triggerKind: 0 });
    assert.ok(keys.some((i: any) => i.label === 'use_bias'));

    const symbols = await rec.providers.symbols[0].provideDocumentSymbols(doc);
    const layers = symbols.find((s: any) => s.name === 'layers');
    assert.deepStrictEqual(
      layers.children.map((c: any) => c.name),
      ['x · Input → [4]', 'h · Dense → [8]', 'out · Dense → [2]'],
    );

    const at = doc.positionAt(text.indexOf('activaton') + 2);
    const shown = rec.diagnostics.get(doc.uri.toString())!;
    const actions = await rec.providers.actions[0].provideCodeActions(doc, new Range(at, at), { diagnostics: shown });
    const rename = actions.find((a: any) => a.edit.edits.some((e: any) => e.newText === 'activation'));
    assert.ok(rename, JSON.stringify(actions.map((a: any) => a.title)));
    assert.strictEqual(rename.diagnostics[0], shown[0]);
    assert.deepStrictEqual(rename.edit.edits[0].range, new Range(new Position(8, 4), new Position(8, 13)));
  });

  it('"Check Model" writes the problems and the summary table to the log', async () => {
    const doc = new FakeDocument(model, '/ws/check.nn.yaml');
    fake.window.activeTextEditor = { document: doc };
    await rec.commands['layerwise.checkModel']();
    const log = rec.log.join('\n');
    assert.ok(log.includes('Check check.nn.yaml: 1 error(s), 0 warning(s).'), log);
    assert.ok(log.includes('check.nn.yaml:9:5: error:'), log);
    assert.ok(/Layer \(id\)\s+Kind\s+Output shape\s+Params/.test(log), log);
    assert.ok(/out\s+Dense\s+\[2\]\s+18/.test(log), log);
    assert.match(rec.status[rec.status.length - 1], /1 error\(s\) in check\.nn\.yaml/);
    fake.window.activeTextEditor = undefined;
    await rec.commands['layerwise.checkModel']();
    assert.match(rec.messages[rec.messages.length - 1], /open a model file/);
  });

  it('"New Model from Template" writes the picked template under a free name and opens it', async () => {
    rec.quickPick = (items) => items.find((i: any) => i.label === 'LSTM');
    rec.inputBox = 'seq';
    await rec.commands['layerwise.newModelFromTemplate']();
    const written = rec.written.get('/ws/seq.nn.yaml');
    assert.ok(written, [...rec.written.keys()].join());
    assert.match(written, /^name: seq/m);
    assert.ok(written.includes('type: LSTM'));
    assert.strictEqual((rec.shown[rec.shown.length - 1] as { fsPath: string }).fsPath, '/ws/seq.nn.yaml');
  });

  it('asks before replacing an existing file, and keeps it when the answer is no', async () => {
    rec.quickPick = (items) => items[0];
    rec.inputBox = 'mlp';
    rec.warningAnswer = undefined;
    await rec.commands['layerwise.newModelFromTemplate']();
    assert.match(rec.messages[rec.messages.length - 1], /mlp\.nn\.yaml already exists/);
    assert.strictEqual(rec.written.has('/ws/mlp.nn.yaml'), false);
    const validation = rec.inputValidation[rec.inputValidation.length - 1] as { severity: number; message: string };
    assert.strictEqual(validation.severity, 2);
    rec.warningAnswer = 'Replace';
    await rec.commands['layerwise.newModelFromTemplate']();
    assert.match(rec.written.get('/ws/mlp.nn.yaml')!, /^name: mlp/m);
  });
});
