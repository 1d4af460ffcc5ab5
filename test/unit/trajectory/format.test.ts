// The log-line formatter and the one safe JSON stringify for events (format.ts), on cases the recorded fixtures do not
// cover: nesting JSON.parse accepts but JSON.stringify cannot print.
import assert from 'node:assert/strict';
import { CUT_NESTING, fullText, stringifyEvent } from '../../../src/core/trajectory/format';
import { readAll } from './helpers';

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

describe('stringifyEvent', () => {
  it('gives valid JSON for an event nested deeper than JSON.stringify can go, cutting only the deep part', () => {
    const line = `{"type":"rate_limit_event","when":"now","d":${nested(100_000)}}`;
    const { events } = readAll(Buffer.from(line + '\n'), undefined, { format: 'claude-code' });
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

  it("a deeply nested tool input still opens as a document", () => {
    const line = `{"type":"assistant","message":{"id":"m","content":[{"type":"tool_use","id":"t","name":"Bash","input":${nested(50_000)}}]}}`;
    const { events } = readAll(Buffer.from(line + '\n'), undefined, { format: 'claude-code' });
    assert.equal(events[0]!.kind, 'tool-call');
    assert.match(fullText(events[0]!), /^Tool: Bash\nCall id: t\n\nInput:\n\[\n/);
  });
});
