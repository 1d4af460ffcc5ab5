// The sandbox layer's share of the run's latency, on a zero-latency fake Daytona through the real SDK: the time from a
// line printed in the sandbox to its delivery by stream() (over the log socket, and over the polling fallback), and the
// time from create() to the first output. The baseline is the local sandbox (a plain pipe) measured in the same run.
import { createDaytonaProvider } from '../../src/core/run/daytona';
import { createLocalProvider } from '../../src/core/run/local';
import type { SandboxProvider } from '../../src/core/run/sandbox';
import { startFakeDaytona } from '../fakes/daytona';
import { percentile, printRow } from './measure';

const LINES = 200;
// Each line carries its wall-clock print time; node's timeOrigin + now() is sub-millisecond and shared across processes.
const printer = `node -e 'let i = 0; const t = setInterval(() => { console.log(JSON.stringify({ i, at: performance.timeOrigin + performance.now(), pad: "x".repeat(300) })); if (++i === ${LINES}) clearInterval(t); }, 5)'`;

async function lineLatencies(provider: SandboxProvider): Promise<number[]> {
  const sandbox = await provider.create({ env: {} });
  const latencies: number[] = [];
  let partial = '';
  await sandbox.stream(printer, {
    onStdout: (chunk) => {
      const now = performance.timeOrigin + performance.now();
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) latencies.push(now - (JSON.parse(line) as { at: number }).at);
    },
  });
  await sandbox.delete();
  if (latencies.length !== LINES) throw new Error(`expected ${LINES} lines, got ${latencies.length}`);
  return latencies;
}

async function firstOutput(provider: SandboxProvider): Promise<number> {
  const start = performance.now();
  const sandbox = await provider.create({ env: {} });
  let first = 0;
  await sandbox.stream('echo ready', { onStdout: () => (first ||= performance.now() - start) });
  await sandbox.delete();
  return first;
}

async function main(): Promise<void> {
  const fake = await startFakeDaytona({ logCloseDelayMs: 100, startDelayMs: 0 });
  const daytona = createDaytonaProvider({ apiKey: fake.apiKey, apiUrl: fake.apiUrl, target: 'us' });
  const local = createLocalProvider();
  try {
    await lineLatencies(daytona); // warm-up: loads the SDK, JITs both paths
    const baseline = await lineLatencies(local);
    const socket = await lineLatencies(daytona);
    for (const p of [50, 95]) {
      const value = percentile(socket, p);
      printRow({
        name: `line printed → delivered, log socket, p${p}`,
        value,
        unit: 'ms',
        baseline: percentile(baseline, p),
        target: p === 95 ? '< 100 ms' : undefined,
        met: p === 95 ? value < 100 : undefined,
      });
    }
    fake.faults.logSocketUpgradeStatus = 502;
    const polled = await lineLatencies(daytona);
    fake.faults.logSocketUpgradeStatus = undefined;
    printRow({
      name: 'line printed → delivered, polling fallback (1 s), p50',
      value: percentile(polled, 50),
      unit: 'ms',
      baseline: percentile(baseline, 50),
      target: '< 1100 ms',
      met: percentile(polled, 50) < 1100,
    });

    const starts: number[] = [];
    const localStarts: number[] = [];
    for (let i = 0; i < 5; i++) {
      starts.push(await firstOutput(daytona));
      localStarts.push(await firstOutput(local));
    }
    const overhead = percentile(starts, 50);
    printRow({
      name: 'create() → first output, median',
      value: overhead,
      unit: 'ms',
      baseline: percentile(localStarts, 50),
      target: '< 300 ms',
      met: overhead < 300,
    });
  } finally {
    await daytona.dispose();
    await fake.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
