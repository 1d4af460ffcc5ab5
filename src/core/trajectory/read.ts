// Reading a saved trajectory from start to end: a file, standard input or bytes already in memory, streamed in chunks
// through the reader (redaction first), with the events handed over one batch per chunk. The one way every consumer
// reads a trajectory (the tree's "Open Trajectory Log…", past runs, the run view, `replay`, `compare`): it never
// throws on input, and says how far it got when a file cannot be read.
import { createReadStream } from 'node:fs';
import type { TrajectoryEvent } from './events';
import type { TrajectoryFormat } from './parser';
import { createTrajectoryReader } from './reader';

export interface ReadTrajectoryOptions {
  /** The stream's format when the caller knows it (the agent's, from the registry); several to recognise it. */
  formats: TrajectoryFormat | readonly TrajectoryFormat[];
  /** Applied to every line before it is parsed: the redactor. */
  transformLine?: (line: string) => string;
  /** One batch per chunk read. A promise returned here is awaited before the next chunk (backpressure). */
  onEvents(batch: TrajectoryEvent[]): void | Promise<void>;
  /** Told once, as soon as the format is known. */
  onFormat?: (format: string) => void;
}

export interface ReadTrajectoryResult {
  /** The format's id (its agent's), `unknown` when none was recognised. */
  format: string | undefined;
  lines: number;
  /** Bytes read before the end or the failure. */
  bytes: number;
  /** Why reading stopped early (ENOENT, EISDIR, a read error mid-way): the events up to there were delivered. */
  error?: unknown;
}

/** A file path, or the chunks themselves (standard input, a VS Code file's bytes). */
export type TrajectorySource = string | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

const CHUNK_BYTES = 256 * 1024;

export async function readTrajectory(
  source: TrajectorySource,
  options: ReadTrajectoryOptions,
): Promise<ReadTrajectoryResult> {
  let batch: TrajectoryEvent[] = [];
  const reader = createTrajectoryReader({
    formats: options.formats,
    transformLine: options.transformLine,
    onFormat: options.onFormat,
    // A loop, not push(...events): a batch of 100,000 spread as arguments overflows the stack.
    onEvents: (events) => {
      for (const event of events) batch.push(event);
    },
  });
  const deliver = async () => {
    if (batch.length === 0) return;
    const ready = batch;
    batch = [];
    await options.onEvents(ready);
  };
  let bytes = 0;
  let error: unknown;
  const chunks = typeof source === 'string' ? createReadStream(source, { highWaterMark: CHUNK_BYTES }) : source;
  const iterator = (Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]()) as
    AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string>;
  let done = false;
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array | string>;
      try {
        next = await iterator.next();
      } catch (failure) {
        error = failure;
        done = true;
        break;
      }
      if (next.done) {
        done = true;
        break;
      }
      bytes += next.value.length;
      reader.push(next.value);
      // Outside the inner try: what the consumer throws is its own failure, not the file's.
      await deliver();
    }
  } finally {
    // The consumer threw: the file is closed all the same.
    if (!done) await iterator.return?.();
  }
  // A stream cut short still gives what it had: its last, unfinished line included.
  reader.end();
  await deliver();
  return { format: reader.format, lines: reader.lines, bytes, ...(error !== undefined ? { error } : {}) };
}
