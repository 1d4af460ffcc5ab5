// gemini-cli's adapter: its stream parser on what gemini-cli 0.61.0 printed (test/fixtures/trajectories/gemini-cli-*),
// in events and in Jetty's log lines, and the parser on lines the fixtures do not have.
import assert from 'node:assert/strict';
import { createGeminiParser, isGeminiLine } from '../../../../src/core/agents/gemini-cli';
import type { TrajectoryEvent } from '../../../../src/core/trajectory/events';
import { formatEvent } from '../../../../src/core/trajectory/format';
import { fixture, readAll } from '../trajectory/helpers';

const events = (name: string) => readAll(fixture(`gemini-cli-0.61.0/${name}`).bytes).events;
const lines = (name: string) => events(name).flatMap((e) => formatEvent(e));
const shown = (list: TrajectoryEvent[]) => list.filter((e) => e.kind !== 'other').map((e) => ({ ...e, line: 0 }));

function parse(...input: object[]): TrajectoryEvent[] {
  const parser = createGeminiParser();
  const out: TrajectoryEvent[] = [];
  input.forEach((o, i) => parser.line(JSON.stringify(o), i + 1, out));
  parser.end(input.length, out);
  return out;
}
const at = '2026-12-01T00:00:00.000Z';

describe('gemini-cli stream-json', () => {
  it('a shell command is exec/output, the streamed text one message, the totals the CLI’s', () => {
    assert.deepEqual(lines('shell-command'), [
      '[agent] started: model gemini-2.5-flash, session 807d382c-906c-4820-9ddd-c3b38ad64357',
      '[agent] I will run a command.',
      '[agent] exec: echo hello from the shell',
      // gemini-cli gives no exit code (only the model is told it): the status word stands in.
      '[agent] output (exit ?, success): hello from the shell',
      '[agent] The shell said: hello from the shell. Done.',
      '[agent] done — 1.9 s, tokens in=6750 out=58',
    ]);
    const [started, completed] = events('shell-command').filter((e) => e.kind.startsWith('command-'));
    assert.deepEqual(started, {
      kind: 'command-started',
      line: 4,
      id: 'run_shell_command__run_shell_command_1796161089185_0',
      command: 'echo hello from the shell',
    });
    assert.deepEqual(
      { ...completed, line: 0 },
      {
        kind: 'command-completed',
        line: 0,
        id: started!.id,
        command: 'echo hello from the shell',
        output: 'hello from the shell',
        exitCode: null,
        status: 'success',
      },
    );
  });

  it('a command that exits 3 completes with "success": gemini-cli says nothing more', () => {
    assert.ok(lines('failing-command').includes('[agent] output (exit ?, success): checking'));
  });

  it('a tool that fails is a tool result with the error flag', () => {
    assert.deepEqual(
      shown(events('tool-error')).filter((e) => e.kind.startsWith('tool-')),
      [
        {
          kind: 'tool-call',
          line: 0,
          id: 'read_file__read_file_1796161101572_0',
          name: 'read_file',
          input: { file_path: '/tmp/jetty-record/work/notes.txt' },
        },
        {
          kind: 'tool-result',
          line: 0,
          callId: 'read_file__read_file_1796161101572_0',
          name: 'read_file',
          output: 'File not found.',
          isError: true,
        },
      ],
    );
  });

  it('a 401 is a failed result that says the API error in words (and exit code 145 says it too)', () => {
    assert.equal(fixture('gemini-cli-0.61.0/invalid-key').meta.exitCode, 145);
    assert.deepEqual(
      lines('invalid-key').at(-1),
      '[agent] failed: API error 401 (UNAUTHENTICATED): API key not valid. Please pass a valid API key. — 0 ms, tokens in=0 out=0',
    );
  });

  it('a run killed mid-command ends incomplete, its command still open', () => {
    assert.deepEqual(lines('cancel').slice(1), [
      '[agent] exec: sleep 31.4159',
      '[agent] failed (incomplete): the stream ends before gemini-cli reported a result — tokens in=0 out=0',
    ]);
  });

  it('owns its lines (ISO timestamps), not claude-code’s or opencode’s of the same type', () => {
    assert.ok(isGeminiLine({ type: 'result', timestamp: at, status: 'success' }));
    assert.ok(!isGeminiLine({ type: 'result', subtype: 'success' }));
    assert.ok(!isGeminiLine({ type: 'tool_use', timestamp: 1796161089185, sessionID: 'ses_x' }));
  });

  it('joins deltas until a line of another kind, keeps a whole message as it is, and says warnings and errors', () => {
    const out = parse(
      { type: 'message', timestamp: at, role: 'assistant', content: 'Hel', delta: true },
      { type: 'message', timestamp: at, role: 'assistant', content: 'lo.', delta: true },
      { type: 'error', timestamp: at, severity: 'warning', message: 'Loop detected' },
      { type: 'message', timestamp: at, role: 'assistant', content: 'Whole.' },
      { type: 'error', timestamp: at, severity: 'error', message: 'Quota exceeded' },
      {
        type: 'result',
        timestamp: at,
        status: 'error',
        error: { type: 'FatalTurnLimitedError', message: 'Reached max session turns' },
        stats: {},
      },
    );
    assert.deepEqual(shown(out), [
      { kind: 'text', line: 0, text: 'Hello.' },
      { kind: 'warning', line: 0, message: 'Loop detected' },
      { kind: 'text', line: 0, text: 'Whole.' },
      { kind: 'error', line: 0, message: 'Quota exceeded', fatal: false },
      {
        kind: 'result',
        line: 0,
        status: 'failed',
        subtype: 'FatalTurnLimitedError',
        usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
        source: 'cli',
        error: 'Reached max session turns',
      },
    ]);
    // The joined text stands on the line of its last piece.
    assert.equal(out.find((e) => e.kind === 'text')!.line, 2);
  });
});
