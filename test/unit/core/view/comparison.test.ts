// What the comparison shows for several runs: the same command of two runs on one row whichever CLI ran it, each run's
// own commands where they fall, the best value of each figure marked (never when all agree or only one run says), the
// evaluation rows, and the result files each run has.
import assert from 'node:assert/strict';
import { RunModel } from '../../../../src/core/run/model';
import type { RunRecord } from '../../../../src/core/run/runs';
import { alignSequences, compareRuns, MAX_ALIGNED } from '../../../../src/core/view/comparison';
import { commandCell } from '../../../../src/core/view/protocol';
import type { TrajectoryEvent } from '../../../../src/core/trajectory/events';
import { fixture, readAll } from '../trajectory/helpers';
import { runRecord } from '../../../fakes/run-folder';

function run(id: string, name: string | TrajectoryEvent[], record: Partial<RunRecord> = {}): RunModel {
  const agent = typeof name === 'string' && name.startsWith('codex') ? 'codex' : 'claude-code';
  const m = new RunModel(id, { runbook: 'report', agent, source: 'file', folder: `/runs/${id}`, startedAt: 0 });
  m.append(typeof name === 'string' ? readAll(fixture(name).bytes).events : name);
  m.attach(
    runRecord(id, agent, {
      agentVersion: '1',
      sandbox: { kind: 'daytona' },
      startedAt: '2026-12-01T10:00:00.000Z',
      finishedAt: undefined,
      ...record,
    }),
    undefined,
  );
  m.finish('succeeded');
  return m;
}

const commands = (...list: string[]): TrajectoryEvent[] =>
  list.flatMap((command, i): TrajectoryEvent[] => [
    { kind: 'command-started', line: 2 * i + 1, id: `c${i}`, command },
    {
      kind: 'command-completed',
      line: 2 * i + 2,
      id: `c${i}`,
      command,
      output: '',
      exitCode: command.startsWith('false') ? 1 : 0,
      status: 'completed',
    },
  ]);

