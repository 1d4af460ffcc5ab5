// opencode's adapter: its stream parser on what opencode 1.18.33 printed (test/fixtures/trajectories/opencode-*), in
// events and in Jetty's log lines, and the parser on lines the fixtures do not have.
import assert from 'node:assert/strict';
import { createOpencodeParser, isOpencodeLine } from '../../../../src/core/agents/opencode';
import type { TrajectoryEvent } from '../../../../src/core/trajectory/events';
import { formatEvent } from '../../../../src/core/trajectory/format';
import { fixture, readAll } from '../trajectory/helpers';

const events = (name: string) => readAll(fixture(`opencode-1.18.33/${name}`).bytes).events;
const lines = (name: string) => events(name).flatMap((e) => formatEvent(e));

function parse(...input: object[]): TrajectoryEvent[] {
  const parser = createOpencodeParser();
  const out: TrajectoryEvent[] = [];
  input.forEach((o, i) => parser.line(JSON.stringify({ timestamp: 1, sessionID: 'ses_t', ...o }), i + 1, out));
  parser.end(input.length, out);
  return out;
}

describe('opencode run --format json', () => {
  it('a bash command is exec/output with its exit code, steps are turns with their tokens, the cost opencode’s', () => {
    assert.deepEqual(lines('shell-command'), [
      '[agent] started: session ses_dcc7425a5ffe9D3VGXe07UOl9Z',
      '[agent] thinking: The user wants a greeting from the shell. I will run echo.',
      '[agent] I will run a command.',
      '[agent] exec: echo hello from the shell',
      '[agent] output (exit 0): hello from the shell',
      '[agent] turn done — tokens in=1700 out=38',
      '[agent] The shell said: hello from the shell. Done.',
      // input: 876 not cached + 1024 read from the cache.
      '[agent] turn done — tokens in=1900 out=21',
      '[agent] done — 2 turns, tokens in=3600 out=59, cost $0.0089',
    ]);
  });

  it('a command that exits 3 completes with exit code 3 (metadata.exit)', () => {
    const completed = events('failing-command').find((e) => e.kind === 'command-completed');
    assert.deepEqual(
      { ...completed, line: 0 },
      {
        kind: 'command-completed',
        line: 0,
        id: 'call_mock_01',
        command: 'echo checking; exit 3',
        output: 'checking\n',
        exitCode: 3,
        status: 'completed',
      },
    );
  });

  it('a tool that fails is a tool result with the error flag, its input shown by its path', () => {
    assert.deepEqual(lines('tool-error').slice(1, 3), [
      '[agent] tool read: /tmp/jetty-record/work/notes.txt',
      '[agent] tool error (read): File not found: /tmp/jetty-record/work/notes.txt',
    ]);
  });

  it('a 401 is a fatal error with its status, and a failed result', () => {
    assert.deepEqual(lines('invalid-key').slice(1), [
      '[agent] error: API error 401: No auth credentials found (APIError)',
      '[agent] failed: API error 401: No auth credentials found — 0 turns, tokens in=0 out=0',
    ]);
  });

  it('a run killed mid-step ends incomplete (opencode prints a tool only once it is done)', () => {
    assert.equal(
      lines('cancel').at(-1),
      '[agent] failed (incomplete): the stream ends before opencode finished its last step — 1 turn, tokens in=0 out=0',
    );
  });

  it('owns lines with its sessionID and numeric timestamp only', () => {
    assert.ok(isOpencodeLine({ type: 'error', timestamp: 1, sessionID: 'ses_x', error: {} }));
    assert.ok(!isOpencodeLine({ type: 'error', message: 'codex says' }));
  });

  it('a tool seen running and then done starts once and completes once; a denied bash has no exit code', () => {
    const running = {
      type: 'tool_use',
      part: { tool: 'bash', callID: 'c1', state: { status: 'running', input: { command: 'make' } } },
    };
    const done = {
      type: 'tool_use',
      part: {
        tool: 'bash',
        callID: 'c1',
        state: { status: 'completed', input: { command: 'make' }, output: 'ok', metadata: { exit: 0 } },
      },
    };
    const denied = {
      type: 'tool_use',
      part: { tool: 'bash', callID: 'c2', state: { status: 'error', input: { command: 'rm -rf /' }, error: 'denied' } },
    };
    const kinds = parse(running, running, done, denied).map((e) =>
      e.kind === 'command-completed' ? `${e.kind}:${e.exitCode}:${e.output}` : e.kind,
    );
    assert.deepEqual(kinds, [
      'init',
      'command-started',
      'other',
      'command-completed:0:ok',
      'command-started',
      'command-completed:null:denied',
      'result',
    ]);
  });
});
