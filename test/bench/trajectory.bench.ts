// Trajectory parsing speed and replay memory: whether the reader keeps up with what agents print, and whether
// `jetty-runbook replay --summary` stays in bounded memory on a log of any size. Each figure is printed next to a
// baseline measured in the same run, with its target.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import type * as AgentsModule from '../../src/core/agents';
import type * as ReaderModule from '../../src/core/trajectory/reader';
import { AGENT_IDS, type AgentId } from '../../src/core/catalog';
import { printRow } from './measure';

// The reader as it ships: bundled by esbuild into one scope (the extension and the CLI are bundles). Loaded from source
// through tsx instead, every call across modules goes through an export getter, which is not what users run.
const bundle = path.join(__dirname, '..', '..', '.cache', 'bench', 'trajectory-reader.cjs');
buildSync({
  stdin: {
    contents: "export * from './src/core/trajectory/reader'; export { ADAPTERS } from './src/core/agents';",
    resolveDir: path.join(__dirname, '..', '..'),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: bundle,
  logLevel: 'warning',
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createTrajectoryReader, ADAPTERS } = require(bundle) as typeof ReaderModule & typeof AgentsModule;

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'trajectories');
const MB = 1024 * 1024;
const CHUNK = 64 * 1024;

const CLI = path.join(__dirname, '..', '..', 'src', 'cli.ts');
/** The baseline of the replay benchmarks: a process that reads the same stream and drops it. */
const PLAIN_READER = [
  '--import',
  'tsx',
  '-e',
  "process.stdin.on('data', () => {}); process.stdin.on('end', () => console.log('read'));",
];

function block(prefix: string, targetBytes: number): Buffer {
  const lines: string[] = [];
  for (const folder of readdirSync(FIXTURES).filter((f) => f.startsWith(prefix))) {
    for (const file of readdirSync(path.join(FIXTURES, folder)).filter((f) => f.endsWith('.jsonl'))) {
      lines.push(
        ...readFileSync(path.join(FIXTURES, folder, file), 'utf8')
          .split('\n')
          .filter((l) => l.trim()),
      );
    }
  }
  const unit = lines.join('\n') + '\n';
  return Buffer.from(unit.repeat(Math.max(1, Math.ceil(targetBytes / Buffer.byteLength(unit)))));
}

/** Splits chunks into lines and JSON.parses each: the least any line-oriented JSON reader must do. */
function createBaseline(): { push(chunk: Buffer): void; end(): number } {
  const decoder = new TextDecoder();
  let rest = '';
  let parsed = 0;
  return {
    push(chunk) {
      const text = rest + decoder.decode(chunk, { stream: true });
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const line of lines) if (line) parsed += JSON.parse(line) ? 1 : 0;
    },
    end() {
      if (rest) parsed += JSON.parse(rest) ? 1 : 0;
      return parsed;
    },
  };
}

function createReader(agent: AgentId): { push(chunk: Buffer): void; end(): number } {
  let events = 0;
  const reader = createTrajectoryReader({
    formats: ADAPTERS[agent].format,
    onEvents: (batch) => (events += batch.length),
  });
  return {
    push: (chunk) => reader.push(chunk),
    end() {
      reader.end();
      return events;
    },
  };
}

