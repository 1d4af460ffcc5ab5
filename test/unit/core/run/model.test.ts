// The run model the tree, the run view and the comparison share: turns and their tokens from either CLI, a saved run
// loaded from its folder (run.json, the recorded trajectory, the results' report), its evaluation and main output from
// run.json when it has them and from the results folder when it does not, and how long it took.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { durationOf, endOf, loadRun, RunModel, UNFINISHED } from '../../../../src/core/run/model';
import type { RunRecord } from '../../../../src/core/run/runs';
import { readAll, fixture } from '../trajectory/helpers';
import { validationReport, writeSavedRun } from '../../../fakes/run-folder';

const STAGES = [
  { name: 'inputs_read', passed: true, message: 'notes.txt found' },
  { name: 'report_written', passed: false, message: 'report.md is empty' },
];

describe('run model', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'run-model-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const live = (events = readAll(fixture('claude-code-2.1.126/tool-call').bytes).events) => {
    const model = new RunModel('run-1', { runbook: 'hello', agent: 'claude-code', source: 'live', startedAt: 1000 });
    model.append(events);
    return model;
  };

  it('claude-code: a turn per assistant message, with the input its message carried (its output only in the total)', () => {
    assert.deepEqual(live().turns, [
      { turn: 1, input: 1700, cacheRead: 0, cacheWrite: 500 },
      { turn: 2, input: 1900, cacheRead: 500, cacheWrite: 0 },
    ]);
  });

  it('codex: a turn per turn.completed, with its output', () => {
    const model = live(readAll(fixture('codex-0.169.0/shell-command').bytes).events);
    assert.deepEqual(model.turns, [{ turn: 1, input: 4900, cacheRead: 1024, cacheWrite: 0, output: 73 }]);
  });

  it('gemini-cli, opencode, hermes: turns from their usage, commands counted, failed only when they failed', () => {
    const of = (name: string) => live(readAll(fixture(name).bytes).events);
    // gemini-cli gives no exit codes: its `exit 3` reads success.
    assert.deepEqual(of('gemini-cli-0.61.0/failing-command').commands, { run: 1, failed: 0 });
    assert.deepEqual(of('opencode-1.18.33/failing-command').commands, { run: 1, failed: 1 });
    assert.deepEqual(of('hermes-0.19.0/failing-command').commands, { run: 1, failed: 1 });
    assert.deepEqual(of('hermes-0.19.0/shell-command').commands, { run: 1, failed: 0 });
    assert.equal(of('opencode-1.18.33/shell-command').turns.length, 2, 'a turn per step-finish');
  });

  it('append says which entries are new and which got their outcome', () => {
    const model = new RunModel('r', { runbook: 'r', source: 'live', startedAt: 0 });
    assert.deepEqual(model.append([{ kind: 'command-started', line: 1, id: 'c', command: 'ls' }]), {
      from: 0,
      changed: [],
    });
    const change = model.append([
      { kind: 'command-completed', line: 2, id: 'c', command: 'ls', output: '', exitCode: 0, status: 'completed' },
      { kind: 'text', line: 3, text: 'done' },
    ]);
    assert.equal(change.from, 1);
    assert.deepEqual(
      change.changed.map((e) => e.index),
      [0],
    );
    assert.equal(model.events.length, 3);
  });

  it('loads a saved run: its record, events, evaluation and main output from run.json', async () => {
    const folder = writeSavedRun(path.join(root, 'runs'), {
      id: 'report-1',
      fixture: 'claude-code-2.1.126/failing-tool.jsonl',
      record: { eval: { overall_passed: true, pass: 3, partial: 0, fail: 0 }, primary_files: ['report.md'] },
      results: { 'report.md': '# R', 'validation_report.json': validationReport(STAGES) },
    });
    const loaded = await loadRun(folder, { redact: (t) => t.replaceAll('notes', '***') });
    assert.ok(loaded.ok);
    const model = loaded.model;
    assert.equal(model.id, 'report-1');
    assert.equal(model.status, 'succeeded');
    assert.deepEqual(
      model.evaluation,
      { overall_passed: true, pass: 3, partial: 0, fail: 0 },
      "run.json's own eval wins",
    );
    assert.deepEqual(model.primaryFiles, ['report.md']);
    assert.deepEqual(
      model.report?.stages.map((s) => s.outcome),
      ['pass', 'fail'],
      "the report's stages are read all the same",
    );
    assert.ok(JSON.stringify(model.events).includes('cat ***.txt'), 'the trajectory was read through the redactor');
    assert.equal(model.info.folder, folder);
    assert.equal(durationOf(model), 64_500, "the record's clock, start to end");
  });

  it('a run saved before run.json had eval and primary_files: both from the results folder', async () => {
    const folder = writeSavedRun(path.join(root, 'runs'), {
      id: 'older',
      fixture: 'codex-0.169.0/file-change.jsonl',
      results: { 'report.md': '# R', 'summary.md': 'S', 'validation_report.json': validationReport(STAGES) },
    });
    const loaded = await loadRun(folder);
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.model.evaluation, { overall_passed: false, pass: 1, partial: 0, fail: 1 });
    assert.deepEqual(loaded.model.primaryFiles, ['report.md'], "the first file that is not Jetty's own");
  });

  it('a folder without run.json is not a run; a run without a trajectory still is; one still "running" did not finish here', async () => {
    fs.mkdirSync(path.join(root, 'stray'));
    const stray = await loadRun(path.join(root, 'stray'));
    assert.deepEqual(stray, {
      ok: false,
      problem: `${path.join(root, 'stray')} has no readable run.json: it is not a Jetty run folder`,
    });
    const failed = writeSavedRun(path.join(root, 'runs'), {
      id: 'no-agent',
      record: {
        status: 'failed',
        error: { message: 'Daytona rejected the API key.', nextStep: 'Set DAYTONA_API_KEY.' },
      },
    });
    const loaded = await loadRun(failed);
    assert.ok(loaded.ok);
    assert.equal(loaded.model.events.length, 0);
    assert.equal(loaded.model.error, 'Daytona rejected the API key. Set DAYTONA_API_KEY.');
    assert.deepEqual(endOf({ status: 'running' } as RunRecord), { status: 'unfinished', error: UNFINISHED });
  });

  it("how long a run took: the record, else the CLI, else a live run's clock so far", () => {
    const model = live();
    assert.equal(durationOf(model), 317, "claude's own duration_ms");
    const codex = live(readAll(fixture('codex-0.169.0/shell-command').bytes).events);
    assert.equal(durationOf(codex, 6000), 5000, 'codex says none: the live clock');
    codex.finish('succeeded', undefined, 4000);
    assert.equal(durationOf(codex, 9000), 3000, 'stopped when it ended');
    const opened = new RunModel('o', { runbook: 'o', source: 'file', startedAt: 0 });
    opened.append(readAll(fixture('codex-0.169.0/shell-command').bytes).events);
    assert.equal(durationOf(opened), undefined, 'an opened log has no clock to read');
  });
});
