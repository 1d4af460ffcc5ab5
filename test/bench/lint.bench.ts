// Lint latency and memory. Each figure is printed next to a baseline measured in the same run: the `yaml` parser alone on
// the same front-matter (lint does that parse plus the split, the schema, every rule and a scan of the body).
// Targets: lint ≤ 2× the baseline, a typical runbook under 1 ms, no memory growth over 10,000 consecutive lints.
// Also measured: gray-matter's split of the same text (why parse.ts splits by itself).
import matter from 'gray-matter';
import { parseDocument } from 'yaml';
import { lint } from '../../src/core/runbook/lint';
import { parseRunbook } from '../../src/core/runbook/parse';
import { percentile, printRow, sample } from './measure';

const TYPICAL_FRONT_MATTER = [
  'agent: claude-code',
  'model: us.anthropic.claude-sonnet-4-6',
  'model_provider: bedrock',
  'snapshot: python312-uv',
  'version: "1.2.0"',
  'evaluation: programmatic',
  'strict_evaluation: true',
  'primary_outputs:',
  '  - report.md',
  '  - data/results.csv',
  'secrets:',
  '  GITHUB_TOKEN:',
  '    env: GITHUB_TOKEN',
  '    description: Read access to the repository',
  '    required: true',
  'code_checks:',
  '  executor: jetty',
  '  timeout_sec: 600',
].join('\n');

const TYPICAL_BODY = `# Repository health report

Clone the repository with the token in \`{{secrets.GITHUB_TOKEN}}\`, then:

1. Run the test suite and record pass/fail counts.
2. Measure the build time of a clean build.
3. List the ten largest files and any file over 5 MB.
4. Summarise open TODO comments by directory.

Write the report to \`{{results_dir}}/report.md\` and the raw numbers to \`{{results_dir}}/data/results.csv\`.
Keep the report under two pages. Use tables where they help.
`;

function runbook(frontMatter: string, body: string): string {
  return `---\n${frontMatter}\n---\n${body}`;
}

function largeFrontMatter(): string {
  // 200 keys: the usual ones plus 190 declared secrets, one line each.
  const lines = TYPICAL_FRONT_MATTER.split('\n').filter(
    (l) => !l.startsWith(' ') && l !== 'secrets:' && l !== 'primary_outputs:' && l !== 'code_checks:',
  );
  lines.push('primary_outputs: [report.md]', 'secrets:');
  for (let i = 0; lines.length < 200; i++)
    lines.push(`  SECRET_${i}: {env: SECRET_${i}, required: false, description: "secret number ${i}"}`);
  return lines.join('\n');
}

function largeBody(): string {
  const paragraph =
    'Read the files under {{results_dir}}/input and summarise each one in two sentences; keep names as written.\n\n';
  return TYPICAL_BODY + paragraph.repeat(Math.ceil((1024 * 1024) / paragraph.length));
}

function bench(label: string, frontMatter: string, body: string, runs: number, target1ms: boolean): void {
  const text = runbook(frontMatter, body);
  // Lint and its baseline alternate run by run, so the noise of a shared machine (and GC pauses) falls on both alike.
  const [lintTimes, yamlTimes] = alternate(
    () => void lint(text),
    () => void parseDocument(frontMatter),
    runs,
  );
  const splitTimes = sample(() => void parseRunbook(text), runs);
  // gray-matter without options caches every text it sees; an options object turns the cache off (its own doc says so),
  // and the engine stub leaves out its js-yaml parse so only the split is measured.
  const grayTimes = sample(
    () => void matter(text, { engines: { yaml: () => ({}) } } as unknown as Parameters<typeof matter>[1]),
    runs,
  );
  for (const p of [50, 95]) {
    const value = percentile(lintTimes, p);
    const baseline = percentile(yamlTimes, p);
    const ok = value <= 2 * baseline && (!target1ms || value < 1);
    printRow({
      name: `lint, ${label}, ${p === 50 ? 'median' : 'p95'}`,
      value,
      unit: 'ms',
      baseline,
      target: target1ms ? '≤ 2× baseline and < 1 ms' : '≤ 2× baseline',
      met: ok,
    });
  }
  printRow({
    name: `  parse only (split + YAML + ranges), ${label}, median`,
    value: percentile(splitTimes, 50),
    unit: 'ms',
    baseline: percentile(yamlTimes, 50),
  });
  printRow({
    name: `  gray-matter split alone (no YAML), ${label}, median`,
    value: percentile(grayTimes, 50),
    unit: 'ms',
    baseline: percentile(yamlTimes, 50),
  });
}

function alternate(a: () => void, b: () => void, runs: number): [number[], number[]] {
  for (let i = 0; i < Math.min(50, runs); i++) {
    a();
    b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    ta.push(...sample(a, 1, 0));
    tb.push(...sample(b, 1, 0));
  }
  return [ta, tb];
}

function memory(): void {
  const text = runbook(TYPICAL_FRONT_MATTER, TYPICAL_BODY);
  const gc = (globalThis as { gc?: () => void }).gc;
  const heap = () => {
    gc?.();
    return process.memoryUsage().heapUsed / (1024 * 1024);
  };
  // Each lint sees a different text, as when typing: a cache keyed by content would show here.
  const variant = (i: number) => text.replace('Keep the report', `Keep report ${i}`);
  for (let i = 0; i < 1000; i++) lint(variant(i));
  const before = heap();
  for (let i = 0; i < 10_000; i++) lint(variant(i + 1000));
  const after = heap();
  printRow({
    name: 'heap after 10,000 lints of distinct texts',
    value: after,
    unit: 'MB',
    baseline: before,
    target: 'growth < 2 MB',
    met: after - before < 2,
  });
  if (!gc) console.log('  (run with --expose-gc for a settled heap figure)');
}

const typical = runbook(TYPICAL_FRONT_MATTER, TYPICAL_BODY);
console.log(
  `  typical runbook: ${typical.length} bytes; large: 200-key front-matter and a ${(largeBody().length / 1024 / 1024).toFixed(1)} MB body`,
);
bench('typical runbook (~1 KB)', TYPICAL_FRONT_MATTER, TYPICAL_BODY, 3000, true);
bench('large runbook (1 MB body, 200 keys)', largeFrontMatter(), largeBody(), 60, false);
memory();
