// Shared by the trajectory unit tests: the recorded fixtures, and reading a whole buffer through the reader in chunks.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TrajectoryEvent } from '../../../../src/core/trajectory/events';
import {
  createTrajectoryReader,
  type TrajectoryReader,
  type TrajectoryReaderOptions,
} from '../../../../src/core/trajectory/reader';
import { TRAJECTORY_FORMATS } from '../../../../src/core/agents';
import type { AgentId } from '../../../../src/core/catalog';

export const FIXTURES = path.resolve(__dirname, '../../../fixtures/trajectories');

export interface Fixture {
  /** e.g. `claude-code-2.1.126/tool-call` */
  name: string;
  /** The agent that printed it (the folder's name without the version). */
  cli: AgentId;
  bytes: Buffer;
  meta: { exitCode: number | null; args: string[] };
}

export function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const folder of readdirSync(FIXTURES).sort()) {
    for (const file of readdirSync(path.join(FIXTURES, folder)).sort()) {
      if (!file.endsWith('.jsonl')) continue;
      const base = file.slice(0, -'.jsonl'.length);
      out.push({
        name: `${folder}/${base}`,
        cli: folder.replace(/-\d+\.\d+\.\d+$/, '') as AgentId,
        bytes: readFileSync(path.join(FIXTURES, folder, file)),
        meta: JSON.parse(readFileSync(path.join(FIXTURES, folder, `${base}.meta.json`), 'utf8')),
      });
    }
  }
  return out;
}

export function fixture(name: string): Fixture {
  const found = fixtures().find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

/** Reads `bytes` through a reader, cut into chunks of the sizes `nextSize` gives; returns every event in order. */
export function readAll(
  bytes: Uint8Array,
  nextSize: () => number = () => bytes.length,
  options: Partial<TrajectoryReaderOptions> = {},
): { events: TrajectoryEvent[]; batches: number; lines: string[]; format: TrajectoryReader['format'] } {
  const events: TrajectoryEvent[] = [];
  const lines: string[] = [];
  let batches = 0;
  const reader = createTrajectoryReader({
    formats: TRAJECTORY_FORMATS,
    ...options,
    onEvents: (batch) => {
      batches++;
      events.push(...batch);
    },
    onLine: (line) => lines.push(line),
  });
  for (let i = 0; i < bytes.length;) {
    const size = Math.max(1, nextSize());
    reader.push(bytes.subarray(i, i + size));
    i += size;
  }
  reader.end();
  return { events, batches, lines, format: reader.format };
}

/** A small deterministic PRNG so a failing random test can be replayed. */
export function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}
