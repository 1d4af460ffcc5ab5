// hermes' adapter: its parser on what hermes 0.19.0 sent through the ACP driver (test/fixtures/trajectories/hermes-*),
// in events and in Jetty's log lines, and the parser on messages the fixtures do not have.
import assert from 'node:assert/strict';
import { createHermesParser, isHermesLine } from '../../../../src/core/agents/hermes';
import type { TrajectoryEvent } from '../../../../src/core/trajectory/events';
import { formatEvent } from '../../../../src/core/trajectory/format';
import { fixture, readAll } from '../trajectory/helpers';

const events = (name: string) => readAll(fixture(`hermes-0.19.0/${name}`).bytes).events;
const lines = (name: string) => events(name).flatMap((e) => formatEvent(e));

const update = (u: object) => ({ jsonrpc: '2.0', method: 'session/update', params: { sessionId: 's', update: u } });
const chunk = (text: string) => update({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text } });
const answer = (result: object) => ({ jsonrpc: '2.0', id: 3, result });

function parse(...input: object[]): TrajectoryEvent[] {
  const parser = createHermesParser();
  const out: TrajectoryEvent[] = [];
  input.forEach((o, i) => parser.line(JSON.stringify(o), i + 1, out));
  parser.end(input.length, out);
  return out;
}
const shown = (list: TrajectoryEvent[]) => list.filter((e) => e.kind !== 'other').map((e) => ({ ...e, line: 0 }));

describe('hermes through ACP', () => {
  it('thoughts and text joined, the terminal command exec/output with its exit code, the totals hermes’', () => {
    assert.deepEqual(lines('shell-command'), [
      '[agent] started: model zai.glm-5, session 8d2cdb88-7a53-4413-8b93-65dfaa7a4a45',
      '[agent] thinking: The user wants a greeting from the shell. I will run echo.',
      '[agent] I will run a command.',
      '[agent] exec: echo hello from the shell',
      '[agent] output (exit 0): hello from the shell',
      '[agent] The shell said: hello from the shell. Done.',
      '[agent] done — tokens in=2600 out=61',
    ]);
    const init = events('shell-command').find((e) => e.kind === 'init');
    assert.deepEqual(
      { ...init, line: 0 },
      {
        kind: 'init',
        line: 0,
        session: '8d2cdb88-7a53-4413-8b93-65dfaa7a4a45',
        model: 'zai.glm-5',
        tools: [],
        version: '0.19.0',
        permissionMode: 'default',
      },
    );
  });

  it('a command that exits 3 completes with exit code 3 and hermes’ status word', () => {
    const completed = events('failing-command').find((e) => e.kind === 'command-completed');
    assert.deepEqual(
      { ...completed, line: 0 },
      {
        kind: 'command-completed',
        line: 0,
        id: 'tc-aeaa059113b6',
        command: 'echo checking; exit 3',
        output: 'checking',
        exitCode: 3,
        status: 'failed',
      },
    );
  });

  it('a tool that fails is a tool result with the error flag, named and shown by its file', () => {
    assert.deepEqual(lines('tool-error').slice(1, 3), [
      '[agent] tool read: /tmp/jetty-record/work/notes.txt',
      '[agent] tool error (read): Read failed: File not found: /tmp/jetty-record/work/notes.txt',
    ]);
  });

  it('a rejected key is the run’s fatal error and a failed result, though hermes exits 0 and ends the turn as usual', () => {
    for (const [name, message] of [
      [
        'invalid-key',
        'An error occurred (AccessDeniedException) when calling the ConverseStream operation: Authentication failed: Please make sure your API Key is valid.',
      ],
      ['invalid-key-openrouter', 'HTTP 401: No auth credentials found'],
    ]) {
      assert.equal(fixture(`hermes-0.19.0/${name}`).meta.exitCode, 0);
      assert.deepEqual(lines(name!).slice(1), [
        `[agent] error: ${message}`,
        `[agent] failed: ${message} — tokens in=0 out=0`,
      ]);
    }
  });

  it('a run killed mid-command ends incomplete', () => {
    assert.deepEqual(lines('cancel').slice(1), [
      '[agent] exec: sleep 31.4159',
      '[agent] failed (incomplete): the stream ends before hermes answered the prompt — tokens in=0 out=0',
    ]);
  });

  it('owns JSON-RPC 2.0 lines only', () => {
    assert.ok(isHermesLine({ jsonrpc: '2.0', id: 1, result: {} }));
    assert.ok(!isHermesLine({ type: 'result' }));
  });

  it('text in hermes’ failure words is only an error when the prompt’s answer follows it', () => {
    assert.deepEqual(
      shown(
        parse(
          chunk('HTTP 404: the page you asked about'),
          chunk(' is gone.'),
          update({ sessionUpdate: 'tool_call', toolCallId: 't', kind: 'read', title: 'read: a.txt' }),
          answer({ stopReason: 'end_turn' }),
        ),
      ),
      [
        { kind: 'text', line: 0, text: 'HTTP 404: the page you asked about is gone.' },
        { kind: 'tool-call', line: 0, id: 't', name: 'read', input: { title: 'read: a.txt' } },
        {
          kind: 'result',
          line: 0,
          status: 'succeeded',
          subtype: 'end_turn',
          usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
          source: 'cli',
        },
      ],
    );
  });

  it('reads the terminal’s result text: several lines of output, none, an error; a refused prompt, a JSON-RPC error', () => {
    const start = (id: string, command: string) =>
      update({
        sessionUpdate: 'tool_call',
        toolCallId: id,
        kind: 'execute',
        title: `terminal: ${command}`,
        content: [{ type: 'content', content: { type: 'text', text: `$ ${command}` } }],
      });
    const done = (id: string, status: string, text: string) =>
      update({
        sessionUpdate: 'tool_call_update',
        toolCallId: id,
        status,
        content: [{ type: 'content', content: { type: 'text', text } }],
      });
    const out = parse(
      start('a', 'printf "a\\nb"'),
      done('a', 'completed', 'terminal result\n- **output:** a\nb\n- **exit_code:** 0'),
      start('b', 'true'),
      done('b', 'completed', 'terminal result\n- **exit_code:** 0'),
      start('c', 'missing'),
      done(
        'c',
        'failed',
        'terminal result\n- **output:** sh: missing: not found\n- **exit_code:** 127\n- **error:** command failed',
      ),
      { jsonrpc: '2.0', id: 9, error: { code: -32603, message: 'Internal error' } },
      answer({ stopReason: 'refusal' }),
    );
    assert.deepEqual(
      out
        .filter((e) => e.kind === 'command-completed')
        .map((e) => e.kind === 'command-completed' && [e.output, e.exitCode]),
      [
        ['a\nb', 0],
        ['', 0],
        ['sh: missing: not found', 127],
      ],
    );
    const result = out.at(-1)!;
    assert.deepEqual(result.kind === 'result' && [result.status, result.error], ['failed', 'Internal error']);
  });
});
