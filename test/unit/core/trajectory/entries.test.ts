// The tree's list of a run: outcomes attached to their calls by id, in any batch split, lifecycle noise left out.
import assert from 'node:assert/strict';
import { RunEntries } from '../../../../src/core/trajectory/entries';
import { fixture, readAll } from './helpers';

describe('run entries', () => {
  it('attaches each result to its call or command, whatever the batches', () => {
    const { events } = readAll(fixture('claude-code-2.1.126/failing-tool').bytes);
    for (const split of [1, 2, 3, events.length]) {
      const entries = new RunEntries();
      for (let i = 0; i < events.length; i += split) entries.add(events.slice(i, i + split));
      assert.deepEqual(
        entries.list.map((e) => [e.event.kind, RunEntries.outcomeOf(e) ?? '']),
        [
          ['init', ''],
          ['command-started', 'error'],
          ['tool-call', 'error'],
          ['text', ''],
          ['result', ''],
        ],
      );
    }
  });

  it("joins a codex command's start and completion, and leaves out turn-started and other", () => {
    const entries = new RunEntries();
    const changed = entries.add(readAll(fixture('codex-0.169.0/file-change').bytes).events);
    assert.deepEqual(
      entries.list.map((e) => e.event.kind),
      ['init', 'file-change', 'text', 'usage', 'result'],
    );
    assert.deepEqual(changed, []);
    const shell = new RunEntries();
    const events = readAll(fixture('codex-0.169.0/shell-command').bytes).events;
    const at = events.findIndex((e) => e.kind === 'command-completed');
    shell.add(events.slice(0, at));
    const started = shell.list.find((e) => e.event.kind === 'command-started')!;
    assert.equal(RunEntries.outcomeOf(started), 'pending');
    assert.deepEqual(shell.add(events.slice(at)), [started]);
    assert.equal(RunEntries.outcomeOf(started), 'ok');
  });

  it('keeps a result whose call it never saw as an entry of its own', () => {
    const entries = new RunEntries();
    entries.add([{ kind: 'tool-result', line: 1, callId: 'nowhere', output: 'x', isError: true }]);
    assert.deepEqual(
      entries.list.map((e) => [e.event.kind, RunEntries.outcomeOf(e)]),
      [['tool-result', 'error']],
    );
  });
});
