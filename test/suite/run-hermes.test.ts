// The quick fix's result runs, inside a real VS Code: a copy of the bedrock-glm example (zai.glm-5 under claude-code,
// which claude-code's Bedrock client rejects) gets the quick fix "Switch agent to hermes" and is saved; "Jetty: Run
// Runbook" then runs the real hermes CLI in a fake Daytona sandbox against a mock Bedrock (jetty.bedrock.endpointUrl),
// with the Bedrock API key from SecretStorage.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { JettyApi } from '../../src/extension';
import type { RunCommandResult } from '../../src/vscode/runCommand';
import { canary, filesUnder } from '../canary';
import { startBedrockMock, type BedrockMock } from '../fakes/bedrock';
import type { FakeDaytona } from '../fakes/daytona';
import { linkAgentClis, startDaytonaWithClis } from '../fakes/world';
import { EXTENSION_ID, jettyApi, until } from './helpers';

const KEY = canary('SUITE-HERMES');
const COMMAND = 'echo "GLM was here" > /app/results/summary-notes.md && echo summary written';

describe('the cross-family Bedrock quick fix, then a run with hermes', function () {
  this.timeout(180_000);
  let exports: JettyApi;
  let fake: FakeDaytona;
  let model: BedrockMock;
  let bin: string;
  const output: string[] = [];
  let listener: vscode.Disposable;
  let copy: string | undefined;
  const runFolders: string[] = [];
  const jetty = () => vscode.workspace.getConfiguration('jetty');

  before(async () => {
    exports = await jettyApi();
    await exports.testing!.keys.ready();
    const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    bin = linkAgentClis(root, ['hermes']);
    fake = await startDaytonaWithClis(root, bin, { apiKey: 'dtn_suite_hermes_key' });
    model = await startBedrockMock([
      { blocks: [{ type: 'tool_use', name: 'terminal', input: { command: COMMAND } }] },
      { blocks: [{ type: 'text', text: 'Wrote the summary.' }] },
    ]);
    // User settings: where keys go is the user's to say, never a workspace's (a workspace value is ignored).
    await jetty().update('daytona.apiUrl', fake.apiUrl, vscode.ConfigurationTarget.Global);
    await jetty().update('bedrock.endpointUrl', model.url, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('jetty.setProviderKey', { name: 'DAYTONA_API_KEY', value: fake.apiKey });
    await vscode.commands.executeCommand('jetty.setProviderKey', { name: 'AWS_BEARER_TOKEN_BEDROCK', value: KEY });
    listener = exports.testing!.trajectories.onDidAppendOutput((text) => output.push(text));
  });
  after(async () => {
    listener?.dispose();
    for (const name of ['DAYTONA_API_KEY', 'AWS_BEARER_TOKEN_BEDROCK'])
      await vscode.commands.executeCommand('jetty.clearProviderKey', { name });
    for (const key of ['daytona.apiUrl', 'bedrock.endpointUrl'])
      await jetty().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // What it made goes, so the suites after it find the workspace as they expect (no run of its own to list).
    for (const made of [copy, ...runFolders]) if (made) fs.rmSync(made, { recursive: true, force: true });
    await vscode.commands.executeCommand('jetty.clearFinishedRuns');
    await model?.close();
    await fake?.close();
    if (bin) fs.rmSync(bin, { recursive: true, force: true });
  });

  it('zai.glm-5 switched to hermes runs through Bedrock: exec/output shown, the result home, the key nowhere', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const runbook = vscode.Uri.joinPath(folder, 'glm-with-hermes.md');
    copy = runbook.fsPath;
    fs.copyFileSync(vscode.Uri.joinPath(folder, 'bedrock-glm.md').fsPath, copy);
    const document = await vscode.workspace.openTextDocument(runbook);
    await vscode.window.showTextDocument(document);
    const diagnostic = await until(
      () =>
        vscode.languages
          .getDiagnostics(runbook)
          .find((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'model-cross-family-bedrock'),
      'the cross-family Bedrock finding',
    );
    const fix = await until(async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        runbook,
        diagnostic.range,
      );
      return actions.find((a) => a.title === 'Switch agent to hermes');
    }, 'the quick fix "Switch agent to hermes"');
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    assert.ok(await document.save());
    assert.match(fs.readFileSync(copy, 'utf8'), /^agent: hermes$/m);

    output.length = 0;
    const result = await vscode.commands.executeCommand<RunCommandResult>('jetty.runRunbook', runbook);
    if (result.folder) runFolders.push(result.folder);
    assert.equal(result.status, 'succeeded', `${JSON.stringify(result.error)}\n${output.join('\n')}`);
    assert.equal(fs.readFileSync(path.join(result.folder!, 'results', 'summary-notes.md'), 'utf8'), 'GLM was here\n');
    await exports.testing!.trajectories.idle();
    const text = output.join('\n');
    for (const line of [
      '▶ glm-with-hermes (hermes · zai.glm-5)',
      `[agent] exec: ${COMMAND}`,
      '[agent] output (exit 0): summary written',
      '[agent] Wrote the summary.',
      '■ glm-with-hermes: succeeded',
    ])
      assert.ok(text.includes(line), `the output channel shows: ${line}\n--- got:\n${text}`);
    assert.ok(
      model
        .modelRequests()
        .some((r) => r.path === '/model/zai.glm-5/converse-stream' && r.headers.authorization === `Bearer ${KEY}`),
      'hermes sent the key from SecretStorage to Bedrock',
    );
    assert.deepEqual(fake.liveSandboxes(), []);
    const everywhere = [text, ...filesUnder(result.folder!).map((f) => f.text)].join('\n');
    assert.ok(!everywhere.includes(KEY), 'the key is nowhere: output, run folder');
  });
});
