// Trajectories inside a real VS Code, read where a user reads them: "Jetty: Open Trajectory Log…" (driven with a file
// URI) on fixtures recorded from the real claude-code and codex CLIs fills the Jetty Trajectories tree (read through
// its data provider, as the view reads it) and the Jetty output channel; a node opens its full content in a read-only
// document. Also live runs, saved runs, and the channel's last lines after the extension lets go of it.
import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { JettyApi } from '../../src/extension';
import type { TrajectoryEvent } from '../../src/core/trajectory/events';
import { OutputWriter } from '../../src/vscode/output';
import { registerPastRuns } from '../../src/vscode/pastRuns';
import { OPENED_LOG_ECHO } from '../../src/vscode/trajectories';
import { PAGE_SIZE, type Run, type TrajectoryNode } from '../../src/vscode/trajectoryTree';
import { EXTENSION_ID, jettyApi, until } from './helpers';

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
  const tree = exports.testing!.trajectories.tree;
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

/** Collects what the output channel is given while `action` runs. */
async function outputOf(exports: JettyApi, action: () => PromiseLike<unknown>): Promise<string> {
  const appended: string[] = [];
  const listener = exports.testing!.trajectories.onDidAppendOutput((text) => appended.push(text));
  try {
    await action();
    await exports.testing!.trajectories.idle();
  } finally {
    listener.dispose();
  }
  return appended.join('\n');
}

async function open(
  exports: JettyApi,
  uri: vscode.Uri,
): Promise<{ run: Run; row: Row; children: Row[]; output: string }> {
  let ids: string[] | undefined;
  const output = await outputOf(exports, async () => {
    ids = await vscode.commands.executeCommand<string[]>('jetty.openTrajectoryLog', uri);
  });
  assert.equal(ids?.length, 1, 'the command resolves to the one run it opened');
  const run = exports.testing!.trajectories.tree.find(ids[0]!);
  assert.ok(run, 'the run is in the tree');
  const roots = await rows(exports, undefined, 0);
  const index = exports.testing!.trajectories.tree.runs.indexOf(run);
  return { run, row: roots[index]!, children: await rows(exports, run, 1), output };
}

/** `count` claude text events, numbered from `from`, each its own model turn. */
function texts(count: number, from = 1): TrajectoryEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: 'text',
    line: from + i,
    text: `message ${from + i}`,
    messageId: `m${from + i}`,
  }));
}

const ids = async (exports: JettyApi, node: TrajectoryNode) =>
  Promise.all(
    ((await exports.testing!.trajectories.tree.getChildren(node)) ?? []).map(
      async (child) => (await exports.testing!.trajectories.tree.getTreeItem(child)).id,
    ),
  );

