// The manifest's item menus against the trees' real items: each `view/item/context` entry's `when` clause (its view and
// its `viewItem` test) is evaluated on the contextValue of a real item of every kind (a running run, a finished live
// run, an opened log, a saved run, an event and its output; a key that is set and one that is not), so renaming a
// contextValue or editing a regex cannot silently hide or misplace an action.
import * as assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { JettyApi } from '../../src/extension';
import type { TrajectoryNode } from '../../src/vscode/trajectoryTree';
import { EXTENSION_ID, jettyApi } from './helpers';

interface MenuItem {
  command: string;
  when?: string;
}

/** Evaluates the `when` clauses the manifest uses on item menus: `view == x`, `viewItem == x`, `viewItem =~ /re/`, joined by
 * `&&`. Any other term fails the test, so a new kind of clause gets a meaning here before it ships. */
function shows(when: string | undefined, view: string, viewItem: string, multiSelection = false): boolean {
  if (!when) return true;
  return when.split('&&').every((raw) => {
    const term = raw.trim();
    if (term === 'listMultiSelection') return multiSelection;
    let m = /^view == ([\w.]+)$/.exec(term);
    if (m) return m[1] === view;
    m = /^viewItem == ([\w.]+)$/.exec(term);
    if (m) return m[1] === viewItem;
    m = /^viewItem =~ \/(.*)\/$/.exec(term);
    if (m) return new RegExp(m[1]!).test(viewItem);
    assert.fail(`a when clause this test does not know: ${term}`);
  });
}

describe('item menus', () => {
  let exports: JettyApi;
  let menus: MenuItem[];
  let savedFolder: string;

  before(async () => {
    exports = await jettyApi();
    await exports.testing!.keys.ready();
    menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus['view/item/context'];
    savedFolder = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, '.jetty', 'runs', 'menus-saved-run');
  });
  after(async () => {
    await rm(savedFolder, { recursive: true, force: true });
    await vscode.commands.executeCommand('jetty.clearFinishedRuns');
  });

  /** The commands each kind of item offers, read from the manifest with the item's real contextValue. */
  const offered = (view: string, contextValue: string | undefined, multiSelection = false) => [
    ...new Set(menus.filter((m) => shows(m.when, view, contextValue ?? '', multiSelection)).map((m) => m.command)),
  ];

  it('the Jetty Trajectories items offer the actions that fit them', async () => {
    const trajectories = exports.testing!.trajectories;
    const tree = trajectories.tree;
    const contextOf = async (node: TrajectoryNode) => (await tree.getTreeItem(node)).contextValue;

    const running = trajectories.startRun({ runbook: 'menus-running', source: 'live' });
    const finished = trajectories.startRun({
      runbook: 'menus-finished',
      source: 'live',
      folder: path.join(savedFolder, '..', 'menus-finished'),
    });
    finished.append([
      { kind: 'tool-call', line: 1, id: 't1', name: 'Bash', input: { command: 'ls' } },
      { kind: 'tool-result', line: 2, callId: 't1', name: 'Bash', output: 'README.md', isError: false },
    ]);
    finished.finish('succeeded');
    const [openedId] = await vscode.commands.executeCommand<string[]>(
      'jetty.openTrajectoryLog',
      vscode.Uri.joinPath(
        vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri,
        'test',
        'fixtures',
        'trajectories',
        'codex-0.169.0',
        'shell-command.jsonl',
      ),
    );
    await mkdir(savedFolder, { recursive: true });
    const record = {
      version: 1,
      id: 'menus-saved-run',
      runbook: 'menus-saved-run',
      agent: 'codex',
      agentVersion: '0.169.0',
      model: 'gpt-5.4',
      provider: 'openai',
      sandbox: { kind: 'local' },
      startedAt: new Date().toISOString(),
      status: 'failed',
      usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      turns: 0,
      results: [],
    };
    await writeFile(path.join(savedFolder, 'run.json'), JSON.stringify(record));
    await exports.testing!.pastRuns.restore();
    await trajectories.idle();
    try {
      const saved = tree.runs.find((r) => r.info.folder === savedFolder);
      assert.ok(saved, 'the saved run is restored');
      const finishedRun = tree.find(finished.id)!;
      const [call] = (await tree.getChildren(finishedRun))!;
      const [output] = (await tree.getChildren(call))!;
      const items = {
        running: await contextOf(tree.find(running.id)!),
        'finished live run': await contextOf(finishedRun),
        'opened log': await contextOf(tree.find(openedId!)!),
        'saved run': await contextOf(saved),
        event: await contextOf(call!),
        output: await contextOf(output!),
      };
      const view = 'jetty.trajectories';
      const copy = ['jetty.trajectory.copy', 'jetty.trajectory.revealInOutput'];
      const results = ['jetty.openMainOutput', 'jetty.openSummary'];
      assert.deepEqual(
        Object.fromEntries(Object.entries(items).map(([kind, contextValue]) => [kind, offered(view, contextValue)])),
        {
          running: ['jetty.openRun', 'jetty.cancelRun', ...copy],
          'finished live run': [
            'jetty.openRun',
            'jetty.trajectory.removeRun',
            'jetty.trajectory.openRunFolder',
            ...results,
            ...copy,
          ],
          'opened log': ['jetty.openRun', 'jetty.trajectory.removeRun', ...copy],
          'saved run': [
            'jetty.openRun',
            'jetty.trajectory.removeRun',
            'jetty.trajectory.openRunFolder',
            ...results,
            ...copy,
          ],
          event: copy,
          output: copy,
        },
        JSON.stringify(items),
      );
      // With several runs selected, a run's menu also compares them; an event's does not.
      assert.ok(offered(view, items['saved run'], true).includes('jetty.compareRuns'));
      assert.ok(offered(view, items.running, true).includes('jetty.compareRuns'));
      assert.ok(!offered(view, items.event, true).includes('jetty.compareRuns'));
    } finally {
      running.finish('cancelled');
    }
  });

  it('the Keys items offer Set on every key and Clear on a key that is set', async () => {
    const canary = `sk-ant-api03-MENUS-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    await vscode.commands.executeCommand('jetty.clearProviderKey', { name: 'OPENAI_API_KEY' });
    await vscode.commands.executeCommand('jetty.setProviderKey', { name: 'ANTHROPIC_API_KEY', value: canary });
    try {
      const tree = exports.testing!.keys.tree;
      const contextOf = async (name: string) => {
        const row = (await tree.getChildren()).find((r) => r.name === name);
        assert.ok(row, `${name} is listed`);
        return (await tree.getTreeItem(row)).contextValue;
      };
      const set = await contextOf('ANTHROPIC_API_KEY');
      const unset = await contextOf('OPENAI_API_KEY');
      assert.deepEqual(offered('jetty.keys', set), ['jetty.setProviderKey', 'jetty.clearProviderKey'], set);
      assert.deepEqual(offered('jetty.keys', unset), ['jetty.setProviderKey'], unset);
    } finally {
      await vscode.commands.executeCommand('jetty.clearProviderKey', { name: 'ANTHROPIC_API_KEY' });
    }
  });
});
