// Provider keys and runbook secrets inside a real VS Code: the Set and Clear Provider Key commands, the Keys view and
// the provider-key-missing diagnostic that follow them, when the key store reads SecretStorage, and a canary key that
// appears nowhere the extension writes (settings in every scope, global and workspace state, logs).
import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { Redactor } from '../../src/core/redact';
import type { JettyApi } from '../../src/extension';
import { KeyStore, secretScope } from '../../src/vscode/keyStore';
import type { KeyCommandResult, KeyRow } from '../../src/vscode/keys';
import type { TestingApi } from '../../src/vscode/testing';
import { canary, filesUnder } from '../canary';
import { EXTENSION_ID, jettyApi, until } from './helpers';

// Unique per run, shaped like an Anthropic key, so neither a shape warning nor a stale value can explain a result.
const CANARY = canary('SUITE-KEYS');

async function api(): Promise<JettyApi> {
  const exports = await jettyApi();
  await exports.testing!.keys.ready();
  return exports;
}

function isSet(exports: JettyApi, name: string): boolean | undefined {
  return exports.keys.status().find((entry) => entry.name === name && entry.kind === 'key')?.set;
}

async function treeRow(exports: JettyApi, name: string): Promise<vscode.TreeItem> {
  return exports.testing!.keys.tree.getTreeItem(await rowOf(exports, name, 'key'));
}

/** The Keys view's row object for a name: what VS Code passes to a command run from the row's inline action. */
async function rowOf(exports: JettyApi, name: string, kind: 'key' | 'secret'): Promise<KeyRow> {
  const row = (await exports.testing!.keys.tree.getChildren())?.find((r) => r.name === name && r.kind === kind);
  assert.ok(row, `the Keys view lists ${name}`);
  return row;
}

function testingOf(exports: JettyApi): TestingApi {
  assert.ok(exports.testing, 'the extension offers its test hooks under test');
  return exports.testing;
}

