// The foundation inside a real VS Code: the extension stays asleep until a markdown document opens, then activates and
// registers everything its manifest promises (commands, views, settings), and every file the manifest names ships.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, until } from './helpers';

interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    configuration: { properties: Record<string, { default?: unknown }> };
    grammars?: { path: string }[];
  };
  main: string;
  icon: string;
}

function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `${EXTENSION_ID} is not loaded in this VS Code`);
  return found;
}

const manifest = (): Manifest => extension().packageJSON as Manifest;

// A root hook: runs before any test of any file, so it sees the extension as VS Code started it.
let activeAtStartup: boolean | undefined;
before(() => {
  activeAtStartup = extension().isActive;
});

describe('extension', () => {
  it('is not activated eagerly', () => {
    const events = manifest().activationEvents ?? [];
    assert.ok(!events.includes('*'), 'activationEvents must not contain "*"');
    assert.ok(!events.includes('onStartupFinished'), 'activationEvents must not contain "onStartupFinished"');
    assert.equal(activeAtStartup, false, 'the extension was already active before any markdown document was opened');
  });

  it('activates when a runbook from the workspace is opened', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the workspace (a copy of examples/) is open');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'hello.runbook.md'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'markdown');
    await until(() => extension().isActive, 'the extension to activate on a markdown document');
  });

  it('registers every command its manifest contributes', async () => {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest().contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0, 'the manifest contributes commands');
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(
      missing,
      [],
      'contributed commands that no code registers (the palette would say "command not found")',
    );
  });

  it('contributes the Jetty views, which can be focused', async () => {
    const container = manifest().contributes.viewsContainers.activitybar.find((c) => c.id === 'jetty');
    assert.ok(container, 'the jetty activity-bar container is contributed');
    const views = (manifest().contributes.views.jetty ?? []).map((v) => v.id);
    assert.deepEqual(views, ['jetty.trajectories', 'jetty.keys']);
    // `<view>.focus` exists only for a view the workbench registered; it opens the container and reveals the view.
    for (const view of views) await vscode.commands.executeCommand(`${view}.focus`);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  it('registers the jetty.* settings with their manifest defaults', () => {
    const properties = manifest().contributes.configuration.properties;
    const configuration = vscode.workspace.getConfiguration('jetty');
    for (const [key, schema] of Object.entries(properties)) {
      const inspected = configuration.inspect(key.replace(/^jetty\./, ''));
      assert.ok(inspected, `${key} is not a registered setting`);
      assert.deepEqual(inspected.defaultValue, schema.default, `${key} default`);
    }
  });

  it('ships every file its manifest names', async () => {
    const { main, icon, contributes } = manifest();
    const files = [
      main,
      icon,
      ...(contributes.grammars ?? []).map((g) => g.path),
      ...contributes.viewsContainers.activitybar.map((c) => c.icon),
    ];
    for (const file of files) {
      const stat = await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension().extensionUri, file));
      assert.equal(stat.type, vscode.FileType.File, `${file} is a file`);
      assert.ok(stat.size > 0, `${file} is not empty`);
    }
  });
});