describe('comparison', () => {
  it('aligns sequences: common items on one row, the rest where they fall, each keeping its order', () => {
    assert.deepEqual(
      alignSequences([
        ['setup', 'test', 'build', 'report'],
        ['setup', 'lint', 'build', 'report'],
        ['setup', 'report', 'extra'],
      ]),
      [
        [0, 0, 0],
        [1, undefined, undefined],
        [undefined, 1, undefined],
        [2, 2, undefined],
        [3, 3, 1],
        [undefined, undefined, 2],
      ],
    );
    assert.deepEqual(alignSequences([[], ['a']]), [[undefined, 0]]);
    assert.deepEqual(alignSequences([['a', 'a'], ['a']]), [
      [0, 0],
      [1, undefined],
    ]);
    assert.deepEqual(alignSequences([]), []);
  });

  it("lines up claude-code's Bash call and codex's command item when they ran the same command", () => {
    const c = compareRuns([
      run('a', 'claude-code-2.1.126/failing-tool'),
      run('b', 'codex-0.169.0/failing-command'),
      run('c', 'codex-0.169.0/shell-command'),
    ]);
    assert.deepEqual(
      c.commands.map((row) => [row.command, row.cells.map((cell) => cell && cell.exitCode)]),
      [
        ['cat notes.txt', [1, 1, null]],
        ['echo hello from the shell', [null, null, 0]],
      ],
    );
    assert.deepEqual(
      c.columns.map((col) => [col.id, col.agent, col.model, col.provider, col.status, col.folder]),
      [
        ['a', 'claude-code', 'claude-sonnet-4-6', 'anthropic', 'succeeded', '/runs/a'],
        ['b', 'codex', 'gpt-5.4', 'openai', 'succeeded', '/runs/b'],
        ['c', 'codex', 'gpt-5.4', 'openai', 'succeeded', '/runs/c'],
      ],
    );
  });

  it('marks the best of each figure, ties included; none when all agree, when only one run says, or for a count', () => {
    const c = compareRuns([
      run('fast', commands('setup', 'false one'), { finishedAt: '2026-12-01T10:00:30.000Z' }),
      run('slow', commands('setup', 'false one', 'false two'), { finishedAt: '2026-12-01T10:01:00.000Z' }),
      run('same', commands('setup'), { finishedAt: '2026-12-01T10:00:30.000Z' }),
    ]);
    const row = (key: string) => c.rows.find((r) => r.key === key)!;
    assert.deepEqual(
      row('duration').cells.map((cell) => [cell.text, cell.best]),
      [
        ['30.0 s', true],
        ['1 min 0 s', false],
        ['30.0 s', true],
      ],
    );
    assert.deepEqual(
      row('failedCommands').cells.map((cell) => cell.best),
      [false, false, true],
    );
    assert.deepEqual(
      row('commands').cells.map((cell) => [cell.text, cell.best]),
      [
        ['2', false],
        ['3', false],
        ['1', false],
      ],
      'more commands is neither better nor worse',
    );
    assert.ok(
      row('cost').cells.every((cell) => !cell.best && cell.text === 'not reported'),
      'no run says: nothing to mark',
    );
    assert.equal(
      c.rows.some((r) => r.key === 'evaluation'),
      false,
      'no evaluation rows when no run has one',
    );
  });

  it('only runs that succeeded compete for best; a command its run never finished reads stopped', () => {
    const cancelled = run('stopped', [{ kind: 'command-started', line: 1, id: 'c', command: 'make' }], {
      finishedAt: '2026-12-01T10:00:05.000Z',
    });
    cancelled.finish('cancelled');
    const c = compareRuns([
      run('ok', commands('make'), { finishedAt: '2026-12-01T10:01:00.000Z' }),
      cancelled,
      run('slower', commands('make'), { finishedAt: '2026-12-01T10:02:00.000Z' }),
    ]);
    assert.deepEqual(
      c.rows.find((r) => r.key === 'duration')!.cells.map((cell) => cell.best),
      [true, false, false],
      'the cancelled run was shortest, but it is not the best',
    );
    assert.deepEqual(c.commands[0]!.cells.map(commandCell), ['exit 0', 'stopped', 'exit 0']);
    assert.equal(commandCell(null), '—');
  });

  it('the evaluation rows: passed beats failed, more pass and fewer fail are better; a run without one shows –', () => {
    const c = compareRuns([
      run('a', [], { eval: { overall_passed: false, pass: 2, partial: 1, fail: 1 } }),
      run('b', [], { eval: { overall_passed: true, pass: 4, partial: 0, fail: 0 } }),
      run('c', []),
    ]);
    const marked = c.rows
      .filter((r) => ['evaluation', 'pass', 'partial', 'fail'].includes(r.key))
      .map((r) => [r.key, r.cells.map((cell) => (cell.best ? `*${cell.text}` : cell.text))]);
    assert.deepEqual(marked, [
      ['evaluation', ['failed · 2 pass · 1 partial · 1 fail', '*passed · 4 pass · 0 partial · 0 fail', '–']],
      ['pass', ['2', '*4', '–']],
      ['partial', ['1', '*0', '–']],
      ['fail', ['1', '*0', '–']],
    ]);
  });

  it('the result files each run has, sorted', () => {
    const c = compareRuns([
      run('a', [], { results: ['report.md', 'summary.md'] }),
      run('b', [], { results: ['report.md', 'chart.png'] }),
    ]);
    assert.deepEqual(c.files, [
      { file: 'chart.png', present: [false, true] },
      { file: 'report.md', present: [true, true] },
      { file: 'summary.md', present: [true, false] },
    ]);
  });

  it(`aligns at most ${MAX_ALIGNED} commands per run and says how many more each had`, () => {
    const many = Array.from({ length: MAX_ALIGNED + 5 }, (_, i) => `step ${i}`);
    const c = compareRuns([run('a', commands(...many)), run('b', commands('step 0'))]);
    assert.equal(c.commands.length, MAX_ALIGNED);
    assert.deepEqual(c.commandsLeftOut, [5, 0]);
  });
});