describe('trajectories', () => {
  let exports: JettyApi;
  const temporary: string[] = [];
  const tempDir = async (prefix: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    temporary.push(dir);
    return dir;
  };

  before(async () => {
    exports = await jettyApi();
    await exports.testing!.keys.ready();
  });
  // Each test makes what it needs; the tree starts without finished runs.
  beforeEach(async () => {
    await vscode.commands.executeCommand('jetty.clearFinishedRuns');
    await exports.testing!.trajectories.idle();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const dir of temporary) await rm(dir, { recursive: true, force: true });
  });

  it('opens a claude-code log: the run, its events in order, its Bash command with outcome and output, and the output channel', async () => {
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
        [
          'started: model claude-sonnet-4-6, 23 tools, session 9416b170-4cbf-40ec-818b-98cf51a9da5e',
          'rocket',
          undefined,
        ],
        [
          'The user wants a greeting from the shell. I will run echo.',
          'lightbulb',
          ['The user wants a greeting from the shell. I will run echo.'],
        ],
        ['I will run a command.', 'comment', undefined],
        ['exec: echo hello from the shell', 'check', ['hello from the shell']],
        ['The shell said: hello from the shell.', 'comment', undefined],
        ['done — 2 turns, 317 ms, tokens in=3600 out=68, cost $0.0108', 'pass', undefined],
      ],
    );
    assert.equal(children[1]!.description, 'thinking');
    for (const line of [
      '▶ tool-call — saved log',
      '[agent] exec: echo hello from the shell',
      '[agent] output (exit 0): hello from the shell',
      '[agent] done — 2 turns, 317 ms, tokens in=3600 out=68, cost $0.0108',
      '■ tool-call: succeeded',
    ]) {
      assert.ok(output.includes(line), `the output channel shows: ${line}\n--- got:\n${output}`);
    }

    // Selecting the command opens its whole content in a read-only document of Jetty's own scheme.
    const commandNode = (await exports.testing!.trajectories.tree.getChildren(run))![3]!;
    await vscode.commands.executeCommand('jetty.trajectory.open', commandNode);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'jetty-trajectory');
    assert.equal(
      editor!.document.getText(),
      'Command: echo hello from the shell\nExit code: 0 (completed)\n\nOutput:\nhello from the shell\n',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens a codex log: commands with exit codes, the warning, usage per turn, summed totals', async () => {
    const { row, children, output } = await open(exports, fixtureUri('codex-0.169.0/shell-command.jsonl'));
    assert.deepEqual(row, {
      label: 'shell-command',
      description: 'codex · 5.0k tokens',
      icon: 'pass',
      context: 'run.opened',
      collapsible: true,
    });
    assert.deepEqual(
      children.map((c) => [c.label, c.icon, c.children?.map((d) => d.label)]),
      [
        ['started: session 01a1ffcb-c3ec-73a0-b099-5bfd11c6ec7f', 'rocket', undefined],
        [
          'warning: Model metadata for `gpt-5.4` not found. Defaulting to fallback metadata; this can degrade performance and cause issues.',
          'warning',
          undefined,
        ],
        [
          'The user wants a greeting from the shell. I will run echo.',
          'lightbulb',
          ['The user wants a greeting from the shell. I will run echo.'],
        ],
        ["exec: /bin/bash -lc 'echo hello from the shell'", 'check', ['hello from the shell']],
        ['The shell said: hello from the shell.', 'comment', undefined],
        ['turn done — tokens in=4900 out=73', 'dashboard', undefined],
        ['done — 1 turn, tokens in=4900 out=73', 'pass', undefined],
      ],
    );
    for (const line of [
      "[agent] exec: /bin/bash -lc 'echo hello from the shell'",
      '[agent] output (exit 0): hello from the shell',
      '[agent] turn done — tokens in=4900 out=73',
    ]) {
      assert.ok(output.includes(line), `the output channel shows: ${line}`);
    }
  });

  it('marks failed runs and failed commands', async () => {
    const failing = await open(exports, fixtureUri('codex-0.169.0/failing-command.jsonl'));
    assert.equal(failing.row.icon, 'pass');
    assert.deepEqual(failing.children.find((c) => c.label.startsWith('exec:'))?.icon, 'close');
    const denied = await open(exports, fixtureUri('claude-code-2.1.330/invalid-key.jsonl'));
    assert.equal(denied.row.icon, 'error');
    assert.deepEqual(
      denied.children.map((c) => c.icon),
      ['rocket', 'error', 'error'],
    );
    assert.ok(denied.output.includes('■ invalid-key: failed — Invalid API key · Fix external API key'));
  });

  it('removes a run, and clears finished runs but not a running one', async () => {
    const { run } = await open(exports, fixtureUri('codex-0.169.0/unknown-model.jsonl'));
    await vscode.commands.executeCommand('jetty.trajectory.removeRun', run);
    await exports.testing!.trajectories.idle();
    assert.ok(!exports.testing!.trajectories.tree.runs.includes(run));
    const other = await open(exports, fixtureUri('codex-0.169.0/file-change.jsonl'));
    const live = exports.testing!.trajectories.startRun({ runbook: 'still-running', agent: 'codex', source: 'live' });
    try {
      await vscode.commands.executeCommand('jetty.clearFinishedRuns');
      await exports.testing!.trajectories.idle();
      const runs = exports.testing!.trajectories.tree.runs;
      assert.ok(!runs.includes(other.run), 'the finished run is cleared');
      const node = exports.testing!.trajectories.tree.find(live.id);
      assert.ok(node, 'the running one stays');
      const item = await exports.testing!.trajectories.tree.getTreeItem(node);
      assert.deepEqual(
        [item.label, (item.iconPath as vscode.ThemeIcon).id, item.contextValue],
        ['still-running', 'loading~spin', 'run.running'],
      );
    } finally {
      live.finish('cancelled');
    }
    await exports.testing!.trajectories.idle();
    const item = await exports.testing!.trajectories.tree.getTreeItem(
      exports.testing!.trajectories.tree.find(live.id)!,
    );
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'circle-slash');
  });

  it('"Open Trajectory Log…" on a file it cannot read: a clear message in the output, redacted, no run, nothing thrown', async () => {
    const canary = `sk-ant-api03-OPEN-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    await vscode.commands.executeCommand('jetty.setProviderKey', { name: 'ANTHROPIC_API_KEY', value: canary });
    try {
      const before = exports.testing!.trajectories.tree.runs.length;
      let opened: string[] | undefined;
      const output = await outputOf(exports, async () => {
        opened = await vscode.commands.executeCommand<string[]>(
          'jetty.openTrajectoryLog',
          vscode.Uri.file(path.join(os.tmpdir(), `no-such-${canary}.jsonl`)),
        );
      });
      assert.deepEqual(opened, [], 'no run opened');
      assert.equal(exports.testing!.trajectories.tree.runs.length, before);
      assert.equal(output, 'Jetty: cannot open no-such-***.jsonl: the file does not exist');
      const folder = await tempDir('jetty-log-folder-');
      assert.equal(
        await outputOf(exports, () =>
          vscode.commands.executeCommand('jetty.openTrajectoryLog', vscode.Uri.file(folder)),
        ),
        `Jetty: ${path.basename(folder)} is a folder, not a trajectory log`,
      );
    } finally {
      await vscode.commands.executeCommand('jetty.clearProviderKey', { name: 'ANTHROPIC_API_KEY' });
    }
  });

  it('keeps unparsed lines, and never shows a stored key from an opened log', async () => {
    const canary = `sk-ant-api03-TRAJ-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    await vscode.commands.executeCommand('jetty.setProviderKey', { name: 'ANTHROPIC_API_KEY', value: canary });
    try {
      const dir = await tempDir('jetty-log-');
      const file = path.join(dir, 'claude-code.txt');
      await writeFile(
        file,
        [
          'Reading additional input from stdin...',
          JSON.stringify({ type: 'system', subtype: 'init', model: 'claude-sonnet-4-6', tools: [] }),
          JSON.stringify({
            type: 'assistant',
            message: {
              id: 'm1',
              content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: `echo ${canary}` } }],
            },
          }),
          JSON.stringify({
            type: 'user',
            message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: canary }] },
          }),
        ].join('\n'),
      );
      const { run, row, children, output } = await open(exports, vscode.Uri.file(file));
      assert.equal(row.label, `${path.basename(dir)}/claude-code.txt`);
      assert.equal(row.icon, 'error', 'a log without its result line is not a success');
      assert.equal(children[0]!.label, '(line 1, not an event) Reading additional input from stdin...');
      assert.equal(children[0]!.icon, 'question');
      const everything =
        JSON.stringify(children) +
        output +
        (await vscode.workspace.openTextDocument(exports.testing!.trajectories.documentUri(run))).getText();
      assert.ok(!everything.includes(canary), 'the key is nowhere in the tree, the output or the document');
      assert.ok(everything.includes('echo ***'));
    } finally {
      await vscode.commands.executeCommand('jetty.clearProviderKey', { name: 'ANTHROPIC_API_KEY' });
    }
  });

  it('echoes at most OPENED_LOG_ECHO events of an opened log to the output channel, and says how many more the tree has', async () => {
    const file = path.join(await tempDir('jetty-big-log-'), 'big-log.jsonl');
    const count = OPENED_LOG_ECHO + 500;
    const lines = [JSON.stringify({ type: 'system', subtype: 'init', model: 'claude-sonnet-4-6', tools: [] })];
    for (let n = 1; n <= count; n++)
      lines.push(
        JSON.stringify({
          type: 'assistant',
          message: { id: `m${n}`, content: [{ type: 'text', text: `message ${n}` }] },
        }),
      );
    lines.push(
      JSON.stringify({
        type: 'result',
        subtype: 'success',
        is_error: false,
        num_turns: count,
        usage: { input_tokens: 1, output_tokens: 1 },
      }),
    );
    await writeFile(file, lines.join('\n') + '\n');
    const { run, output } = await open(exports, vscode.Uri.file(file));
    assert.equal(run.events.length, count + 2, 'the tree has every event');
    const shown = output.split('\n');
    assert.ok(shown.includes(`[agent] message ${OPENED_LOG_ECHO - 1}`), 'the first events are echoed');
    assert.ok(
      !shown.includes(`[agent] message ${OPENED_LOG_ECHO}`),
      'not more than OPENED_LOG_ECHO events (the init is the first)',
    );
    assert.deepEqual(shown.slice(-2), [
      `… ${count + 2 - OPENED_LOG_ECHO} more events of big-log are not shown here: the Jetty Trajectories view has them all`,
      '■ big-log: succeeded',
    ]);
  });

  it("a live run's open document follows the run", async () => {
    const live = exports.testing!.trajectories.startRun({ runbook: 'followed', agent: 'claude-code', source: 'live' });
    try {
      live.append(texts(1));
      await exports.testing!.trajectories.idle();
      await vscode.commands.executeCommand('jetty.trajectory.open', exports.testing!.trajectories.tree.find(live.id));
      const document = vscode.window.activeTextEditor!.document;
      assert.match(document.getText(), /\[agent\] message 1\n/);
      live.append(texts(1, 2));
      await until(() => document.getText().includes('[agent] message 2\n'), 'the open document to show the new event');
      live.finish('succeeded');
      await until(
        () => document.getText().startsWith('# followed — succeeded'),
        'the open document to show how the run ended',
      );
    } finally {
      live.finish('cancelled');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it("a live run's shape only grows: its first PAGE_SIZE entries stay under it, later ones go into pages, and a refresh sends only the page that changed", async () => {
    const tree = exports.testing!.trajectories.tree;
    // An opened log's item has no running clock, so its look changes only when its figures or status do.
    const handle = exports.testing!.trajectories.startRun({ runbook: 'paged', agent: 'claude-code', source: 'file' });
    try {
      const run = tree.find(handle.id)!;
      handle.append(texts(PAGE_SIZE - 100));
      await exports.testing!.trajectories.idle();
      const first = await ids(exports, run);
      assert.equal(first.length, PAGE_SIZE - 100);
      handle.append(texts(300, PAGE_SIZE - 99));
      await exports.testing!.trajectories.idle();
      const grown = await ids(exports, run);
      assert.deepEqual(grown.slice(0, first.length), first, 'nothing already shown moved');
      assert.deepEqual(grown.slice(PAGE_SIZE), [`${run.id}/p1`], 'entries past PAGE_SIZE are in a page after them');
      await tree.getTreeItem(run);

      const fired: unknown[] = [];
      const listener = tree.onDidChangeTreeData((e) => fired.push(e));
      try {
        handle.append(texts(10, PAGE_SIZE + 201));
        await exports.testing!.trajectories.idle();
      } finally {
        listener.dispose();
      }
      assert.deepEqual(fired, [[run.pages[0]]], 'only the page that got the entries is refreshed');
      assert.equal((await tree.getChildren(run.pages[0]!))!.length, 210);
    } finally {
      handle.finish('succeeded');
    }
  });

  it('waiting for the tree leaves no listener behind', async () => {
    const tree = exports.testing!.trajectories.tree;
    const subscribe = tree.onDidRefresh;
    let listening = 0;
    Object.defineProperty(tree, 'onDidRefresh', {
      configurable: true,
      value: (listener: (runs: readonly Run[]) => void) => {
        listening++;
        const subscription = subscribe(listener);
        return { dispose: () => (listening--, subscription.dispose()) };
      },
    });
    const live = exports.testing!.trajectories.startRun({ runbook: 'idle', source: 'live' });
    try {
      for (let i = 0; i < 3; i++) {
        live.append(texts(1, i + 1));
        await tree.idle();
      }
      assert.equal(listening, 0);
    } finally {
      Object.defineProperty(tree, 'onDidRefresh', { configurable: true, value: subscribe });
      live.finish('succeeded');
    }
  });

  describe('saved runs', () => {
    const workspace = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const made: string[] = [];

    async function savedRun(id: string, startedAt: Date, status: string, lines: string[]): Promise<string> {
      const folder = path.join(workspace(), '.jetty', 'runs', id);
      made.push(folder);
      await mkdir(folder, { recursive: true });
      const record = {
        version: 1,
        id,
        runbook: id,
        agent: 'claude-code',
        agentVersion: '2.1.126',
        model: 'claude-sonnet-4-6',
        provider: 'anthropic',
        sandbox: { kind: 'local' },
        startedAt: startedAt.toISOString(),
        status,
        usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
        turns: 0,
        results: [],
      };
      await writeFile(path.join(folder, 'run.json'), JSON.stringify(record, null, 2));
      await writeFile(path.join(folder, 'trajectory.jsonl'), lines.join('\n') + '\n');
      return folder;
    }
    const textLine = (text: string) =>
      JSON.stringify({ type: 'assistant', message: { id: 'm1', content: [{ type: 'text', text }] } });

    after(async () => {
      for (const folder of made) await rm(folder, { recursive: true, force: true });
    });

    it('come back once each, below newer runs, and a run that never finished says so without calling it failed', async () => {
      const tree = exports.testing!.trajectories.tree;
      const now = Date.now();
      // A run of this window: its folder says "running" (run.json is written as it starts) and it is in the tree.
      const sessionFolder = await savedRun('suite-session-run', new Date(now), 'running', [
        textLine('from this window'),
      ]);
      const session = exports.testing!.trajectories.startRun({
        runbook: 'suite-session-run',
        agent: 'claude-code',
        source: 'live',
        folder: sessionFolder,
        startedAt: now,
      });
      session.append(texts(1));
      session.finish('succeeded');
      // A run an hour older that never wrote its end: the editor or the CLI stopped, or it runs elsewhere.
      const olderFolder = await savedRun('suite-older-run', new Date(now - 3_600_000), 'running', [
        textLine('from before'),
      ]);
      const opened = await open(exports, fixtureUri('codex-0.169.0/unknown-model.jsonl'));

      await exports.testing!.pastRuns.restore();
      await exports.testing!.pastRuns.restore();
      await exports.testing!.trajectories.idle();
      const inFolder = (folder: string) => tree.runs.filter((r) => r.info.folder === folder);
      assert.deepEqual(
        inFolder(sessionFolder).map((r) => r.id),
        [session.id],
        'the run of this window is not added again',
      );
      assert.equal(inFolder(olderFolder).length, 1, 'restoring twice adds a saved run once');
      const older = inFolder(olderFolder)[0]!;
      const order = [opened.run, tree.find(session.id)!, older].map((r) => tree.runs.indexOf(r));
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        order,
        'newest first: the opened log, the run of this window, the older saved run',
      );

      const item = await tree.getTreeItem(older);
      assert.deepEqual(
        [(item.iconPath as vscode.ThemeIcon).id, item.contextValue],
        ['debug-disconnect', 'run.opened.saved'],
      );
      assert.match(
        older.error!,
        /^This run did not finish here \(it may still be running in another window or terminal\)\./,
      );
      const tooltip = (await tree.resolveTreeItem(item, older)).tooltip as vscode.MarkdownString;
      assert.match(tooltip.value, /— did not finish here/);
      assert.doesNotMatch(tooltip.value, /failed/);
    });

    it('are read once the key store is ready, so a stored key in a saved line is hidden', async () => {
      const canary = `sk-ant-api03-SAVED-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
      const folder = await savedRun('suite-keyed-run', new Date(), 'succeeded', [textLine(`my key is ${canary}`)]);
      // Stands for the key store: until it is read, the redactor does not know the key.
      let known = false;
      const redact = (text: string) => (known ? text.replaceAll(canary, '***') : text);
      const ready = new Promise<void>((resolve) =>
        setTimeout(() => {
          known = true;
          resolve();
        }, 300),
      );
      const context = { subscriptions: [] as vscode.Disposable[] } as unknown as vscode.ExtensionContext;
      try {
        await registerPastRuns(context, exports.testing!.trajectories, redact, () => ready).restore();
        const run = exports.testing!.trajectories.tree.runs.find((r) => r.info.folder === folder);
        assert.ok(run, 'restored');
        const text = JSON.stringify(run.events);
        assert.ok(!text.includes(canary), 'the key is hidden');
        assert.ok(text.includes('my key is ***'));
      } finally {
        for (const d of context.subscriptions) d.dispose();
      }
    });
  });

  it('the output channel takes the lines of runs that end after the extension let go of it, then closes', async () => {
    const name = `Jetty shutdown test ${Date.now()}`;
    const channel = vscode.window.createOutputChannel(name, { log: true });
    // VS Code sets a channel up asynchronously; closing it before that is done is a case of its own.
    channel.info('set up');
    const logFile = vscode.Uri.joinPath(exports.testing!.logUri, `${name}.log`);
    await until(
      () =>
        vscode.workspace.fs.stat(logFile).then(
          () => true,
          () => false,
        ),
      "the channel's log file",
    );
    const output = new OutputWriter(channel);
    const appended: string[] = [];
    output.onDidAppend((text) => appended.push(text));
    output.runStarted('going');
    output.write('info', '[agent] still working');
    // VS Code disposes the subscriptions right after deactivate(), which is still cancelling runs.
    output.dispose();
    assert.deepEqual(appended, ['▶ going\n[agent] still working'], 'what was buffered is written at once');
    output.runFinished('going', 'cancelled');
    assert.deepEqual(appended.slice(1), ['■ going: cancelled'], "the run's last line still reaches the channel");
    assert.throws(() => channel.info('more'), /Channel has been closed/, 'the channel is closed once no run is left');
    output.write('info', 'after closing');
    output.flush();
  });

  it('the output channel takes a whole run in pieces: drained() waits for them, never one append of everything', async () => {
    const channel = vscode.window.createOutputChannel(`Jetty drain test ${Date.now()}`, { log: true });
    const output = new OutputWriter(channel);
    const appended: string[] = [];
    output.onDidAppend((text) => appended.push(text));
    output.runStarted('long');
    for (let i = 1; i <= 12_000; i++) output.write('info', `[agent] line ${i}`);
    await output.drained();
    const lines = appended.flatMap((text) => text.split('\n'));
    assert.equal(lines.length, 12_001, 'every line reached the channel once drained() resolved');
    assert.deepEqual([lines[0], lines.at(-1)], ['▶ long', '[agent] line 12000'], 'in order');
    assert.ok(appended.length >= 3, `in pieces, not one append (${appended.length})`);
    assert.ok(Math.max(...appended.map((t) => t.split('\n').length)) <= 5000, 'none over 5,000 lines');
    await output.drained(); // nothing buffered: at once
    output.runFinished('long', 'succeeded');
    output.dispose();
  });
});
