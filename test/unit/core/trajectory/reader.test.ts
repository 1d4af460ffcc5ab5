// The streaming reader: format detection, the redaction hook before parsing, non-JSON and unknown lines kept, batching.
import assert from 'node:assert/strict';
import type { TrajectoryEvent } from '../../../../src/core/trajectory/events';
import { createTrajectoryReader, DETECT_LINES } from '../../../../src/core/trajectory/reader';
import { fixture, readAll } from './helpers';
import { Redactor } from '../../../../src/core/redact';
import { CUT_MARKER } from '../../../../src/core/trajectory/lines';
import { formatsOf, TRAJECTORY_FORMATS } from '../../../../src/core/agents';
import { MAX_CALLS_IN_FLIGHT } from '../../../../src/core/agents/claude-code';

const SECRET = 'sk-ant-api03-SECRETSECRETSECRET';

describe('trajectory reader', () => {
  it('detects codex after non-JSON noise and parses the held lines in order', () => {
    const codex = fixture('codex-0.169.0/unknown-model').bytes.toString('utf8');
    const { events } = readAll(Buffer.from(`Reading additional input from stdin...\n${codex}`));
    assert.deepEqual(
      events.slice(0, 3).map((e) => [e.kind, e.line]),
      [
        ['unparsed', 1],
        ['init', 2],
        ['warning', 3],
      ],
    );
    assert.deepEqual(events[0], {
      kind: 'unparsed',
      line: 1,
      text: 'Reading additional input from stdin...',
      reason: 'not-json',
    });
  });

  it('tells the detected format once', () => {
    const formats: string[] = [];
    const reader = createTrajectoryReader({
      formats: TRAJECTORY_FORMATS,
      onEvents: () => {},
      onFormat: (f) => formats.push(f),
    });
    reader.push(fixture('claude-code-2.1.126/thinking').bytes);
    reader.end();
    assert.deepEqual(formats, ['claude-code']);
    assert.equal(reader.format, 'claude-code');
    assert.equal(reader.lines, 5);
  });

  it('gives up detecting after a bounded number of lines and keeps every line', () => {
    const noise = Array.from({ length: DETECT_LINES + 5 }, (_, i) =>
      i % 2 ? `{"type":"mystery","n":${i}}` : `plain ${i}`,
    ).join('\n');
    const { events } = readAll(Buffer.from(noise));
    assert.equal(events.length, DETECT_LINES + 5);
    assert.deepEqual([...new Set(events.map((e) => e.kind))].sort(), ['other', 'unparsed']);
  });

  it('applies transformLine to each whole line before parsing: no event and no saved line holds the secret', () => {
    const line = JSON.stringify({
      type: 'user',
      message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: `key=${SECRET}` }] },
    });
    const text = `${JSON.stringify({ type: 'system', subtype: 'init', tools: [] })}\n${line}\n`;
    // One byte at a time: the secret is never whole in one chunk, so only a line-level transform can catch it.
    const { events, lines } = readAll(Buffer.from(text), () => 1, {
      transformLine: (l) => l.split(SECRET).join('[REDACTED]'),
    });
    assert.ok(!JSON.stringify(events).includes(SECRET));
    assert.ok(!lines.join('\n').includes(SECRET));
    const result = events.find((e) => e.kind === 'tool-result');
    assert.equal(result?.kind === 'tool-result' && result.output, 'key=[REDACTED]');
  });

  it('a line cut at the maximum length is redacted as cut: no start of a key is left before the cut notice', () => {
    const redactor = new Redactor([SECRET]);
    const line = `{"type":"system","subtype":"note","text":"${'x'.repeat(90)}${SECRET}"}`;
    const at = line.indexOf(SECRET);
    for (const keep of [at + 2, at + 4, at + 8, at + 20, at + SECRET.length - 1]) {
      const { lines, events } = readAll(Buffer.from(`${line}\n`), undefined, {
        transformLine: redactor.redact,
        maxLineLength: keep,
      });
      const saved = lines[0]!;
      assert.ok(saved.includes(CUT_MARKER), saved);
      assert.ok(saved.startsWith(line.slice(0, at)), 'what precedes the key is kept');
      assert.doesNotMatch(saved, /sk-ant|SECRET/, `cut at ${keep}: ${saved}`);
      assert.doesNotMatch(JSON.stringify(events), /sk-ant|SECRET/);
    }
  });

  it('keeps bounded state whatever the tool ids: calls without results past the bound are forgotten, oldest first', () => {
    // What `replay --summary` holds for a log of millions of distinct tool ids: at most MAX_CALLS_IN_FLIGHT names.
    const call = (id: string) =>
      JSON.stringify({
        type: 'assistant',
        message: { id: `m-${id}`, content: [{ type: 'tool_use', id, name: `tool-${id}`, input: {} }] },
      });
    const result = (id: string) =>
      JSON.stringify({ type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: id, content: 'ok' }] } });
    const lines = [JSON.stringify({ type: 'system', subtype: 'init', tools: [] })];
    for (let i = 0; i <= MAX_CALLS_IN_FLIGHT; i++) lines.push(call(`t${i}`));
    lines.push(result('t0'), result(`t${MAX_CALLS_IN_FLIGHT}`));
    const { events } = readAll(Buffer.from(`${lines.join('\n')}\n`), undefined, { formats: formatsOf('claude-code') });
    const results = events.filter((e) => e.kind === 'tool-result');
    assert.deepEqual(
      results.map((e) => e.kind === 'tool-result' && [e.callId, e.name]),
      [
        ['t0', undefined],
        [`t${MAX_CALLS_IN_FLIGHT}`, `tool-t${MAX_CALLS_IN_FLIGHT}`],
      ],
    );
  });

  it('withholds a line whose transform throws instead of passing it on', () => {
    const { events, lines } = readAll(Buffer.from(`{"type":"result","result":"${SECRET}"}\n`), undefined, {
      transformLine: () => {
        throw new Error('boom');
      },
    });
    assert.ok(!JSON.stringify(events).includes(SECRET));
    assert.ok(!lines.join('').includes(SECRET));
    assert.equal(events[0]!.kind, 'unparsed');
  });

  it('keeps unknown event types whole as `other`, and JSON without a type as unparsed', () => {
    const { events } = readAll(
      Buffer.from(
        '{"type":"system","subtype":"init"}\n{"type":"rate_limit_event","rate_limit_info":{"status":"allowed"}}\n[1,2]\n{"no":"type"}\n',
      ),
    );
    assert.deepEqual(
      events.map((e) => e.kind),
      ['init', 'other', 'unparsed', 'unparsed'],
    );
    assert.deepEqual(events[1], {
      kind: 'other',
      line: 2,
      type: 'rate_limit_event',
      data: { type: 'rate_limit_event', rate_limit_info: { status: 'allowed' } },
    });
  });

  it('turns a known type of the wrong shape into unparsed, never a throw', () => {
    const { events } = readAll(
      Buffer.from(
        '{"type":"system","subtype":"init","tools":"Bash"}\n{"type":"assistant","message":{"content":"text, not blocks"}}\n{"type":"result","usage":[1],"num_turns":"two"}\n',
      ),
    );
    assert.deepEqual(
      events.map((e) => e.kind),
      ['init', 'other', 'result'],
    );
  });

  it('uses a given format without detecting', () => {
    const { events } = readAll(Buffer.from('{"type":"error","message":"Reconnecting... 1/5 (boom)"}\n'), undefined, {
      formats: formatsOf('codex'),
    });
    assert.deepEqual(
      events.map((e) => e.kind),
      ['retry', 'result'],
    );
  });

  it('delivers events in one batch per push', () => {
    const bytes = fixture('claude-code-2.1.126/tool-call').bytes;
    assert.equal(readAll(bytes).batches, 1);
    const batches: TrajectoryEvent[][] = [];
    const reader = createTrajectoryReader({ formats: TRAJECTORY_FORMATS, onEvents: (b) => batches.push(b) });
    const half = bytes.indexOf('\n', bytes.length / 2) + 1;
    reader.push(bytes.subarray(0, half));
    reader.push(bytes.subarray(half));
    reader.end();
    assert.equal(batches.length, 2);
    assert.equal(batches.flat().length, 7);
  });

  it('codex: a stream cut mid-turn ends as a failed, incomplete result', () => {
    const text = fixture('codex-0.169.0/shell-command').bytes.toString('utf8').split('\n').slice(0, 5).join('\n');
    const result = readAll(Buffer.from(text)).events.at(-1)!;
    assert.equal(result.kind, 'result');
    assert.equal(result.kind === 'result' && result.subtype, 'incomplete');
    assert.equal(result.kind === 'result' && result.status, 'failed');
  });

  it('claude with --include-partial-messages: usage per call from the stream events', () => {
    const lines = [
      { type: 'system', subtype: 'init', tools: [] },
      {
        type: 'stream_event',
        event: {
          type: 'message_start',
          message: { usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 } },
        },
      },
      { type: 'stream_event', event: { type: 'message_delta', usage: { output_tokens: 42 } } },
    ];
    const { events } = readAll(Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n')));
    const usage = events.find((e) => e.kind === 'usage');
    assert.deepEqual(usage, {
      kind: 'usage',
      line: 3,
      turn: 1,
      usage: { input: 15, output: 42, cacheRead: 5, cacheWrite: 0, reasoning: 0 },
    });
  });
});
