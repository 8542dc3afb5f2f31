// A small stand-in for the `vscode` module: enough of the API for the extension to activate and
// for its providers and commands to run in plain Node. It records what the extension registers
// and shows, so the tests can look at it.

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    if (a instanceof Position && b instanceof Position) {
      this.start = a;
      this.end = b;
    } else {
      this.start = new Position(a as number, b as number);
      this.end = new Position(c!, d!);
    }
  }
  isEqual(o: Range): boolean {
    return (
      this.start.line === o.start.line && this.start.character === o.start.character && this.end.line === o.end.line && this.end.character === o.end.character
    );
  }
}

export class FakeDocument {
  version = 1;
  isClosed = false;
  readonly languageId = 'layerwise-model';
  readonly uri: { scheme: string; fsPath: string; toString(): string };
  constructor(
    private text: string,
    fsPath = '/ws/model.nn.yaml',
  ) {
    this.uri = { scheme: 'file', fsPath, toString: () => `file://${fsPath}` };
  }
  getText(): string {
    return this.text;
  }
  setText(t: string): void {
    this.text = t;
    this.version++;
  }
  offsetAt(p: Position): number {
    const lines = this.text.split('\n');
    let o = 0;
    for (let l = 0; l < p.line && l < lines.length; l++) o += lines[l].length + 1;
    return Math.min(o + p.character, this.text.length);
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, Math.max(0, Math.min(offset, this.text.length)));
    const line = before.split('\n').length - 1;
    return new Position(line, before.length - before.lastIndexOf('\n') - 1);
  }
}

type Listener = (arg: any) => unknown;

/** Everything the extension registered or showed. */
export interface Recorded {
  providers: Record<'hover' | 'completion' | 'symbols' | 'actions', any[]>;
  triggers: string[];
  commands: Record<string, (...args: any[]) => unknown>;
  diagnostics: Map<string, any[]>;
  listeners: Record<string, Listener[]>;
  log: string[];
  messages: string[];
  status: string[];
  shown: unknown[];
  written: Map<string, string>;
  /** Answers the fake user gives, in order. */
  quickPick: (items: any[]) => any;
  inputBox: string | undefined;
  inputValidation: unknown[];
  warningAnswer: string | undefined;
}

