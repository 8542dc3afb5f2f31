// The extension's contributions exercised through VS Code's own API, inside a real extension host:
// activation, commands, problems, quick fixes, hover, outline and completion on *.nn.yaml files.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import layers from '../../../src/analysis/layers.json';
import cases from './cases.json';
import {
  completionLabel,
  EXTENSION_ID,
  hoverText,
  layerwiseProblems,
  openNewModel,
  openWorkspaceModel,
  readWorkspaceFile,
  waitFor,
  workspaceDir,
} from './helpers';

describe('Layerwise in a real VS Code', () => {
  it('activates when a *.nn.yaml file is opened, which gets the layerwise-model language', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
    const editor = await openWorkspaceModel('digits-cnn.nn.yaml');
    assert.strictEqual(editor.document.languageId, 'layerwise-model');
    await waitFor('the extension to activate', () => (extension.isActive ? true : undefined));
  });

  it('registers every command its manifest contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed = (extension.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    for (const id of ['layerwise.newModelFromTemplate', 'layerwise.checkModel', 'layerwise.openGraphEditor', 'layerwise.train', 'layerwise.stopTraining', 'layerwise.explain']) {
      assert.ok(contributed.includes(id), `the manifest does not contribute ${id}`);
    }
    const commands = await vscode.commands.getCommands(true);
    for (const id of contributed) assert.ok(commands.includes(id), `command ${id} is contributed but not registered`);
  });

  it('opens a model in the "Layerwise Graph" custom editor', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const editors = extension.packageJSON.contributes.customEditors as { viewType: string; displayName: string }[];
    const graph = editors.find((e) => e.viewType === 'layerwise.graphEditor');
    assert.ok(graph, 'the manifest has no layerwise.graphEditor custom editor');
    assert.strictEqual(graph.displayName, 'Layerwise Graph');
    const editor = await openWorkspaceModel('digits-mlp.nn.yaml');
    await vscode.commands.executeCommand('vscode.openWith', editor.document.uri, 'layerwise.graphEditor', vscode.ViewColumn.Beside);
    const tab = await waitFor('the graph editor tab', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'layerwise.graphEditor' && t.input.uri.toString() === editor.document.uri.toString()),
    );
    assert.ok(tab);
    await vscode.window.tabGroups.close(tab);
  });

  for (const c of cases.brokenModels) {
    it(`publishes the exact problem for a broken model: ${c.name}`, async () => {
      const base = readWorkspaceFile(c.base);
      assert.ok(base.includes(c.replace), `${c.base} no longer contains ${JSON.stringify(c.replace)}`);
      const name = `broken-${c.expect.code}.nn.yaml`;
      const editor = await openNewModel(name, base.replace(c.replace, c.with));
      const problems = await waitFor(`problems for ${name}`, () => {
        const p = layerwiseProblems(editor.document.uri);
        return p.length > 0 ? p : undefined;
      });
      assert.deepStrictEqual(
        problems.map((d) => ({
          line: d.range.start.line + 1,
          character: d.range.start.character + 1,
          severity: vscode.DiagnosticSeverity[d.severity],
          code: d.code,
          message: d.message,
        })),
        [c.expect],
      );
      if (!c.quickFix) return;

      // The fix is offered where the problem is, and applying it clears the problem.
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        editor.document.uri,
        problems[0].range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.title === c.quickFix);
      assert.ok(fix, `no quick fix "${c.quickFix}"; offered: ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.ok(fix.edit, 'the quick fix carries no edit');
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the quick fix edit was not applied');
      assert.ok(editor.document.getText().includes(c.replace), 'the quick fix did not restore the intended text');
      await waitFor('the problem to clear after the quick fix', () =>
        layerwiseProblems(editor.document.uri).length === 0 ? true : undefined,
      );
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });
  }

  it("hovers on a layer with its input and output shapes", async () => {
    const editor = await openWorkspaceModel(cases.hover.file);
    const offset = editor.document.getText().indexOf(cases.hover.at);
    assert.ok(offset >= 0, `${cases.hover.file} no longer contains ${cases.hover.at}`);
    const position = editor.document.positionAt(offset + 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
    const text = hoverText(hovers);
    for (const part of cases.hover.contains) assert.ok(text.includes(part), `hover lacks ${part}:\n${text}`);
  });

  it('lists the layers with their output shapes in the outline', async () => {
    const editor = await openWorkspaceModel(cases.outline.file);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      editor.document.uri,
    );
    const layerSection = symbols.find((s) => s.name === 'layers');
    assert.ok(layerSection, `no "layers" symbol; got ${JSON.stringify(symbols.map((s) => s.name))}`);
    const got = layerSection.children.map((s) => s.name);
    assert.strictEqual(got.length, cases.outline.layers.length, `outline layers: ${JSON.stringify(got)}`);
    cases.outline.layers.forEach(([id, shape], i) => {
      assert.ok(got[i].startsWith(`${id} `) && got[i].includes(shape), `layer ${i} is "${got[i]}", expected ${id} with ${shape}`);
      assert.strictEqual(layerSection.children[i].kind, vscode.SymbolKind.Function);
    });
  });

  it('offers every layer kind as a completion after `type: `', async () => {
    const editor = await openNewModel('completion-probe.nn.yaml', cases.completion.text);
    const end = editor.document.positionAt(editor.document.getText().length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      end,
    );
    const labels = new Set(list.items.map(completionLabel));
    const missing = Object.keys(layers).filter((kind) => !labels.has(kind));
    assert.deepStrictEqual(missing, [], `layer kinds missing from completion; offered: ${[...labels].join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('runs "Check Model" on the active model file', async () => {
    await openWorkspaceModel('digits-cnn.nn.yaml');
    await vscode.commands.executeCommand('layerwise.checkModel');
    assert.deepStrictEqual(layerwiseProblems(vscode.window.activeTextEditor!.document.uri), []);
  });

  it('opens *.nn.yaml files in the graph editor when layerwise.graph.openByDefault is on', async () => {
    // A file no editor shows yet, so vscode.open picks the editor afresh rather than revealing a tab.
    const file = vscode.Uri.file(path.join(workspaceDir(), 'open-by-default.nn.yaml'));
    fs.writeFileSync(file.fsPath, readWorkspaceFile('digits-mlp.nn.yaml'));
    const layerwise = () => vscode.workspace.getConfiguration('layerwise');
    const association = () => vscode.workspace.getConfiguration('workbench').inspect<Record<string, string>>('editorAssociations')?.workspaceValue?.['*.nn.yaml'];
    await layerwise().update('graph.openByDefault', true, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('the *.nn.yaml editor association', () => (association() === 'layerwise.graphEditor' ? true : undefined));
      await vscode.commands.executeCommand('vscode.open', file);
      const tab = await waitFor('the opened tab', () => {
        const active = vscode.window.tabGroups.activeTabGroup.activeTab;
        return active && (active.input as { uri?: vscode.Uri } | undefined)?.uri?.toString() === file.toString() ? active : undefined;
      });
      assert.ok(tab.input instanceof vscode.TabInputCustom, `the file opened in ${tab.input?.constructor?.name ?? 'an unknown editor'}, not a custom editor`);
      assert.strictEqual(tab.input.viewType, 'layerwise.graphEditor');
      await vscode.window.tabGroups.close(tab);
    } finally {
      await layerwise().update('graph.openByDefault', undefined, vscode.ConfigurationTarget.Workspace);
    }
    // Turning it off takes our association away again.
    await waitFor('the association to be removed', () => (association() === undefined ? true : undefined));
    await vscode.commands.executeCommand('vscode.open', file);
    const text = await waitFor('the text editor of the file', () => (vscode.window.activeTextEditor?.document.uri.toString() === file.toString() ? vscode.window.activeTextEditor : undefined));
    assert.strictEqual(text.document.languageId, 'layerwise-model');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
