// What the run view shows, from the run model: the header's facts, figures and evaluation; a timeline row per entry
// (commands with their exit codes whichever CLI ran them, errors marked, thinking folded); what unfolding shows; the
// tokens per turn and what the chart lacks; the results in the order they are listed.
import assert from 'node:assert/strict';
import { RunModel } from '../../../../src/core/run/model';
import type { RunRecord } from '../../../../src/core/run/runs';
import {
  detailOf,
  MAX_BARS,
  previewKind,
  resultsView,
  runHeader,
  timelineRow,
  turnChart,
} from '../../../../src/core/view/runPage';
import { fixture, readAll } from '../trajectory/helpers';
import { runRecord } from '../../../fakes/run-folder';

function model(name: string, record?: Partial<RunRecord>): RunModel {
  const m = new RunModel('run-1', {
    runbook: 'report',
    agent: name.startsWith('codex') ? 'codex' : 'claude-code',
    model: name.startsWith('codex') ? 'gpt-5.4' : 'claude-sonnet-4-6',
    source: 'live',
    startedAt: Date.parse('2026-12-01T10:15:00Z'),
  });
  m.append(readAll(fixture(name).bytes).events);
  if (record) m.attach(runRecord('report-1', m.info.agent!, { finishedAt: undefined, ...record }), undefined);
  return m;
}