const keyDiagnostics = (uri: vscode.Uri): vscode.Diagnostic[] =>
  vscode.languages
    .getDiagnostics(uri)
    .filter((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'provider-key-missing');

describe('provider keys', () => {
  let exports: JettyApi;
  let runbook: vscode.TextDocument;

  before(async () => {
    exports = await api();
    // Whatever an earlier suite left behind, this one starts with no provider key set.
    for (const { name } of exports.keys.status().filter((s) => s.kind === 'key' && s.set)) {
      await vscode.commands.executeCommand('jetty.clearProviderKey', { name });
    }
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
    // A click only selects the row: setting (a password prompt) is its inline action.
    assert.equal(row.command, undefined);
    assert.deepEqual(
      exports.keys
        .status()
        .filter((s) => s.kind === 'key')
        .map((s) => s.name),
      [
        'ANTHROPIC_API_KEY',
        'OPENAI_API_KEY',
        'OPENROUTER_API_KEY',
        'AWS_BEARER_TOKEN_BEDROCK',
        'GEMINI_API_KEY',
        'DAYTONA_API_KEY',
      ],
    );
  });

  it('the runbook shows the provider-key-missing information on its model, with a "Set" fix', async () => {
    const [diagnostic] = await until(
      () => keyDiagnostics(runbook.uri).length > 0 && keyDiagnostics(runbook.uri),
      'provider-key-missing on hello.runbook.md',
    );
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Information);
    assert.match(diagnostic!.message, /^ANTHROPIC_API_KEY is not set/);
    assert.equal(runbook.getText(diagnostic!.range), 'claude-sonnet-4-6');
    // Right after a document opens, the workbench may answer before its copy of the text is in place: ask until it has.
    const fix = await until(async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        runbook.uri,
        diagnostic!.range,
      );
      return actions.find((a) => a.command?.command === 'jetty.setProviderKey');
    }, 'a code action that runs jetty.setProviderKey');
    assert.equal(fix.title, 'Set ANTHROPIC_API_KEY…');
    assert.deepEqual(fix.command!.arguments, [{ name: 'ANTHROPIC_API_KEY' }]);
    assert.equal(fix.isPreferred, true);
  });

  it('Set Provider Key with {name, value} stores the key: status, the Keys view and the diagnostic follow', async () => {
    const result = await vscode.commands.executeCommand<KeyCommandResult>('jetty.setProviderKey', {
      name: 'ANTHROPIC_API_KEY',
      value: CANARY,
    });
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
    const result = await vscode.commands.executeCommand<KeyCommandResult>('jetty.setProviderKey', {
      name: 'DAYTONA_API_KEY',
      value: 'not-a-daytona-key-123',
    });
    assert.equal(result.set, true);
    assert.match(result.warning ?? '', /DAYTONA_API_KEY.*dtn_/);
    assert.equal(isSet(exports, 'DAYTONA_API_KEY'), true);
    await vscode.commands.executeCommand('jetty.clearProviderKey', { name: 'DAYTONA_API_KEY' });
    assert.equal(isSet(exports, 'DAYTONA_API_KEY'), false);
  });

  it('a runbook secret is stored in its own namespace and listed apart from the provider keys', async () => {
    const result = await vscode.commands.executeCommand<KeyCommandResult>('jetty.setProviderKey', {
      name: 'GITHUB_TOKEN',
      value: 'ghp_runbook-secret-12345',
    });
    assert.deepEqual(result, { name: 'GITHUB_TOKEN', kind: 'secret', set: true });
    const rows = (await exports.testing!.keys.tree.getChildren()) ?? [];
    assert.ok(rows.some((r) => r.name === 'GITHUB_TOKEN' && r.kind === 'secret'));
    assert.equal(exports.keys.status().find((s) => s.name === 'GITHUB_TOKEN')?.set, true);
    await vscode.commands.executeCommand('jetty.clearProviderKey', { name: 'GITHUB_TOKEN' });
    assert.equal(
      exports.keys.status().some((s) => s.name === 'GITHUB_TOKEN'),
      false,
    );
  });

  it('an error message that would carry a stored key reaches the output channel with *** instead', async () => {
    // An invalid name containing the key: the command fails, and its message goes through the redactor.
    const result = await vscode.commands.executeCommand('jetty.setProviderKey', {
      name: `bad ${CANARY}`,
      value: 'irrelevant-value',
    });
    assert.equal(result, undefined);
    const testing = exports.testing;
    assert.ok(testing, 'the extension offers its test hooks under test');
    // The "Jetty" channel is a log channel: VS Code writes it to a file under the extension's log folder.
    const expected = "Jetty: 'bad ***' is not a key or secret name";
    const logged = await until(async () => {
      return filesUnder(testing.logUri.fsPath).find(({ text }) => text.includes(expected))?.text;
    }, 'the redacted error in the Jetty output channel');
    assert.match(logged, /ANTHROPIC_API_KEY saved in the key store\./);
    assert.ok(!logged.includes(CANARY));
  });

  it('the canary appears in no setting of any scope, in no global or workspace state, and in no log', async () => {
    const properties = Object.keys(
      (
        vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
          contributes: { configuration: { properties: object } };
        }
      ).contributes.configuration.properties,
    );
    const configuration = vscode.workspace.getConfiguration();
    const scopes = properties.map((key) => configuration.inspect(key));
    assert.ok(scopes.length > 10 && scopes.every(Boolean), 'every jetty setting can be inspected');
    assert.ok(!JSON.stringify(scopes).includes(CANARY), 'a jetty setting holds the key');
    const folder = vscode.workspace.workspaceFolders![0]!;
    const workspaceSettings = await readFile(path.join(folder.uri.fsPath, '.vscode', 'settings.json'), 'utf8').catch(
      () => '',
    );
    assert.ok(!workspaceSettings.includes(CANARY), '.vscode/settings.json holds the key');

    const testing = exports.testing;
    assert.ok(testing, 'the extension offers its test hooks under test');
    assert.ok(!JSON.stringify(testing.storedState()).includes(CANARY), 'global or workspace state holds the key');

    // The session's logs: the extension's own, its output channels, the extension host's.
    const session = path.dirname(path.dirname(testing.logUri.fsPath));
    const files = filesUnder(session);
    assert.ok(files.length > 0, `logs are written under ${session}`);
    for (const { file, text } of files)
      assert.ok(!text.includes(CANARY), `${path.relative(session, file)} holds the key`);
  });

  it("clearing from a Keys view row asks first; a script's {name} does not", async () => {
    const testing = testingOf(exports);
    await vscode.commands.executeCommand('jetty.setProviderKey', {
      name: 'OPENROUTER_API_KEY',
      value: 'sk-or-v1-row-test-0123456789',
    });
    const asked = testing.confirmations.asked().length;
    testing.confirmations.answer(false);
    const kept = await vscode.commands.executeCommand<KeyCommandResult | undefined>(
      'jetty.clearProviderKey',
      await rowOf(exports, 'OPENROUTER_API_KEY', 'key'),
    );
    assert.equal(kept, undefined, 'declined: nothing was done');
    assert.deepEqual(testing.confirmations.asked().slice(asked), ['Clear OPENROUTER_API_KEY?']);
    assert.equal(isSet(exports, 'OPENROUTER_API_KEY'), true);

    testing.confirmations.answer(true);
    const cleared = await vscode.commands.executeCommand<KeyCommandResult>(
      'jetty.clearProviderKey',
      await rowOf(exports, 'OPENROUTER_API_KEY', 'key'),
    );
    assert.deepEqual(cleared, { name: 'OPENROUTER_API_KEY', kind: 'key', set: false });
    assert.equal(isSet(exports, 'OPENROUTER_API_KEY'), false);

    await vscode.commands.executeCommand('jetty.setProviderKey', {
      name: 'OPENROUTER_API_KEY',
      value: 'sk-or-v1-row-test-0123456789',
    });
    await vscode.commands.executeCommand('jetty.clearProviderKey', { name: 'OPENROUTER_API_KEY' });
    assert.equal(isSet(exports, 'OPENROUTER_API_KEY'), false);
    assert.equal(testing.confirmations.asked().length, asked + 2, 'a scripted clear asks nothing');
  });

  it('two runbook secrets saved at once are both kept', async () => {
    const results = await Promise.all(
      ['PARALLEL_ONE', 'PARALLEL_TWO'].map((name) =>
        vscode.commands.executeCommand<KeyCommandResult>('jetty.setProviderKey', {
          name,
          value: `value-of-${name}-123`,
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.set),
      [true, true],
    );
    const secrets = () => exports.keys.status().filter((s) => s.kind === 'secret' && s.name.startsWith('PARALLEL_'));
    assert.deepEqual(secrets(), [
      { name: 'PARALLEL_ONE', kind: 'secret', set: true },
      { name: 'PARALLEL_TWO', kind: 'secret', set: true },
    ]);
    await Promise.all(
      ['PARALLEL_ONE', 'PARALLEL_TWO'].map((name) =>
        vscode.commands.executeCommand('jetty.clearProviderKey', { name }),
      ),
    );
    assert.deepEqual(secrets(), []);
  });

  it("the Keys view lists the active runbook's declared secrets, follows edits, and ignores plain markdown", async () => {
    await vscode.commands.executeCommand('jetty.keys.focus');
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const write = async (name: string, text: string) => {
      const uri = vscode.Uri.joinPath(folder, `${Date.now().toString(36)}-${name}`);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    };
    const secretRows = () =>
      exports
        .testing!.keys.tree.getChildren()
        .filter((r) => r.kind === 'secret')
        .map((r) => r.name);

    // Front-matter with `secrets:` but neither agent nor model: not a runbook, so nothing of it is listed.
    await write('notes.md', '---\ntitle: Notes\nsecrets:\n  NOTES_TOKEN: {}\n---\n# Notes\n');
    assert.ok(!secretRows().includes('NOTES_TOKEN'));

    // What VS Code itself fetches for the (visible) view: proof that it repainted, not just what a fresh call returns.
    const tree = exports.testing!.keys.tree;
    const fetched: string[][] = [];
    const getChildren = tree.getChildren;
    tree.getChildren = (element) => {
      const rows = getChildren.call(tree, element);
      if (!element) fetched.push(rows.filter((r) => r.kind === 'secret').map((r) => r.name));
      return rows;
    };
    try {
      const editor = await write(
        'deploy.md',
        '---\nagent: codex\nsecrets:\n  DEPLOY_TOKEN:\n    env: DEPLOY_TOKEN\n---\nDeploy.\n',
      );
      await until(
        () => fetched.some((names) => names.includes('DEPLOY_TOKEN')),
        'the view repainted with DEPLOY_TOKEN',
      );
      assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(5, 0), '  RELEASE_TOKEN: {}\n')));
      await until(
        () => fetched.some((names) => names.includes('RELEASE_TOKEN')),
        'the view repainted with RELEASE_TOKEN after the edit',
      );
    } finally {
      tree.getChildren = getChildren;
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(runbook);
  });

  it('the key store reads SecretStorage only once something needs it, and a change costs no read of every entry', async () => {
    const testing = testingOf(exports);
    const reads: string[] = [];
    const real = testing.secrets;
    const counted: vscode.SecretStorage = {
      get: (key) => {
        reads.push(key);
        return real.get(key);
      },
      store: (key, value) => real.store(key, value),
      delete: (key) => real.delete(key),
      onDidChange: real.onDidChange,
    };
    const store = new KeyStore(counted, new Redactor());
    try {
      // Past every microtask a read started at construction would have run in.
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(reads.length, 0, 'opening the store reads nothing (activation happens for every markdown file)');
      // Lint asking is what starts the first read; the store says when it is done, and lint asks again.
      const read = new Promise((resolve) => store.onDidChange(resolve));
      assert.equal(store.isSet('GEMINI_API_KEY'), undefined, 'not known before the first read');
      await read;
      assert.ok(reads.includes('key:GEMINI_API_KEY') && store.isSet('GEMINI_API_KEY') === false);
      reads.length = 0;

      // A runbook secret of the workspace folder, which is what the Keys view shows.
      const scope = secretScope(vscode.workspace.workspaceFolders![0]!.uri);
      await store.store('STORE_TEST_SECRET', 'store-test-value-123', 'secret', scope);
      assert.equal(store.isSet('STORE_TEST_SECRET', 'secret', scope), true);
      // The extension's own store learns of it through SecretStorage's change event, as another window would.
      await until(
        () => exports.keys.status().some((s) => s.name === 'STORE_TEST_SECRET' && s.set),
        "the extension's store sees the new secret",
      );
      await store.clear('STORE_TEST_SECRET', 'secret', scope);
      await until(
        () => !exports.keys.status().some((s) => s.name === 'STORE_TEST_SECRET'),
        "the extension's store sees it cleared",
      );
      // A change is looked at entry by entry (SecretStorage names the one that changed): no provider key is read again.
      assert.deepEqual(
        [...new Set(reads)].filter((key) => key !== `secret:${scope}/STORE_TEST_SECRET` && key !== 'index:secrets'),
        [],
      );
    } finally {
      store.dispose();
    }
  });

  it('Clear Provider Key with {name} clears it: status, the Keys view and the diagnostic follow', async () => {
    const result = await vscode.commands.executeCommand<KeyCommandResult>('jetty.clearProviderKey', {
      name: 'ANTHROPIC_API_KEY',
    });
    assert.deepEqual(result, { name: 'ANTHROPIC_API_KEY', kind: 'key', set: false });
    assert.equal(isSet(exports, 'ANTHROPIC_API_KEY'), false);
    const row = await treeRow(exports, 'ANTHROPIC_API_KEY');
    assert.equal(row.contextValue, 'key.unset');
    await until(
      () => keyDiagnostics(runbook.uri).length === 1,
      'provider-key-missing to come back once the key is cleared',
    );
  });
});
