// The run view and the comparison in the real workbench, read the way a user sees them: the harness's Chromium
// reaches into the webviews' frames (test/host/bridge.ts) and reads the rendered pages of runs saved in the workspace
// (their trajectories recorded from the real CLIs), and saves a screenshot of each into test-artifacts/.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { JettyApi } from '../../src/extension';
import { validationReport, writeSavedRun } from '../fakes/run-folder';
import { harness } from './harness';
import { EXTENSION_ID, jettyApi, until } from './helpers';

const SUMMARY =
  '# Summary\n\nThe notes were summarised into **report.md**; one check failed: `notes.txt` was missing.\n';
const REPORT_MD =
  '# Report\n\n| Section | Status |\n| --- | --- |\n| Inputs | read |\n| Summary | written |\n\n- [x] report.md written\n- [ ] notes.txt found\n';

describe('run view and comparison', function () {
  this.timeout(120_000);
  let exports: JettyApi;
  let runsRoot: string;
  let claude: string;
  let codex: string;
  let codexHello: string;

  before(async () => {
    exports = await jettyApi();
    await exports.testing!.keys.ready;
    runsRoot = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, '.jetty', 'runs');
    const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    claude = writeSavedRun(
      runsRoot,
      {
        id: 'report-20261201-101500',
        fixture: 'claude-code-2.1.126/failing-tool.jsonl',
        record: {
          provider: 'anthropic',
          requestedProvider: 'openrouter',
          requestedModel: 'anthropic/claude-sonnet-4.6',
          providerNote: 'OpenRouter has no key here: running on Anthropic as claude-sonnet-4-6, as Jetty does.',
          inputFiles: ['notes.txt'],
          parameters: { operation: 'summarise' },
          eval: { overall_passed: false, pass: 2, partial: 0, fail: 1 },
          primary_files: ['report.md'],
        },
        results: {
          'report.md': REPORT_MD,
          'summary.md': SUMMARY,
          'validation_report.json': validationReport([
            { name: 'inputs_read', passed: true, message: 'notes.txt looked for in /app/assets' },
            { name: 'report_written', passed: true, message: 'report.md has 2 sections' },
            { name: 'source_found', passed: false, message: 'notes.txt does not exist' },
          ]),
        },
      },
      root,
    );
    codex = writeSavedRun(
      runsRoot,
      {
        id: 'report-20261201-101700',
        fixture: 'codex-0.169.0/failing-command.jsonl',
        record: { startedAt: '2026-12-01T10:17:00.000Z', finishedAt: '2026-12-01T10:17:41.000Z' },
        results: {
          'report.md': REPORT_MD.replace('written', 'drafted'),
          'validation_report.json': validationReport([
            { name: 'inputs_read', passed: true, message: 'notes.txt looked for' },
            { name: 'report_written', passed: true, message: 'report.md drafted' },
            { name: 'source_found', passed: true, message: 'a note was found in the prompt' },
          ]),
        },
      },
      root,
    );
    codexHello = writeSavedRun(
      runsRoot,
      {
        id: 'report-20261201-101900',
        fixture: 'codex-0.169.0/shell-command.jsonl',
        record: { startedAt: '2026-12-01T10:19:00.000Z', finishedAt: '2026-12-01T10:19:30.000Z' },
        results: { 'report.md': REPORT_MD },
      },
      root,
    );
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const folder of [claude, codex, codexHello]) if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('"Open Run" on a saved run shows its header, evaluation, commands with exit codes, stages and main output', async () => {
    // Its screenshot shows the page alone: no toast of an earlier suite over it.
    await vscode.commands.executeCommand('notifications.clearAll');
    const id = await vscode.commands.executeCommand<string>('jetty.openRun', claude);
    assert.ok(id, 'a run view opened');
    const page = await harness.webview({
      view: 'runView',
      title: 'report',
      waitFor: { selector: '.preview h3', text: 'summary.md' },
      read: {
        title: '#title h1',
        status: '#status',
        evaluation: '#evaluation',
        facts: '#facts .fact',
        note: '#provider-note',
        figures: '#figures .figure',
        commands: '.row.kind-command .label',
        exits: '.row.kind-command .exit',
        stages: '.stages tbody td',
        files: '.files a',
        main: '.preview h3',
        markdown: '.markdown td',
      },
      screenshot: 'run-view',
    });
    const t = page.texts;
    assert.deepEqual(t.title, ['report']);
    assert.deepEqual(t.status, ['succeeded']);
    assert.deepEqual(t.evaluation, ['Evaluation failed · 2 pass · 0 partial · 1 fail']);
    assert.deepEqual(t.facts, [
      'Agent claude-code 2.1.126',
      'Model claude-sonnet-4-6 (the runbook asked for anthropic/claude-sonnet-4.6)',
      'Provider anthropic (the runbook asked for openrouter)',
      'Sandbox daytona · python312-uv',
      'Started 2026-12-01T10:15:00Z',
      'Parameters operation=summarise',
      'Input files notes.txt',
    ]);
    assert.deepEqual(t.note, ['OpenRouter has no key here: running on Anthropic as claude-sonnet-4-6, as Jetty does.']);
    assert.deepEqual(t.figures, [
      '1 min 5 sDuration',
      '3Turns',
      '5,700Tokens in',
      '67Tokens out',
      '1,000Cache read',
      '500Cache write',
      '$0.0158Cost',
      '1Commands',
      '1Failed commands',
    ]);
    assert.deepEqual(t.commands, ['cat notes.txt']);
    assert.deepEqual(t.exits, ['exit 1']);
    assert.deepEqual(t.stages, [
      ...['inputs_read', 'pass', 'notes.txt looked for in /app/assets'],
      ...['report_written', 'pass', 'report.md has 2 sections'],
      ...['source_found', 'fail', 'notes.txt does not exist'],
    ]);
    assert.deepEqual(t.files, ['report.mdmain output', 'summary.md', 'validation_report.json']);
    assert.deepEqual(t.main, ['report.md', 'summary.md']);
    assert.deepEqual(t.markdown, ['Inputs', 'read', 'Summary', 'written'], 'the main output is rendered markdown');
    assert.ok(page.screenshot && fs.statSync(page.screenshot).size > 10_000, 'a screenshot was saved');
  });

  it('"Compare Runs" shows a column per run, the best figures marked, the commands aligned with their exit codes, the files', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const ids = await vscode.commands.executeCommand<string[]>('jetty.compareRuns', [claude, codex, codexHello]);
    assert.equal(ids?.length, 3);
    const page = await harness.webview({
      view: 'comparison',
      waitFor: { selector: '#file-table' },
      read: {
        heading: 'h1',
        runs: '#figure-table thead th.run',
        rows: '#figure-table tbody th',
        best: '#figure-table tbody td.best',
        duration: '#figure-table tr[data-row="duration"] td',
        evaluation: '#figure-table tr[data-row="evaluation"] td',
        commands: '#command-table tbody tr',
        files: '#file-table tbody tr',
      },
      screenshot: 'comparison',
    });
    const t = page.texts;
    assert.deepEqual(t.heading, ['Comparing 3 runs']);
    assert.deepEqual(t.runs, [
      'reportclaude-code · claude-sonnet-4-6anthropic · succeeded',
      'reportcodex · gpt-5.4openai · succeeded',
      'reportcodex · gpt-5.4openai · succeeded',
    ]);
    assert.deepEqual(t.duration, ['1 min 5 s', '41.0 s', '30.0 s']);
    assert.deepEqual(t.evaluation, [
      'failed · 2 pass · 0 partial · 1 fail',
      'passed · 3 pass · 0 partial · 0 fail',
      '–',
    ]);
    assert.ok(t.best!.includes('30.0 s'), `the shortest run is marked best: ${t.best}`);
    assert.ok(t.best!.includes('passed · 3 pass · 0 partial · 0 fail'));
    // claude's `cat notes.txt` and codex's `/bin/bash -lc 'cat notes.txt'` are one command on one row.
    assert.deepEqual(t.commands, ['cat notes.txtexit 1exit 1—', 'echo hello from the shell——exit 0']);
    assert.deepEqual(t.files, ['report.md open diff diff', 'summary.md open——', 'validation_report.json open diff—']);
  });

  it("keeps its search and unfolded rows while hidden, and shows a command's whole output when unfolded", async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('jetty.openRun', claude);
    const first = await harness.webview({
      view: 'runView',
      title: 'report',
      waitFor: { selector: '.row.kind-command' },
      click: '.row.kind-command',
      fill: { selector: '#search', text: 'notes' },
    });
    assert.deepEqual(first.texts, {});
    const unfolded = await harness.webview({
      view: 'runView',
      title: 'report',
      waitFor: { selector: '#count', text: '3 of 5' },
      read: { detail: '.detail', count: '#count' },
    });
    assert.match(
      unfolded.texts.detail![0]!,
      /^Command: cat notes\.txt\nExit code: 1\n\nOutput:\nExit code 1\ncat: notes\.txt: No such file or directory/,
    );
    assert.deepEqual(unfolded.texts.count, ['3 of 5']);

    // Another editor in the same group hides the panel; VS Code then drops its page.
    const other = await vscode.workspace.openTextDocument({ content: 'elsewhere', language: 'plaintext' });
    await vscode.window.showTextDocument(other, { preview: false });
    await vscode.commands.executeCommand('jetty.openRun', claude);
    const back = await harness.webview({
      view: 'runView',
      title: 'report',
      waitFor: { selector: '.detail', text: 'Exit code: 1' },
      read: { count: '#count', rows: '.row .label' },
      values: { search: '#search' },
    });
    assert.deepEqual(back.values.search, ['notes'], 'the search came back');
    assert.deepEqual(back.texts.count, ['3 of 5']);
    assert.deepEqual(back.texts.rows, [
      'cat notes.txt',
      'Read: /tmp/jetty-record/work/notes.txt',
      'There is no notes.txt in this folder.',
    ]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('after a reload, a run view finds its run again from its folder, and says so when the folder is gone', async () => {
    await vscode.commands.executeCommand('jetty.clearFinishedRuns');
    const panel = vscode.window.createWebviewPanel('jetty.run', 'restored', vscode.ViewColumn.Active, {});
    const view = await exports.testing!.runViews.restore(panel, { folder: codex, scrollTop: 0 });
    assert.ok(view, 'the run was found again');
    assert.ok(
      exports.testing!.trajectories.tree.runs.some((r) => r.info.folder === codex),
      'and put back into the tree',
    );
    const page = await harness.webview({
      view: 'runView',
      title: 'report',
      waitFor: { selector: '.row.kind-command .exit' },
      read: { evaluation: '#evaluation', commands: '.row.kind-command .label', exits: '.row.kind-command .exit' },
    });
    assert.deepEqual(page.texts, {
      evaluation: ['Evaluation passed · 3 pass · 0 partial · 0 fail'],
      commands: ['cat notes.txt'],
      exits: ['exit 1'],
    });
    panel.dispose();

    const gone = vscode.window.createWebviewPanel('jetty.run', 'gone', vscode.ViewColumn.Active, {});
    assert.equal(
      await exports.testing!.runViews.restore(gone, { folder: path.join(runsRoot, 'deleted-run'), title: 'deleted' }),
      undefined,
    );
    const said = await harness.webview({ view: 'gone', read: { text: 'p' } });
    assert.deepEqual(said.texts.text, ['deleted is no longer available: its run folder was removed.']);
    gone.dispose();

    const compared = vscode.window.createWebviewPanel('jetty.compare', 'restored', vscode.ViewColumn.Active, {});
    const comparison = await exports.testing!.comparisons.restore(compared, { folders: [claude, codex] });
    assert.equal(comparison.runs.length, 2);
    const columns = await harness.webview({
      view: 'comparison',
      waitFor: { selector: '#figure-table' },
      read: { runs: '#figure-table thead th.run' },
    });
    assert.equal(columns.texts.runs!.length, 2);
    compared.dispose();
  });

  it('says what it needs: a run that is not there, no run yet, too few runs to compare', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const missing = path.join(runsRoot, 'no-such-run');
    assert.equal(await vscode.commands.executeCommand('jetty.openRun', missing), undefined);
    await vscode.commands.executeCommand('jetty.clearFinishedRuns');
    await exports.testing!.trajectories.idle();
    assert.equal(await vscode.commands.executeCommand('jetty.openRun'), undefined);
    assert.equal(await vscode.commands.executeCommand('jetty.compareRuns'), undefined);
    const shown = await until(async () => {
      const messages = (await harness.notifications()).map((n) => n.message);
      return messages.length >= 3 && messages;
    }, 'three notifications');
    assert.deepEqual(
      [...shown].sort(),
      [
        `Jetty: there is no run ${missing} to open.`,
        'Jetty: comparing needs two or more runs. Run a runbook on several agents or models ("Jetty: Run Runbook on…"), or open past runs.',
        'Jetty: no run to open yet. Run a runbook, or open a trajectory log.',
      ].sort(),
    );

    // One run given: the picker offers the others with it ticked; accepting it alone is too few.
    await vscode.commands.executeCommand('notifications.clearAll');
    const one = await exports.testing!.trajectories.restoreRun({
      folder: claude,
      record: JSON.parse(fs.readFileSync(path.join(claude, 'run.json'), 'utf8')),
    });
    await exports.testing!.trajectories.restoreRun({
      folder: codex,
      record: JSON.parse(fs.readFileSync(path.join(codex, 'run.json'), 'utf8')),
    });
    const compare = vscode.commands.executeCommand('jetty.compareRuns', one);
    await harness.click(
      '.quick-input-widget .monaco-button',
      'OK',
      '.quick-input-list .monaco-list-row[aria-checked="true"]',
    );
    assert.equal(await compare, undefined);
    const picked = await until(
      async () => (await harness.notifications()).map((n) => n.message).find((m) => m.includes('pick')),
      'the notification',
    );
    assert.equal(picked, 'Jetty: pick two or more runs to compare.');
  });
});
