// Trajectories inside a real VS Code: "Jetty: Open Trajectory Log…" (driven with a file URI) on fixtures recorded from
// the real claude-code and codex CLIs fills the Jetty Trajectories tree (read through its data provider, as the view
// reads it) and the Jetty output channel; a node opens its full content in a read-only document; runs can be removed
// and cleared; an unreadable file gives a clear message and no run; a stored key never shows in an opened log.
import * as assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { JettyApi } from '../../src/extension';
import type { TrajectoryNode } from '../../src/vscode/trajectoryTree';

const EXTENSION_ID = 'jetty.jetty-runbooks';

async function api(): Promise<JettyApi> {
  const extension = vscode.extensions.getExtension<JettyApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

function fixtureUri(name: string): vscode.Uri {
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  return vscode.Uri.joinPath(extension.extensionUri, 'test', 'fixtures', 'trajectories', name);
}

interface Row {
  label: string;
  description?: string;
  icon?: string;
  context?: string;
  collapsible: boolean;
  children?: Row[];
}

async function rows(exports: JettyApi, node: TrajectoryNode | undefined, depth: number): Promise<Row[]> {
  const tree = exports.trajectories.tree;
  const out: Row[] = [];
  for (const child of (await tree.getChildren(node)) ?? []) {
    const item = await tree.getTreeItem(child);
    const row: Row = {
      label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
      icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
      context: item.contextValue,
      collapsible: item.collapsibleState !== vscode.TreeItemCollapsibleState.None,
    };
    if (typeof item.description === 'string') row.description = item.description;
    if (depth > 0 && row.collapsible) row.children = await rows(exports, child, depth - 1);
    out.push(row);
  }
  return out;
}

async function open(exports: JettyApi, uri: vscode.Uri): Promise<{ run: TrajectoryNode; row: Row; children: Row[]; output: string }> {
  const appended: string[] = [];
  const listener = exports.trajectories.onDidAppendOutput((text) => appended.push(text));
  try {
    const id = await vscode.commands.executeCommand<string>('jetty.openTrajectoryLog', uri);
    assert.equal(typeof id, 'string', 'the command returns the new run id');
    await exports.trajectories.idle();
    const run = exports.trajectories.tree.runs.find((r) => r.id === id);
    assert.ok(run, 'the run is in the tree');
    const roots = await rows(exports, undefined, 0);
    const index = exports.trajectories.tree.runs.indexOf(run);
    return { run, row: roots[index]!, children: await rows(exports, run, 1), output: appended.join('\n') };
  } finally {
    listener.dispose();
  }
}

describe('trajectories', () => {
  it('opens a claude-code log: the run, its events in order, tool call with outcome and output, and the output channel', async () => {
    const exports = await api();
    const { run, row, children, output } = await open(exports, fixtureUri('claude-code-2.1.126/tool-call.jsonl'));
    assert.deepEqual(row, {
      label: 'tool-call',
      description: 'claude-code · claude-sonnet-4-6 · 317 ms · 3.7k tokens · $0.0108',
      icon: 'pass',
      context: 'run.opened',
      collapsible: true,
    });
    assert.deepEqual(
      children.map((c) => [c.label, c.icon, c.children?.map((d) => d.label)]),
      [
        ['started: model claude-sonnet-4-6, 23 tools, session 9416b170-4cbf-40ec-818b-98cf51a9da5e', 'rocket', undefined],
        ['The user wants a greeting from the shell. I will run echo.', 'lightbulb', ['The user wants a greeting from the shell. I will run echo.']],
        ['I will run a command.', 'comment', undefined],
        ['Bash: echo hello from the shell', 'check', ['hello from the shell']],
        ['The shell said: hello from the shell.', 'comment', undefined],
        ['done — 2 turns, 317 ms, tokens in=3600 out=68, cost $0.0108', 'pass', undefined],
      ],
    );
    assert.equal(children[1]!.description, 'thinking');
    for (const line of [
      '▶ tool-call — saved log',
      '[agent] tool Bash: echo hello from the shell',
      '[agent] tool result (Bash): hello from the shell',
      '[agent] done — 2 turns, 317 ms, tokens in=3600 out=68, cost $0.0108',
      '■ tool-call: succeeded',
    ]) {
      assert.ok(output.includes(line), `the output channel shows: ${line}\n--- got:\n${output}`);
    }

    // Selecting the tool call opens its whole content in a read-only document of Jetty's own scheme.
    const toolNode = (await exports.trajectories.tree.getChildren(run))![3]!;
    await vscode.commands.executeCommand('jetty.trajectory.open', toolNode);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'jetty-trajectory');
    const text = editor!.document.getText();
    assert.match(text, /^Tool: Bash\nCall id: toolu_mock_01\n\nInput:\n\{\n {2}"command": "echo hello from the shell",/);
    assert.match(text, /Result:\nhello from the shell\n$/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens a codex log: commands with exit codes, the warning, usage per turn, summed totals', async () => {
    const exports = await api();
    const { row, children, output } = await open(exports, fixtureUri('codex-0.169.0/shell-command.jsonl'));
    assert.deepEqual(row, { label: 'shell-command', description: 'codex · 5.0k tokens', icon: 'pass', context: 'run.opened', collapsible: true });
    assert.deepEqual(
      children.map((c) => [c.label, c.icon, c.children?.map((d) => d.label)]),
      [
        ['started: session 01a1ffcb-c3ec-73a0-b099-5bfd11c6ec7f', 'rocket', undefined],
        ['warning: Model metadata for `gpt-5.4` not found. Defaulting to fallback metadata; this can degrade performance and cause issues.', 'warning', undefined],
        ['The user wants a greeting from the shell. I will run echo.', 'lightbulb', ['The user wants a greeting from the shell. I will run echo.']],
        ["exec: /bin/bash -lc 'echo hello from the shell'", 'check', ['hello from the shell']],
        ['The shell said: hello from the shell.', 'comment', undefined],
        ['turn done — tokens in=4900 out=73', 'dashboard', undefined],
        ['done — 1 turn, tokens in=4900 out=73', 'pass', undefined],
      ],
    );
    for (const line of ["[agent] exec: /bin/bash -lc 'echo hello from the shell'", '[agent] output (exit 0): hello from the shell', '[agent] turn done — tokens in=4900 out=73']) {
      assert.ok(output.includes(line), `the output channel shows: ${line}`);
    }
  });

  it('marks failed runs and failed commands', async () => {
    const exports = await api();
    const failing = await open(exports, fixtureUri('codex-0.169.0/failing-command.jsonl'));
    assert.equal(failing.row.icon, 'pass');
    assert.deepEqual(failing.children.find((c) => c.label.startsWith('exec:'))?.icon, 'close');
    const denied = await open(exports, fixtureUri('claude-code-2.1.330/invalid-key.jsonl'));
    assert.equal(denied.row.icon, 'error');
    assert.deepEqual(denied.children.map((c) => c.icon), ['rocket', 'error', 'error']);
    assert.ok(denied.output.includes('■ invalid-key: failed — Invalid API key · Fix external API key'));
  });

  it('removes a run, and clears finished runs', async () => {
    const exports = await api();
    const { run } = await open(exports, fixtureUri('codex-0.169.0/unknown-model.jsonl'));
    await vscode.commands.executeCommand('jetty.trajectory.removeRun', run);
    await exports.trajectories.idle();
    assert.ok(!exports.trajectories.tree.runs.includes(run as never));
    const live = exports.trajectories.startRun({ runbook: 'still-running', agent: 'codex', source: 'live' });
    await vscode.commands.executeCommand('jetty.clearFinishedRuns');
    await exports.trajectories.idle();
    const left = await rows(exports, undefined, 0);
    assert.deepEqual(left.map((r) => [r.label, r.icon, r.context]), [['still-running', 'loading~spin', 'run.running']]);
    live.finish('cancelled');
    await exports.trajectories.idle();
    assert.equal((await rows(exports, undefined, 0))[0]!.icon, 'circle-slash');
    await vscode.commands.executeCommand('jetty.clearFinishedRuns');
  });

  it('says clearly when a file cannot be read, and adds no run', async () => {
    const exports = await api();
    const before = exports.trajectories.tree.runs.length;
    await assert.rejects(exports.trajectories.openLog(fixtureUri('codex-0.169.0/no-such-log.jsonl')), /^Error: cannot open no-such-log\.jsonl: the file does not exist$/);
    assert.equal(exports.trajectories.tree.runs.length, before);
  });

  it('keeps unparsed lines, and never shows a stored key from an opened log', async () => {
    const exports = await api();
    const canary = `sk-ant-api03-TRAJ-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    await vscode.commands.executeCommand('jetty.setProviderKey', { name: 'ANTHROPIC_API_KEY', value: canary });
    try {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-log-'));
      const file = path.join(dir, 'claude-code.txt');
      await writeFile(
        file,
        [
          'Reading additional input from stdin...',
          JSON.stringify({ type: 'system', subtype: 'init', model: 'claude-sonnet-4-6', tools: [] }),
          JSON.stringify({ type: 'assistant', message: { id: 'm1', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: `echo ${canary}` } }] } }),
          JSON.stringify({ type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: canary }] } }),
        ].join('\n'),
      );
      const { run, row, children, output } = await open(exports, vscode.Uri.file(file));
      assert.equal(row.label, `${path.basename(dir)}/claude-code.txt`);
      assert.equal(row.icon, 'error', 'a log without its result line is not a success');
      assert.equal(children[0]!.label, '(line 1, not an event) Reading additional input from stdin...');
      assert.equal(children[0]!.icon, 'question');
      const everything = JSON.stringify(children) + output + (await vscode.workspace.openTextDocument(exports.trajectories.tree.uri(run))).getText();
      assert.ok(!everything.includes(canary), 'the key is nowhere in the tree, the output or the document');
      assert.ok(everything.includes('echo ***'));
    } finally {
      await vscode.commands.executeCommand('jetty.clearProviderKey', { name: 'ANTHROPIC_API_KEY' });
      await vscode.commands.executeCommand('jetty.clearFinishedRuns');
    }
  });
});