export function createFakeVscode(files: Map<string, string> = new Map()): { vscode: Record<string, any>; rec: Recorded } {
  const rec: Recorded = {
    providers: { hover: [], completion: [], symbols: [], actions: [] },
    triggers: [],
    commands: {},
    diagnostics: new Map(),
    listeners: {},
    log: [],
    messages: [],
    status: [],
    shown: [],
    written: new Map(),
    quickPick: (items) => items[0],
    inputBox: undefined,
    inputValidation: [],
    warningAnswer: undefined,
  };
  const disposable = { dispose() {} };
  const on = (name: string) => (fn: Listener) => {
    (rec.listeners[name] ??= []).push(fn);
    return disposable;
  };
  const enumOf = new Proxy({}, { get: (_t, k) => String(k) });
  class CodeActionKind {
    static QuickFix = new CodeActionKind('quickfix');
    constructor(readonly value: string) {}
    intersects(o: CodeActionKind): boolean {
      return o.value === this.value;
    }
  }
  const uri = (fsPath: string) => ({ scheme: 'file', fsPath, toString: () => `file://${fsPath}` });
  const logger = (level: string) => (s: string) => rec.log.push(`${level} ${s}`);
  const vscode = {
    Position,
    Range,
    Diagnostic: class {
      source?: string;
      code?: string;
      constructor(
        readonly range: Range,
        readonly message: string,
        readonly severity: number,
      ) {}
    },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    MarkdownString: class {
      constructor(readonly value: string) {}
    },
    Hover: class {
      constructor(
        readonly contents: any,
        readonly range: Range,
      ) {}
    },
    CompletionItem: class {
      [k: string]: unknown;
      constructor(
        readonly label: string,
        readonly kind: unknown,
      ) {}
    },
    CompletionItemKind: enumOf,
    SymbolKind: enumOf,
    CompletionTriggerKind: { Invoke: 0, TriggerCharacter: 1, TriggerForIncompleteCompletions: 2 },
    SnippetString: class {
      constructor(readonly value: string) {}
    },
    DocumentSymbol: class {
      children: unknown[] = [];
      constructor(
        readonly name: string,
        readonly detail: string,
        readonly kind: unknown,
        readonly range: Range,
        readonly selectionRange: Range,
      ) {}
    },
    CodeAction: class {
      [k: string]: unknown;
      constructor(
        readonly title: string,
        readonly kind: unknown,
      ) {}
    },
    CodeActionKind,
    WorkspaceEdit: class {
      readonly edits: { range: Range; newText: string }[] = [];
      replace(_u: unknown, range: Range, newText: string) {
        this.edits.push({ range, newText });
      }
    },
    InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
    Uri: { joinPath: (base: { fsPath: string }, ...parts: string[]) => uri(require('path').join(base.fsPath, ...parts)) },
    languages: {
      createDiagnosticCollection: () => ({
        set: (u: any, d: any[]) => rec.diagnostics.set(u.toString(), d),
        delete: (u: any) => rec.diagnostics.delete(u.toString()),
        dispose() {},
      }),
      registerHoverProvider: (_s: unknown, p: unknown) => (rec.providers.hover.push(p), disposable),
      registerCompletionItemProvider: (_s: unknown, p: unknown, ...t: string[]) => (rec.providers.completion.push(p), (rec.triggers = t), disposable),
      registerDocumentSymbolProvider: (_s: unknown, p: unknown) => (rec.providers.symbols.push(p), disposable),
      registerCodeActionsProvider: (_s: unknown, p: unknown) => (rec.providers.actions.push(p), disposable),
    },
    commands: {
      registerCommand: (id: string, fn: (...a: any[]) => unknown) => ((rec.commands[id] = fn), disposable),
    },
    workspace: {
      textDocuments: [] as FakeDocument[],
      workspaceFolders: [{ uri: uri('/ws'), name: 'ws', index: 0 }],
      getWorkspaceFolder: (u: { fsPath: string }) => (u.fsPath.startsWith('/ws/') ? { uri: uri('/ws') } : undefined),
      getConfiguration: () => ({ get: (_k: string, d: unknown) => d }),
      asRelativePath: (u: any) => String(u.fsPath ?? u).replace(/^\/ws\//, ''),
      onDidOpenTextDocument: on('open'),
      onDidChangeTextDocument: on('change'),
      onDidCloseTextDocument: on('close'),
      onDidChangeConfiguration: on('config'),
      openTextDocument: async (o: unknown) => o,
      fs: {
        stat: async (u: { fsPath: string }) => {
          if (!files.has(u.fsPath) && !rec.written.has(u.fsPath)) throw new Error('ENOENT');
          return {};
        },
        writeFile: async (u: { fsPath: string }, data: Uint8Array) => {
          rec.written.set(u.fsPath, new TextDecoder().decode(data));
        },
      },
    },
    window: {
      activeTextEditor: undefined as undefined | { document: FakeDocument },
      createOutputChannel: () => ({ info: logger('info'), warn: logger('warn'), error: logger('error'), show() {}, dispose() {} }),
      setStatusBarMessage: (m: string) => (rec.status.push(m), disposable),
      showWarningMessage: async (m: string) => (rec.messages.push(m), rec.warningAnswer),
      showErrorMessage: async (m: string) => (rec.messages.push(m), undefined),
      showInformationMessage: async (m: string) => (rec.messages.push(m), undefined),
      showQuickPick: async (items: any[]) => rec.quickPick(items),
      showInputBox: async (o: { value: string; validateInput: (v: string) => unknown }) => {
        rec.inputValidation.push(await o.validateInput(rec.inputBox ?? o.value));
        return rec.inputBox ?? o.value;
      },
      showWorkspaceFolderPick: async () => undefined,
      showTextDocument: async (d: unknown) => (rec.shown.push(d), undefined),
    },
  };
  return { vscode, rec };
}
