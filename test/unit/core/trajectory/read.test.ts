// readTrajectory, the one way a saved trajectory is read: a file streamed in chunks with a batch per chunk (the
// consumer's promise awaited before the next), chunks from standard input or memory, a file that cannot be read said
// with how far it got, and a consumer that throws gets its own error back, with the file closed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TRAJECTORY_FORMATS, formatsOf } from '../../../../src/core/agents';
import type { TrajectoryEvent } from '../../../../src/core/trajectory/events';
import { readTrajectory } from '../../../../src/core/trajectory/read';
import { FIXTURES } from './helpers';

describe('readTrajectory', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-trajectory-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a recorded file, detects its format and redacts each line before parsing', async () => {
    const events: TrajectoryEvent[] = [];
    const formats: string[] = [];
    const read = await readTrajectory(path.join(FIXTURES, 'codex-0.169.0', 'shell-command.jsonl'), {
      formats: TRAJECTORY_FORMATS,
      transformLine: (line) => line.replaceAll('hello', '***'),
      onEvents: (batch) => void events.push(...batch),
      onFormat: (format) => formats.push(format),
    });
    assert.equal(read.format, 'codex');
    assert.deepEqual(formats, ['codex']);
    assert.equal(read.error, undefined);
    assert.ok(read.bytes > 0 && read.lines > 5);
    const command = events.find((e) => e.kind === 'command-completed');
    assert.equal(command?.kind === 'command-completed' && command.output, '*** from the shell\n');
  });

  it('hands over a batch per chunk and waits for the consumer before reading on', async () => {
    const file = path.join(dir, 'big.jsonl');
    const line = JSON.stringify({
      type: 'item.completed',
      item: { id: 'i', type: 'agent_message', text: 'x'.repeat(100) },
    });
    fs.writeFileSync(file, `${line}\n`.repeat(6000));
    let inside = 0;
    let overlapped = false;
    let batches = 0;
    let events = 0;
    await readTrajectory(file, {
      formats: formatsOf('codex'),
      onEvents: async (batch) => {
        overlapped ||= inside > 0;
        inside++;
        batches++;
        events += batch.length;
        await new Promise((resolve) => setImmediate(resolve));
        inside--;
      },
    });
    assert.equal(events, 6000 + 1, 'every line, and the summed result at the end');
    assert.ok(batches > 1, `several chunks (${batches})`);
    assert.equal(overlapped, false, 'one batch at a time');
  });

  it('reads chunks from an iterable (standard input, a file VS Code read), a line cut between two chunks included', async () => {
    const events: TrajectoryEvent[] = [];
    const text = fs.readFileSync(path.join(FIXTURES, 'claude-code-2.1.126', 'tool-call.jsonl'), 'utf8');
    const read = await readTrajectory([text.slice(0, 777), text.slice(777)], {
      formats: TRAJECTORY_FORMATS,
      onEvents: (batch) => void events.push(...batch),
    });
    assert.equal(read.format, 'claude-code');
    assert.deepEqual(
      events.map((e) => e.kind),
      ['init', 'thinking', 'text', 'command-started', 'command-completed', 'text', 'result'],
    );
  });

  it('says why a file cannot be read, and how far it got', async () => {
    const missing = await readTrajectory(path.join(dir, 'none.jsonl'), {
      formats: TRAJECTORY_FORMATS,
      onEvents: () => {},
    });
    assert.equal((missing.error as NodeJS.ErrnoException).code, 'ENOENT');
    assert.equal(missing.bytes, 0);
    const folder = await readTrajectory(dir, { formats: TRAJECTORY_FORMATS, onEvents: () => {} });
    assert.equal((folder.error as NodeJS.ErrnoException).code, 'EISDIR');

    async function* cut() {
      yield '{"type":"thread.started","thread_id":"t"}\n{"type":"turn.sta';
      throw new Error('the pipe broke');
    }
    const events: TrajectoryEvent[] = [];
    const partial = await readTrajectory(cut(), {
      formats: TRAJECTORY_FORMATS,
      onEvents: (b) => void events.push(...b),
    });
    assert.equal((partial.error as Error).message, 'the pipe broke');
    assert.equal(events[0]?.kind, 'init', 'what came before the failure is delivered');
    assert.ok(
      events.some((e) => e.kind === 'unparsed'),
      'the cut line too',
    );
  });

  it("gives a consumer's own error back to it, not as a read failure, and closes the file", async () => {
    const file = path.join(dir, 'log.jsonl');
    fs.writeFileSync(file, '{"type":"thread.started","thread_id":"t"}\n');
    const open = () =>
      fs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false;
        }
      }).length;
    await assert.rejects(
      readTrajectory(file, {
        formats: TRAJECTORY_FORMATS,
        onEvents: () => {
          throw new Error('the view is gone');
        },
      }),
      /the view is gone/,
    );
    for (let waited = 0; open() > 0 && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    assert.equal(open(), 0, 'no file handle left open');
  });
});
