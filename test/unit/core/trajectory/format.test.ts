// The log-line formatter and the one safe JSON stringify for events (format.ts), on cases the recorded fixtures do not
// cover: commands without an exit code, texts of several lines, results without a turn count, and nesting JSON.parse
// accepts but JSON.stringify cannot print.
import assert from 'node:assert/strict';
import { CUT_NESTING, formatEvent, fullText, stringifyEvent } from '../../../../src/core/trajectory/format';
import { createSummaryBuilder } from '../../../../src/core/trajectory/summary';
import { readAll } from './helpers';
import { formatsOf } from '../../../../src/core/agents';

describe('Jetty log lines, beyond the fixtures', () => {
  it("a command without an exit code says `exit ?` with its status, in the seed's `(exit N)` shape", () => {
    const declined = {
      kind: 'command-completed',
      line: 4,
      id: 'item_1',
      command: 'rm -rf /',
      output: 'declined by policy',
      exitCode: null,
      status: 'declined',
    } as const;
    assert.deepEqual(formatEvent(declined), ['[agent] output (exit ?, declined): declined by policy']);
    assert.deepEqual(formatEvent({ ...declined, exitCode: 2, status: 'failed' }), [
      '[agent] output (exit 2): declined by policy',
    ]);
  });

  it('indents every further line of a text, a command, an output or an error under the first', () => {
    const indent = ' '.repeat('[agent] '.length);
    assert.deepEqual(formatEvent({ kind: 'text', line: 1, text: 'Two findings:\r\n- one\n- two' }), [
      `[agent] Two findings:\n${indent}- one\n${indent}- two`,
    ]);
    assert.deepEqual(
      formatEvent({ kind: 'command-started', line: 2, id: 'c', command: "cat <<'EOF' > a.md\nhello\nEOF" }),
      [`[agent] exec: cat <<'EOF' > a.md\n${indent}hello\n${indent}EOF`],
    );
    assert.deepEqual(formatEvent({ kind: 'error', line: 3, message: 'first\nsecond', fatal: true }), [
      `[agent] error: first\n${indent}second`,
    ]);
  });

  it('a claude result without num_turns: the line leaves turns out, the summary counts the assistant messages', () => {
    const text = (id: string) =>
      JSON.stringify({ type: 'assistant', message: { id, content: [{ type: 'text', text: id }] } });
    const lines = [
      text('m1'),
      text('m1'),
      text('m2'),
      JSON.stringify({
        type: 'result',
        subtype: 'success',
        is_error: false,
        duration_ms: 1500,
        usage: { input_tokens: 5, output_tokens: 7 },
      }),
    ];
    const { events } = readAll(Buffer.from(lines.join('\n') + '\n'));
    const result = events.at(-1)!;
    assert.equal(result.kind === 'result' && result.turns, undefined);
    assert.deepEqual(formatEvent(result), ['[agent] done — 1.5 s, tokens in=5 out=7']);
    const summary = createSummaryBuilder();
    summary.add(events);
    assert.equal(summary.summary.turns, 2);
  });
});

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

describe('stringifyEvent', () => {
  it('gives valid JSON for an event nested deeper than JSON.stringify can go, cutting only the deep part', () => {
    const line = `{"type":"rate_limit_event","when":"now","d":${nested(100_000)}}`;
    const { events } = readAll(Buffer.from(line + '\n'), undefined, { formats: formatsOf('claude-code') });
    assert.equal(events.length, 1);
    const text = stringifyEvent(events[0]);
    const back = JSON.parse(text) as { kind: string; line: number; type: string; data: { when: string } };
    assert.deepEqual([back.kind, back.line, back.type, back.data.when], ['other', 1, 'rate_limit_event', 'now']);
    assert.ok(text.includes(JSON.stringify(CUT_NESTING)), 'the cut is marked');
  });

  it('is plain JSON.stringify for everything else', () => {
    const event = { kind: 'text', line: 3, text: 'hi "there"\n' };
    assert.equal(stringifyEvent(event), JSON.stringify(event));
    assert.equal(stringifyEvent(event, 2), JSON.stringify(event, null, 2));
  });

  it('a deeply nested tool input still opens as a document', () => {
    const line = `{"type":"assistant","message":{"id":"m","content":[{"type":"tool_use","id":"t","name":"Read","input":${nested(50_000)}}]}}`;
    const { events } = readAll(Buffer.from(line + '\n'), undefined, { formats: formatsOf('claude-code') });
    assert.equal(events[0]!.kind, 'tool-call');
    assert.match(fullText(events[0]!), /^Tool: Read\nCall id: t\n\nInput:\n\[\n/);
  });
});