describe('run page', () => {
  it('the header: what ran where (and what the runbook asked for), its figures, its evaluation', () => {
    const m = model('claude-code-2.1.126/failing-tool', {
      finishedAt: '2026-12-01T10:16:04.500Z',
      requestedProvider: 'openrouter',
      requestedModel: 'anthropic/claude-sonnet-4.6',
      providerNote: 'OpenRouter has no key here: running on Anthropic as claude-sonnet-4-6, as Jetty does.',
      parameters: { operation: 'summarise' },
      unfilled: ['pages'],
      eval: { overall_passed: false, pass: 2, partial: 0, fail: 1 },
    });
    m.finish('succeeded');
    const header = runHeader(m);
    assert.equal(header.status, 'succeeded');
    assert.equal(header.tone, 'pass');
    assert.equal(header.note, 'OpenRouter has no key here: running on Anthropic as claude-sonnet-4-6, as Jetty does.');
    assert.deepEqual(header.facts, [
      { label: 'Agent', text: 'claude-code 2.1.126' },
      { label: 'Model', text: 'claude-sonnet-4-6 (the runbook asked for anthropic/claude-sonnet-4.6)' },
      { label: 'Provider', text: 'anthropic (the runbook asked for openrouter)' },
      { label: 'Sandbox', text: 'daytona · python312-uv' },
      { label: 'Started', text: '2026-12-01T10:15:00Z' },
      { label: 'Parameters', text: 'operation=summarise, pages not given' },
    ]);
    assert.deepEqual(
      header.figures.map((f) => [f.key, f.text, f.value]),
      [
        ['duration', '1 min 5 s', 64_500],
        ['turns', '3', 3],
        ['tokensIn', '5,700', 5700],
        ['tokensOut', '67', 67],
        ['cacheRead', '1,000', 1000],
        ['cacheWrite', '500', 500],
        ['cost', '$0.0158', 0.01578],
        ['commands', '1', 1],
        ['failedCommands', '1', 1],
      ],
    );
    assert.deepEqual(header.evaluation, {
      overall_passed: false,
      pass: 2,
      partial: 0,
      fail: 1,
      text: 'failed · 2 pass · 0 partial · 1 fail',
    });
  });

  it("a run that did not finish, a codex run's missing cost, an unknown figure", () => {
    const m = model('codex-0.169.0/shell-command');
    m.finish('unfinished', 'it stopped');
    const header = runHeader(m);
    assert.equal(header.status, 'did not finish here');
    assert.equal(header.tone, 'other');
    assert.equal(header.error, 'it stopped');
    assert.equal(header.figures.find((f) => f.key === 'cost')?.text, 'not reported');
    assert.equal(header.evaluation, undefined);
  });

  it('timeline rows: commands of both CLIs with exit codes, errors marked, thinking folded, one line each', () => {
    const claude = model('claude-code-2.1.126/failing-tool');
    assert.deepEqual(
      claude.entries.list.map((e) => timelineRow(e)).map((r) => [r.kind, r.icon, r.tone, r.label, r.exit, r.folded]),
      [
        [
          'info',
          'rocket',
          undefined,
          'started: model claude-sonnet-4-6, 23 tools, session d0fd9e5d-2066-4608-9460-3a5b11ec1301',
          undefined,
          true,
        ],
        ['command', 'terminal', 'error', 'cat notes.txt', 'exit 1', true],
        ['tool', 'tools', 'error', 'Read: /tmp/jetty-record/work/notes.txt', undefined, true],
        ['message', 'comment', undefined, 'There is no notes.txt in this folder.', undefined, false],
        ['info', 'pass', 'ok', 'done — 3 turns, 314 ms, tokens in=5700 out=67, cost $0.0158', undefined, true],
      ],
    );
    const codex = model('codex-0.169.0/unknown-model');
    const rows = codex.entries.list.map((e) => timelineRow(e));
    assert.ok(
      rows.some((r) => r.kind === 'problem' && r.tone === 'warning' && r.label.startsWith('warning: Model metadata')),
    );
    const thinking = model('claude-code-2.1.126/thinking')
      .entries.list.map((e) => timelineRow(e))
      .filter((r) => r.kind === 'thinking');
    assert.ok(thinking.length === 2 && thinking.every((r) => r.folded));
  });

  it('a command still running reads "running", and its row changes once its outcome comes', () => {
    const m = new RunModel('r', { runbook: 'r', source: 'live', startedAt: 0 });
    m.append([{ kind: 'command-started', line: 1, id: 'c', command: "/bin/bash -lc 'sleep 1'" }]);
    assert.deepEqual(
      [timelineRow(m.entries.list[0]!).exit, timelineRow(m.entries.list[0]!).tone],
      ['running', 'pending'],
    );
    assert.deepEqual(
      [timelineRow(m.entries.list[0]!, true).exit, timelineRow(m.entries.list[0]!, true).tone],
      ['stopped', 'warning'],
      'a run that ended first: it never will',
    );
    m.append([
      { kind: 'command-completed', line: 2, id: 'c', command: '', output: '', exitCode: null, status: 'declined' },
    ]);
    assert.equal(timelineRow(m.entries.list[0]!).exit, 'declined');
  });

  it('unfolding shows a command alike whichever CLI ran it, and cuts what is too long to show', () => {
    const claude = model('claude-code-2.1.126/failing-tool');
    assert.equal(
      detailOf(claude.entries.list[1]!),
      'Command: cat notes.txt\nExit code: 1\n\nOutput:\nExit code 1\ncat: notes.txt: No such file or directory\n',
    );
    const codex = model('codex-0.169.0/failing-command');
    assert.equal(
      detailOf(codex.entries.list.find((e) => e.event.kind === 'command-started')!),
      'Command: cat notes.txt\nExit code: 1\n\nOutput:\ncat: notes.txt: No such file or directory\n\n',
    );
    const m = new RunModel('r', { runbook: 'r', source: 'live', startedAt: 0 });
    m.append([{ kind: 'text', line: 1, text: 'y'.repeat(300_000) }]);
    assert.match(
      detailOf(m.entries.list[0]!),
      /… \(100001 more characters: open the event from the Jetty Trajectories view\)$/,
    );
  });

  it('the chart: input per turn for claude-code, output too for codex, and what no CLI reports', () => {
    assert.deepEqual(turnChart(model('claude-code-2.1.126/tool-call')), {
      bars: [
        { from: 1, to: 1, input: 1700, cacheRead: 0 },
        { from: 2, to: 2, input: 1900, cacheRead: 500 },
      ],
      turns: 2,
      max: 1900,
      withOutput: false,
      costUsd: 0.010845,
      note: 'Input per turn; the CLI reports output tokens only for the whole run. Cost $0.0108 for the whole run (no CLI reports it per turn).',
    });
    const codex = turnChart(model('codex-0.169.0/shell-command'));
    assert.deepEqual(codex.bars, [{ from: 1, to: 1, input: 4900, cacheRead: 1024, output: 73 }]);
    assert.equal(codex.max, 4973);
    assert.equal(codex.note, 'No cost reported.');
    const empty = turnChart(new RunModel('r', { runbook: 'r', source: 'live', startedAt: 0 }));
    assert.equal(empty.note, 'No per-turn token figures in this trajectory. No cost reported.');
  });

  it(`the chart of a long run: at most ${MAX_BARS} bars, each the mean of the turns it stands for`, () => {
    const m = new RunModel('r', { runbook: 'r', source: 'live', startedAt: 0 });
    m.append(
      Array.from({ length: 250 }, (_, i) => ({
        kind: 'usage' as const,
        line: i + 1,
        turn: i + 1,
        usage: { input: (i + 1) * 10, output: 1, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      })),
    );
    const chart = turnChart(m);
    assert.equal(chart.turns, 250);
    assert.equal(chart.bars.length, 84, 'three turns a bar');
    assert.deepEqual(chart.bars[0], { from: 1, to: 3, input: 20, cacheRead: 0, output: 1 });
    assert.deepEqual(chart.bars.at(-1), { from: 250, to: 250, input: 2500, cacheRead: 0, output: 1 });
    assert.match(chart.note!, /Each bar is the mean of 3 turns\./);
  });

  it('results: the main outputs first, then summary.md and the report, then the rest; a preview by kind', () => {
    const m = model('codex-0.169.0/file-change', {
      results: ['b.csv', 'validation_report.json', 'chart.png', 'summary.md', 'report.md'],
      primary_files: ['report.md', 'chart.png'],
    });
    m.report = { parameters: {}, stages: [{ name: 's', outcome: 'pass' }], output_files: [] };
    assert.deepEqual(resultsView(m), {
      files: [
        { path: 'report.md', role: 'main', preview: 'markdown' },
        { path: 'chart.png', role: 'main', preview: 'image' },
        { path: 'summary.md', role: 'summary', preview: 'markdown' },
        { path: 'validation_report.json', role: 'report', preview: 'json' },
        { path: 'b.csv', role: 'file', preview: 'text' },
      ],
      stages: [{ name: 's', outcome: 'pass' }],
    });
    assert.deepEqual(['a.MD', 'x.jpeg', 'd.json', 'n.txt', 'deck.pptx', 'noext'].map(previewKind), [
      'markdown',
      'image',
      'json',
      'text',
      'open',
      'open',
    ]);
  });
});
