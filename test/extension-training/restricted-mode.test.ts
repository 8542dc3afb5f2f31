// Restricted Mode, against the stand-in `vscode` with an untrusted workspace: Train, Resume,
// Export and Explain refuse with the explanation (and start no engine), the CodeLens says
// training is off, and the editing features (problems, hovers) still work.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { createFakeVscode, FakeDocument, Position, type Recorded } from '../language/fake-vscode';

const Module = require('module') as { _load: (request: string, ...rest: unknown[]) => unknown };
const repo = path.join(__dirname, '..', '..');
const extensionDir = path.join(repo, 'src', 'extension') + path.sep;

/**
 * Takes the extension's modules out of the require cache (returning them), so that this file
 * loads its own copies bound to its stand-in `vscode`; `restore` puts other files' copies back.
 */
function takeExtensionModules(): Map<string, NodeJS.Module | undefined> {
  const taken = new Map<string, NodeJS.Module | undefined>();
  for (const key of Object.keys(require.cache)) {
    if (!key.startsWith(extensionDir)) continue;
    taken.set(key, require.cache[key]);
    delete require.cache[key];
  }
  return taken;
}

function restoreExtensionModules(saved: Map<string, NodeJS.Module | undefined>): void {
  takeExtensionModules();
  for (const [key, mod] of saved) require.cache[key] = mod;
}

class FakeUri {
  readonly scheme = 'file';
  constructor(readonly fsPath: string) {}
  get path(): string {
    return this.fsPath;
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
  static file(p: string): FakeUri {
    return new FakeUri(p);
  }
  static joinPath(base: { fsPath: string }, ...parts: string[]): FakeUri {
    return new FakeUri(path.join(base.fsPath, ...parts));
  }
}

class FakeEmitter<T> {
  private listeners: ((v: T) => void)[] = [];
  readonly event = (fn: (v: T) => void) => {
    this.listeners.push(fn);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== fn)) };
  };
  fire(v: T): void {
    for (const l of this.listeners) l(v);
  }
  dispose(): void {
    this.listeners = [];
  }
}

const MODEL = ['name: tiny', 'layers:', '  - {id: x, type: Input, shape: [4]}', '  - {id: h, type: Dense, units: 8, activaton: relu}', 'loss: cross_entropy', ''].join('\n');

