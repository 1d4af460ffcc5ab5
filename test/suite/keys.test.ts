// Provider keys inside a real VS Code: "Jetty: Set Provider Key" with arguments stores the key in SecretStorage, the
// Keys view lists it as set, "Jetty: Clear Provider Key" clears it; the provider-key-missing diagnostic follows; and a
// canary key appears nowhere the extension writes (settings in every scope, global and workspace state, logs).
import * as assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { JettyApi } from '../../src/extension';
import type { KeyCommandResult } from '../../src/vscode/keys';
import { EXTENSION_ID, jettyApi, until } from './helpers';

// Unique per run, shaped like an Anthropic key, so neither a shape warning nor a stale value can explain a result.
const CANARY = `sk-ant-api03-CANARY-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

async function api(): Promise<JettyApi> {
  const exports = await jettyApi();
  await exports.keys.ready;
  return exports;
}

function isSet(exports: JettyApi, name: string): boolean | undefined {
  return exports.keys.status().find((entry) => entry.name === name && entry.kind === 'key')?.set;
}

async function treeRow(exports: JettyApi, name: string): Promise<vscode.TreeItem> {
  const rows = await exports.keys.tree.getChildren();
  const row = rows?.find((r) => r.name === name && r.kind === 'key');
  assert.ok(row, `the Keys view lists ${name}`);
  return exports.keys.tree.getTreeItem(row);
}

const keyDiagnostics = (uri: vscode.Uri): vscode.Diagnostic[] =>
  vscode.languages.getDiagnostics(uri).filter((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'provider-key-missing');

/** Every file under a folder, recursively (the VS Code logs of this session). */
async function filesUnder(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

describe('provider keys', () => {
  let exports: JettyApi;
  let runbook: vscode.TextDocument;

  before(async () => {
    exports = await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the workspace (a copy of examples/) is open');
    // claude-code × anthropic: the runbook needs ANTHROPIC_API_KEY.
    runbook = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'hello.runbook.md'));
    await vscode.window.showTextDocument(runbook);
  });

  after(async () => {
    await vscode.commands.executeCommand('jetty.clearProviderKey', { name: 'ANTHROPIC_API_KEY' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('starts with no key set, listed as "not set" in the Keys view with only the set action', async () => {
    assert.equal(isSet(exports, 'ANTHROPIC_API_KEY'), false);
    const row = await treeRow(exports, 'ANTHROPIC_API_KEY');
    assert.equal(row.description, 'not set');
    assert.equal(row.contextValue, 'key.unset');
    assert.deepEqual(
      exports.keys.status().filter((s) => s.kind === 'key').map((s) => s.name),
      ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'OPENROUTER_API_KEY', 'AWS_BEARER_TOKEN_BEDROCK', 'GEMINI_API_KEY', 'DAYTONA_API_KEY'],
    );
  });

  it('the runbook shows the provider-key-missing information on its model, with a "Set" fix', async () => {
    const [diagnostic] = await until(() => keyDiagnostics(runbook.uri).length > 0 && keyDiagnostics(runbook.uri), 'provider-key-missing on hello.runbook.md');
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Information);
    assert.match(diagnostic!.message, /^ANTHROPIC_API_KEY is not set/);
    assert.equal(runbook.getText(diagnostic!.range), 'claude-sonnet-4-6');
    // Right after a document opens, the workbench may answer before its copy of the text is in place: ask until it has.
    const fix = await until(async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', runbook.uri, diagnostic!.range);
      return actions.find((a) => a.command?.command === 'jetty.setProviderKey');
    }, 'a code action that runs jetty.setProviderKey');
    assert.equal(fix.title, 'Set ANTHROPIC_API_KEY…');
    assert.deepEqual(fix.command!.arguments, [{ name: 'ANTHROPIC_API_KEY' }]);
    assert.equal(fix.isPreferred, true);
  });

  it('Set Provider Key with {name, value} stores the key: status, the Keys view and the diagnostic follow', async () => {
    const result = await vscode.commands.executeCommand<KeyCommandResult>('jetty.setProviderKey', { name: 'ANTHROPIC_API_KEY', value: CANARY });
    assert.deepEqual(result, { name: 'ANTHROPIC_API_KEY', kind: 'key', set: true });
    assert.ok(!JSON.stringify(result).includes(CANARY), 'the command never returns the value');
    assert.equal(isSet(exports, 'ANTHROPIC_API_KEY'), true);
    const row = await treeRow(exports, 'ANTHROPIC_API_KEY');
    assert.equal(row.description, 'set');
    assert.equal(row.contextValue, 'key.set');
    assert.ok(!JSON.stringify({ ...row, tooltip: (row.tooltip as vscode.MarkdownString).value }).includes(CANARY));
    await until(() => keyDiagnostics(runbook.uri).length === 0, 'provider-key-missing to go once the key is set');
  });

  it('a wrong-looking key is kept, with the shape warning in the result', async () => {
    const result = await vscode.commands.executeCommand<KeyCommandResult>('jetty.setProviderKey', { name: 'DAYTONA_API_KEY', value: 'not-a-daytona-key-123' });
    assert.equal(result.set, true);
    assert.match(result.warning ?? '', /DAYTONA_API_KEY.*dtn_/);
    assert.equal(isSet(exports, 'DAYTONA_API_KEY'), true);
    await vscode.commands.executeCommand('jetty.clearProviderKey', { name: 'DAYTONA_API_KEY' });
    assert.equal(isSet(exports, 'DAYTONA_API_KEY'), false);
  });

  it('a runbook secret is stored in its own namespace and listed apart from the provider keys', async () => {
    const result = await vscode.commands.executeCommand<KeyCommandResult>('jetty.setProviderKey', { name: 'GITHUB_TOKEN', value: 'ghp_runbook-secret-12345' });
    assert.deepEqual(result, { name: 'GITHUB_TOKEN', kind: 'secret', set: true });
    const rows = (await exports.keys.tree.getChildren()) ?? [];
    assert.ok(rows.some((r) => r.name === 'GITHUB_TOKEN' && r.kind === 'secret'));
    assert.equal(exports.keys.status().find((s) => s.name === 'GITHUB_TOKEN')?.set, true);
    await vscode.commands.executeCommand('jetty.clearProviderKey', { name: 'GITHUB_TOKEN' });
    assert.equal(exports.keys.status().some((s) => s.name === 'GITHUB_TOKEN'), false);
  });

  it('an error message that would carry a stored key reaches the output channel with *** instead', async () => {
    // An invalid name containing the key: the command fails, and its message goes through the redactor.
    const result = await vscode.commands.executeCommand('jetty.setProviderKey', { name: `bad ${CANARY}`, value: 'irrelevant-value' });
    assert.equal(result, undefined);
    const testing = exports.testing;
    assert.ok(testing, 'the extension offers its test hooks under test');
    // The "Jetty" channel is a log channel: VS Code writes it to a file under the extension's log folder.
    const expected = "Jetty: 'bad ***' is not a key or secret name";
    const logged = await until(async () => {
      for (const file of await filesUnder(testing.logUri.fsPath)) {
        const text = await readFile(file, 'utf8');
        if (text.includes(expected)) return text;
      }
      return undefined;
    }, 'the redacted error in the Jetty output channel');
    assert.match(logged, /ANTHROPIC_API_KEY saved in the key store\./);
    assert.ok(!logged.includes(CANARY));
  });

  it('the canary appears in no setting of any scope, in no global or workspace state, and in no log', async () => {
    const properties = Object.keys(
      (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { configuration: { properties: object } } }).contributes.configuration.properties,
    );
    const configuration = vscode.workspace.getConfiguration();
    const scopes = properties.map((key) => configuration.inspect(key));
    assert.ok(scopes.length > 10 && scopes.every(Boolean), 'every jetty setting can be inspected');
    assert.ok(!JSON.stringify(scopes).includes(CANARY), 'a jetty setting holds the key');
    assert.ok(!JSON.stringify(configuration).includes(CANARY), 'a setting holds the key');
    const folder = vscode.workspace.workspaceFolders![0]!;
    const workspaceSettings = await readFile(path.join(folder.uri.fsPath, '.vscode', 'settings.json'), 'utf8').catch(() => '');
    assert.ok(!workspaceSettings.includes(CANARY), '.vscode/settings.json holds the key');

    const testing = exports.testing;
    assert.ok(testing, 'the extension offers its test hooks under test');
    assert.ok(!JSON.stringify(testing.storedState()).includes(CANARY), 'global or workspace state holds the key');

    // The session's logs: the extension's own, its output channels, the extension host's.
    const session = path.dirname(path.dirname(testing.logUri.fsPath));
    const files = await filesUnder(session);
    assert.ok(files.length > 0, `logs are written under ${session}`);
    for (const file of files) {
      if ((await stat(file)).size > 20_000_000) continue;
      assert.ok(!(await readFile(file, 'utf8')).includes(CANARY), `${path.relative(session, file)} holds the key`);
    }
  });

  it('Clear Provider Key with {name} clears it: status, the Keys view and the diagnostic follow', async () => {
    const result = await vscode.commands.executeCommand<KeyCommandResult>('jetty.clearProviderKey', { name: 'ANTHROPIC_API_KEY' });
    assert.deepEqual(result, { name: 'ANTHROPIC_API_KEY', kind: 'key', set: false });
    assert.equal(isSet(exports, 'ANTHROPIC_API_KEY'), false);
    const row = await treeRow(exports, 'ANTHROPIC_API_KEY');
    assert.equal(row.contextValue, 'key.unset');
    await until(() => keyDiagnostics(runbook.uri).length === 1, 'provider-key-missing to come back once the key is cleared');
  });
});
