// Fuzz: well over 100,000 mutated lines built from the recorded fixtures (truncations, byte flips, wrong field types,
// deep nesting, huge lines, random bytes) go through the reader, the formatter, the JSON output and the summary. Nothing
// may throw, and every non-blank input line must be accounted for by at least one event carrying its line number.
import assert from 'node:assert/strict';
import type { TrajectoryEvent } from '../../../../src/core/trajectory/events';
import { formatEvent, stringifyEvent } from '../../../../src/core/trajectory/format';
import { createTrajectoryReader } from '../../../../src/core/trajectory/reader';
import { createSummaryBuilder } from '../../../../src/core/trajectory/summary';
import { fixtures, random } from './helpers';
import { formatsOf } from '../../../../src/core/agents';
import { AGENT_IDS } from '../../../../src/core/catalog';

const TOTAL_LINES = 120_000;
const PER_STREAM = 2_000;

const seedLines = fixtures().flatMap((f) =>
  f.bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim()),
);

const WEIRD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  '',
  'x',
  true,
  [],
  {},
  [null],
  { type: 'text' },
  '\u0000',
  'a'.repeat(1000),
];

function mutateValue(value: unknown, rnd: () => number, depth = 0): unknown {
  if (depth > 6 || rnd() < 0.15) return WEIRD_VALUES[Math.floor(rnd() * WEIRD_VALUES.length)];
  if (Array.isArray(value)) return value.map((v) => (rnd() < 0.3 ? mutateValue(v, rnd, depth + 1) : v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (rnd() < 0.05) continue; // drop a field
      out[k] = rnd() < 0.3 ? mutateValue(v, rnd, depth + 1) : v;
    }
    return out;
  }
  return value;
}

function deep(depth: number): string {
  return `{"type":"assistant","message":{"id":"m","content":[{"type":"tool_use","id":"t","name":"Bash","input":${'['.repeat(depth)}${']'.repeat(depth)}}]}}`;
}

function mutate(line: string, rnd: () => number): string {
  const r = rnd();
  if (r < 0.2) return line.slice(0, Math.floor(rnd() * line.length)); // truncated
  if (r < 0.4) {
    // byte flips, possibly breaking UTF-8 or adding newlines
    const bytes = Buffer.from(line, 'utf8');
    for (let i = 0; i < 1 + rnd() * 4; i++) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
    return bytes.toString('latin1');
  }
  if (r < 0.75) {
    try {
      return JSON.stringify(mutateValue(JSON.parse(line), rnd));
    } catch {
      return line;
    }
  }
  if (r < 0.755) {
    // 100,000 levels: more than JSON.parse takes; 6,000: JSON.parse takes it, JSON.stringify overflows its stack.
    const d = rnd();
    return deep(d < 0.2 ? 100_000 : d < 0.3 ? 6_000 : 10 + Math.floor(rnd() * 2_000));
  }
  if (r < 0.85) return `${line.slice(0, 40)}${'"\\u00e9x'.repeat(Math.floor(rnd() * 500))}`; // escapes, unterminated
  if (r < 0.9)
    return Array.from({ length: Math.floor(rnd() * 200) }, () => String.fromCharCode(Math.floor(rnd() * 0xffff))).join(
      '',
    );
  if (r < 0.91)
    return JSON.stringify({
      type: ['system', 'assistant', 'user', 'result', 'item.completed', 'turn.completed', 'error', 'turn.failed'][
        Math.floor(rnd() * 8)
      ],
      item: mutateValue({ id: 'x', type: 'command_execution' }, rnd),
      message: mutateValue({ content: [{ type: 'tool_use' }] }, rnd),
    });
  if (r < 0.93) {
    // The shapes of the other three formats, with their fields mutated: gemini-cli, opencode, hermes through ACP.
    const shapes = [
      {
        type: ['tool_use', 'tool_result', 'message', 'result'][Math.floor(rnd() * 4)],
        timestamp: 't',
        tool_id: 'x',
        stats: {},
      },
      {
        type: ['tool_use', 'step_finish', 'error'][Math.floor(rnd() * 3)],
        timestamp: 1,
        sessionID: 's',
        part: { tool: 'bash', state: { status: 'completed', metadata: {} }, tokens: { cache: {} } },
      },
      {
        jsonrpc: '2.0',
        method: 'session/update',
        params: {
          update: {
            sessionUpdate: ['tool_call', 'tool_call_update', 'agent_message_chunk'][Math.floor(rnd() * 3)],
            kind: 'execute',
            title: 'terminal: x',
            status: 'completed',
            content: [{ content: { text: 'terminal result\n- **exit_code:** 1' } }],
          },
        },
      },
      { jsonrpc: '2.0', id: 3, result: { stopReason: 'end_turn', usage: {}, sessionId: 's', models: {} } },
    ];
    return JSON.stringify(mutateValue(shapes[Math.floor(rnd() * shapes.length)], rnd));
  }
  return line;
}

describe('trajectory fuzz', function () {
  this.timeout(120_000);

  it(`${TOTAL_LINES} mutated lines never throw, and every line is accounted for`, () => {
    const rnd = random(20240521);
    let fed = 0;
    let eventsSeen = 0;
    let stream = 0;
    while (fed < TOTAL_LINES) {
      const lines: string[] = [];
      for (let i = 0; i < PER_STREAM; i++) lines.push(mutate(seedLines[Math.floor(rnd() * seedLines.length)]!, rnd));
      if (stream % 10 === 3) lines.push('h'.repeat(300_000)); // over the (lowered) maximum line length
      fed += lines.length;
      const bytes = Buffer.from(lines.join(rnd() < 0.5 ? '\n' : '\r\n'), 'latin1');
      const seen: number[] = [];
      const covered = new Set<number>();
      const summary = createSummaryBuilder();
      let streamEvents = 0;
      const format = [undefined, ...AGENT_IDS][stream % (AGENT_IDS.length + 1)];
      const reader = createTrajectoryReader({
        formats: formatsOf(format),
        maxLineLength: 100_000,
        onLine: (line, n) => {
          if (line.trim()) seen.push(n);
        },
        onEvents: (batch: TrajectoryEvent[]) => {
          eventsSeen += batch.length;
          streamEvents += batch.length;
          summary.add(batch);
          for (const e of batch) {
            covered.add(e.line);
            formatEvent(e);
            // What `replay`/`run --format json` print: valid JSON for every event, however deep its input was.
            assert.equal((JSON.parse(stringifyEvent(e)) as TrajectoryEvent).kind, e.kind);
          }
        },
      });
      for (let i = 0; i < bytes.length;) {
        const n = 1 + Math.floor(rnd() * 64 * 1024);
        reader.push(bytes.subarray(i, i + n));
        i += n;
      }
      reader.end();
      for (const n of seen) assert.ok(covered.has(n), `stream ${stream} (${format}): line ${n} has no event`);
      assert.equal(
        Object.values(summary.summary.counts).reduce((a, b) => a + b, 0),
        streamEvents,
        `stream ${stream}: every event counted once`,
      );
      stream++;
    }
    assert.ok(fed >= 100_000);
    assert.ok(eventsSeen >= fed * 0.9);
  });
});
