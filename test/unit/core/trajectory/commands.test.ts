// The commands of a run read alike whichever CLI ran them: claude-code's Bash calls (exit code 0 on success, the code
// its error result names on failure), codex's command items (its `bash -lc` wrapper taken off) and the command events of
// gemini-cli, opencode and hermes, from recorded runs.
import assert from 'node:assert/strict';
import { createClaudeCodeParser } from '../../../../src/core/agents/claude-code';
import { commandOf, unwrapShell } from '../../../../src/core/trajectory/commands';
import { RunEntries } from '../../../../src/core/trajectory/entries';
import type { TrajectoryEvent } from '../../../../src/core/trajectory/events';
import { fixture, readAll } from './helpers';

function commands(name: string) {
  const entries = new RunEntries();
  entries.add(readAll(fixture(name).bytes).events);
  return entries.list.map(commandOf).filter((c) => c !== undefined);
}

describe('commands', () => {
  it('claude-code: a Bash call that failed has the exit code its result names; other tools are not commands', () => {
    assert.deepEqual(
      commands('claude-code-2.1.126/failing-tool').map(({ command, exitCode }) => ({ command, exitCode })),
      [{ command: 'cat notes.txt', exitCode: 1 }],
    );
    const ok = commands('claude-code-2.1.126/tool-call');
    assert.deepEqual(
      ok.map(({ command, exitCode, output }) => ({ command, exitCode, output })),
      [{ command: 'echo hello from the shell', exitCode: 0, output: 'hello from the shell' }],
    );
  });

  it('codex: the command as the agent wrote it, with its exit code and output', () => {
    assert.deepEqual(
      commands('codex-0.169.0/failing-command').map(({ command, exitCode, output }) => ({ command, exitCode, output })),
      [{ command: 'cat notes.txt', exitCode: 1, output: 'cat: notes.txt: No such file or directory\n' }],
    );
  });

  it('gemini-cli, opencode, hermes: each command with its exit code where the CLI gives one, and whether it succeeded', () => {
    const read = (name: string) =>
      commands(name).map(({ command, exitCode, succeeded }) => ({ command, exitCode, succeeded }));
    // gemini-cli's stream has no exit codes: `echo checking; exit 3` reads `success` (only the model is told the code).
    assert.deepEqual(read('gemini-cli-0.61.0/failing-command'), [
      { command: 'echo checking; exit 3', exitCode: null, succeeded: true },
    ]);
    assert.deepEqual(read('opencode-1.18.33/failing-command'), [
      { command: 'echo checking; exit 3', exitCode: 3, succeeded: false },
    ]);
    assert.deepEqual(read('hermes-0.19.0/failing-command'), [
      { command: 'echo checking; exit 3', exitCode: 3, succeeded: false },
    ]);
    assert.deepEqual(read('hermes-0.19.0/shell-command'), [
      { command: 'echo hello from the shell', exitCode: 0, succeeded: true },
    ]);
  });

  it('a command still running has no exit code yet; a claude-code Bash failure that names none has null', () => {
    const events: TrajectoryEvent[] = [
      { kind: 'command-started', line: 1, id: 'c1', command: "/bin/bash -lc 'sleep 9'" },
    ];
    const claude = createClaudeCodeParser();
    const call = { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls' } };
    const result = { type: 'tool_result', tool_use_id: 't1', content: 'Permission denied', is_error: true };
    claude.line(JSON.stringify({ type: 'assistant', message: { id: 'm1', content: [call] } }), 2, events);
    claude.line(JSON.stringify({ type: 'user', message: { content: [result] } }), 3, events);
    const entries = new RunEntries();
    entries.add(events);
    assert.deepEqual(
      entries.list.map(commandOf).map((c) => c && [c.command, c.exitCode]),
      [
        ['sleep 9', undefined],
        ['ls', null],
      ],
    );
  });

  it('unwraps the shell codex runs every command in, quoting and all', () => {
    assert.equal(unwrapShell("/bin/bash -lc 'echo hello'"), 'echo hello');
    assert.equal(unwrapShell("bash -lc 'echo '\\''quoted'\\'''"), "echo 'quoted'");
    assert.equal(unwrapShell('/usr/bin/sh -c "echo \\"hi\\" \\$HOME"'), 'echo "hi" $HOME');
    assert.equal(unwrapShell('bash -lc ls'), 'ls');
    assert.equal(unwrapShell('python3 -c "print(1)"'), 'python3 -c "print(1)"', 'not a shell wrapper: kept');
    assert.equal(unwrapShell("/bin/bash -lc 'a' extra"), "/bin/bash -lc 'a' extra");
  });
});