describe('extension-training: Restricted Mode (stand-in vscode, untrusted workspace)', () => {
  let rec: Recorded;
  let fake: Record<string, any>;
  const executed: string[] = [];
  const posted: any[] = [];
  let toPanel: ((m: unknown) => unknown) | undefined;
  const originalLoad = Module._load;
  const subscriptions: { dispose(): void }[] = [];
  const modelUri = FakeUri.file('/ws/tiny.nn.yaml');
  let othersModules = new Map<string, NodeJS.Module | undefined>();
  const doc = new FakeDocument(MODEL, '/ws/tiny.nn.yaml');

  before(() => {
    ({ vscode: fake, rec } = createFakeVscode());
    Object.assign(fake, {
      Uri: FakeUri,
      EventEmitter: FakeEmitter,
      CodeLens: class {
        constructor(
          readonly range: unknown,
          readonly command: { title: string; command: string },
        ) {}
      },
      ViewColumn: { Beside: -2 },
      RelativePattern: class {
        constructor(
          readonly base: unknown,
          readonly pattern: string,
        ) {}
      },
      ProgressLocation: { Notification: 15 },
    });
    Object.assign(fake.workspace, {
      isTrusted: false,
      onDidGrantWorkspaceTrust: () => ({ dispose() {} }),
      createFileSystemWatcher: () => ({ onDidCreate: () => ({ dispose() {} }), onDidDelete: () => ({ dispose() {} }), dispose() {} }),
      openTextDocument: async () => doc,
    });
    Object.assign(fake.commands, {
      executeCommand: async (id: string) => void executed.push(id),
      getCommands: async () => Object.keys(rec.commands),
    });
    fake.window.createWebviewPanel = () => ({
      webview: {
        cspSource: 'vscode-resource:',
        html: '',
        asWebviewUri: (u: FakeUri) => u,
        postMessage: async (m: unknown) => (posted.push(m), true),
        onDidReceiveMessage: (fn: (m: unknown) => unknown) => ((toPanel = fn), { dispose() {} }),
      },
      onDidDispose: () => ({ dispose() {} }),
      reveal() {},
      dispose() {},
    });
    othersModules = takeExtensionModules();
    Module._load = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? fake : originalLoad.call(this, request, ...rest);
    };
  });

  after(() => {
    for (const s of subscriptions) s.dispose();
    Module._load = originalLoad;
    restoreExtensionModules(othersModules);
  });

  it('refuses Train, Resume and Export with the explanation, starting no engine', async () => {
    const { TrainingController } = require('../../src/extension/training/controller');
    const { registerTrainingCommands } = require('../../src/extension/training/commands');
    const controller = new TrainingController();
    subscriptions.push(controller);
    const shown: unknown[] = [];
    const dashboard = { show: async (u: unknown) => void shown.push(u) };
    registerTrainingCommands(controller, dashboard, { refresh() {} });
    const explanation = /disabled in Restricted Mode\. Training reads the data files and checkpoints a model names.*trust this workspace to enable it\. Viewing and editing models still work\./;

    rec.messages.length = 0;
    await rec.commands['layerwise.train'](modelUri);
    assert.strictEqual(rec.messages.length, 1);
    assert.match(rec.messages[0], /^Layerwise: Training is disabled/);
    assert.match(rec.messages[0], explanation);
    assert.deepStrictEqual(shown, [], 'no dashboard for a run that cannot start');
    assert.strictEqual(controller.current, undefined);
    assert.strictEqual((controller as unknown as { client: unknown }).client, undefined, 'no engine worker');

    // A complete run would ask for more epochs first: the refusal comes before any question.
    const ws = fs.mkdtempSync(path.join(require('os').tmpdir(), 'lw-trust-'));
    try {
      fs.writeFileSync(path.join(ws, 'tiny.nn.yaml'), MODEL);
      const run = { id: 'tiny/t', modelFolder: 'tiny', timestamp: 't', dir: ws, config: { modelPath: path.join(ws, 'tiny.nn.yaml'), epochs: 1 }, epochs: [{ epoch: 1, loss: 1, metrics: {}, lr: 0.1, seconds: 1 }], lastCheckpoint: path.join(ws, 'last.ckpt') };
      rec.messages.length = 0;
      const asked = rec.inputValidation.length;
      await rec.commands['layerwise.resumeRun']({ kind: 'run', run, workspace: ws });
      assert.strictEqual(rec.inputValidation.length, asked, 'no epoch question');
      assert.deepStrictEqual(shown, []);
      assert.strictEqual(rec.messages.length, 1);
      assert.match(rec.messages[0], /^Layerwise: Resuming a run is disabled/);
      assert.match(rec.messages[0], explanation);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }

    rec.messages.length = 0;
    await rec.commands['layerwise.exportOnnx'](modelUri);
    assert.strictEqual(rec.messages.length, 1);
    assert.match(rec.messages[0], /^Layerwise: Exporting \(it loads a checkpoint\) is disabled/);
    await controller.exportOnnx(modelUri, '/ws/x.ckpt', '/ws/x.onnx');
    assert.strictEqual(rec.messages.length, 2, 'the controller refuses on its own too');
    assert.strictEqual((controller as unknown as { client: unknown }).client, undefined, 'still no engine worker');

    // The warning's button leads to the trust editor.
    rec.warningAnswer = 'Manage Workspace Trust';
    await rec.commands['layerwise.train'](modelUri);
    await new Promise((r) => setImmediate(r));
    assert.ok(executed.includes('workbench.trust.manage'), executed.join(', '));
    rec.warningAnswer = undefined;
  });

  it('the CodeLens says training is off instead of offering Train and Export', async () => {
    const { TrainingCodeLensProvider } = require('../../src/extension/training/codeLens');
    const controller = { current: undefined, onActiveChange: () => ({ dispose() {} }), onSessionChange: () => ({ dispose() {} }) };
    const lenses = new TrainingCodeLensProvider(controller);
    subscriptions.push(lenses);
    const titles = (await lenses.provideCodeLenses(doc)).map((l: { command: { title: string; command: string } }) => [l.command.title, l.command.command]);
    assert.deepStrictEqual(titles.slice(0, 1), [['$(shield) Training is off in Restricted Mode', 'workbench.trust.manage']]);
    assert.ok(!titles.some(([t]: string[]) => /Train$|Export/.test(t)), JSON.stringify(titles));
  });

  it('Explain opens but refuses to load weights or data, saying why', async () => {
    const { ExplainPanel, UNTRUSTED_MESSAGE } = require('../../src/extension/explain/explainPanel');
    const requests: unknown[] = [];
    const engine = { request: async (r: unknown) => (requests.push(r), { ok: true, result: {} }) };
    const panel = new ExplainPanel(FakeUri.file(repo), modelUri, engine, () => undefined);
    subscriptions.push(panel);
    await toPanel!({ type: 'ready' });
    const init = posted.find((m) => m.type === 'init');
    assert.deepStrictEqual(init?.blocked, { reason: 'untrusted', message: UNTRUSTED_MESSAGE });
    await toPanel!({ type: 'explain', id: 7, weights: '', split: 'test', sample: 0, explain: {} });
    await toPanel!({ type: 'index', id: 8, weights: '', split: 'test' });
    const answers = posted.filter((m) => m.id === 7 || m.id === 8);
    assert.deepStrictEqual(
      answers.map((m) => [m.type, m.outcome.ok, m.outcome.error?.message ?? m.outcome.message]),
      [
        ['explainResult', false, UNTRUSTED_MESSAGE],
        ['indexResult', false, UNTRUSTED_MESSAGE],
      ],
    );
    assert.deepStrictEqual(requests, [], 'nothing reached the engine');
  });

  it('editing features still work: problems and hovers', async () => {
    const { registerLanguageFeatures } = require('../../src/extension/languageFeatures');
    const context = { subscriptions, extensionUri: { fsPath: repo } };
    registerLanguageFeatures(context);
    rec.listeners.open.forEach((f) => f(doc));
    const problems = rec.diagnostics.get(doc.uri.toString())!;
    assert.deepStrictEqual(
      problems.map((d: { code: string; range: { start: { line: number } } }) => [d.code, d.range.start.line]),
      [['unknown-param', 3]],
    );
    const hover = await rec.providers.hover[0].provideHover(doc, new Position(3, 25), {});
    assert.ok(hover && JSON.stringify(hover.contents).includes('Dense'), JSON.stringify(hover?.contents));
  });
});