/** Seconds to feed one copy of `data` in CHUNK-sized pieces to `target`. */
function feed(data: Buffer, target: { push(chunk: Buffer): void }): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < data.length; i += CHUNK) target.push(data.subarray(i, i + CHUNK));
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Parse throughput: ≥ 200 MB of the agent's lines (its recorded fixture lines repeated), fed in 64 KB chunks through
 * the full reader as bundled (split → parse → events, the agent's own format as a run gives it), next to a baseline
 * that only splits the same chunks into lines and JSON.parses each. Target: ≥ 1.0× the baseline's MB/s.
 */
function parseBench(agent: AgentId): void {
  const data = block(`${agent}-`, 8 * MB);
  const repeat = Math.ceil((200 * MB) / data.length);
  // The machine is shared and its load swings within seconds: the two alternate every 8 MB, so both see the same
  // moments, and each figure is its total bytes over its total time.
  const base = createBaseline();
  const ours = createReader(agent);
  feed(data, base);
  feed(data, ours); // warm-up
  let baseSeconds = 0;
  let ourSeconds = 0;
  for (let r = 0; r < repeat; r++) {
    baseSeconds += feed(data, base);
    ourSeconds += feed(data, ours);
  }
  if (base.end() === 0 || ours.end() === 0) throw new Error('nothing parsed');
  const total = (data.length * repeat) / MB;
  const b = total / baseSeconds;
  const o = total / ourSeconds;
  printRow({
    name: `parse ${agent}, ${Math.round(total)} MB in 64 KB chunks`,
    value: o,
    unit: 'MB/s',
    baseline: b,
    target: '≥ 1.0× baseline (split + JSON.parse)',
    met: o >= b,
  });
}

/**
 * Runs `args` with stdin fed `totalBytes` of `data` (repeated; or a function giving each next piece), polling its peak
 * RSS; returns [peak MB, stdout].
 */
function peakRss(args: string[], data: Buffer | (() => Buffer), totalBytes: number): Promise<[number, string]> {
  const next = typeof data === 'function' ? data : () => data;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {
        // the process has just exited
      }
    }, 50);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`${args.join(' ')} exited with ${code}`));
      else resolve([peakKb / 1024, out]);
    });
    let sent = 0;
    const pump = () => {
      while (sent < totalBytes) {
        const whole = next();
        const piece = whole.subarray(0, Math.min(whole.length, totalBytes - sent));
        sent += piece.length;
        if (!child.stdin.write(piece)) return void child.stdin.once('drain', pump);
      }
      child.stdin.end();
    };
    child.stdin.on('error', () => undefined);
    pump();
  });
}

/**
 * `jetty-runbook replay - --summary` on a 1 GB stream generated on the fly through a pipe (nothing written to disk):
 * peak RSS of the replay process, next to a process that only reads the same stream. Target: < 150 MB.
 */
async function replayBench(): Promise<void> {
  const data = block('claude-code', 4 * MB);
  const total = 1024 * MB;
  const [base] = await peakRss(PLAIN_READER, data, total);
  const [peak, summary] = await peakRss(['--import', 'tsx', CLI, 'replay', '-', '--summary'], data, total);
  const results = /result: (\d+)/.exec(summary)?.[1];
  if (!results || Number(results) < 1000) throw new Error(`replay --summary printed no plausible summary:\n${summary}`);
  printRow({
    name: 'replay - --summary on a 1 GB claude-code stream through a pipe: peak RSS',
    value: peak,
    unit: 'MB',
    baseline: base,
    target: '< 150 MB',
    met: peak < 150,
  });
}

/**
 * A log of 2 million Bash calls, each with an id of its own and no result (a hostile or cut-short log): the parser's
 * memory of calls in flight is bounded, so the summary's peak stays that of any log. Baseline: the same bytes read
 * and dropped.
 */
async function replayDistinctIdsBench(): Promise<void> {
  const calls = 2_000_000;
  const perPiece = 10_000;
  let made = 0;
  const piece = () => {
    const lines: string[] = [];
    for (let i = 0; i < perPiece; i++, made++)
      lines.push(
        `{"type":"assistant","message":{"id":"msg_${String(made).padStart(8, '0')}","content":[{"type":"tool_use","id":"toolu_${made.toString(36).padStart(12, '0')}","name":"Bash","input":{"command":"true"}}]}}`,
      );
    return Buffer.from(`${lines.join('\n')}\n`);
  };
  const total = piece().length * (calls / perPiece); // every piece is as long: the ids are fixed-width
  made = 0;
  const [base] = await peakRss(PLAIN_READER, piece, total);
  made = 0;
  const [peak, summary] = await peakRss(['--import', 'tsx', CLI, 'replay', '-', '--summary'], piece, total);
  if (!/command-started: 2000000/.test(summary))
    throw new Error(`replay --summary did not count the calls:\n${summary}`);
  printRow({
    name: `replay - --summary on ${calls / 1e6} M distinct command ids without results (${Math.round(total / MB)} MB): peak RSS`,
    value: peak,
    unit: 'MB',
    baseline: base,
    target: '< 150 MB',
    met: peak < 150,
  });
}

async function main(): Promise<void> {
  for (const agent of AGENT_IDS) parseBench(agent);
  await replayBench();
  await replayDistinctIdsBench();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
