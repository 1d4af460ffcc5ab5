// Small shared helpers for benchmarks: timing samples, percentiles, and the one row format every benchmark prints,
// a figure next to the baseline measured in the same run (these machines are shared and noisy: absolute numbers
// from another run mean little).

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times, and returns each run's duration in milliseconds. */
export function sample(fn: () => void, runs: number, warmup = Math.min(50, runs)): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out;
}

export async function sampleAsync(
  fn: () => Promise<void>,
  runs: number,
  warmup = Math.min(5, runs),
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out;
}

export interface Row {
  /** What was measured, e.g. "lint, typical runbook (1 KB), median". */
  name: string;
  value: number;
  unit: string;
  /** The same figure for the baseline measured in this run, if the benchmark has one. */
  baseline?: number;
  /** The target in words, e.g. "≤ 2× baseline" or "< 1 ms". */
  target?: string;
  /** Whether the target is met; printed as ok / MISSED. */
  met?: boolean;
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

export function printRow(row: Row): void {
  const parts = [`${row.name}: ${fmt(row.value)} ${row.unit}`];
  if (row.baseline !== undefined) {
    parts.push(`baseline ${fmt(row.baseline)} ${row.unit}`);
    if (row.baseline !== 0) parts.push(`ratio ${fmt(row.value / row.baseline)}×`);
  }
  if (row.target) parts.push(`target ${row.target}${row.met === undefined ? '' : row.met ? ' ok' : ' MISSED'}`);
  console.log(`  ${parts.join(' | ')}`);
}

export function rssMB(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}
