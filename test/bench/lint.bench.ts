// Lint latency and memory, as lint runs on every keystroke. Each figure is printed next to a baseline measured in the
// same run: the `yaml` parser alone on the same front-matter (lint does that parse plus the split, the schema, every
// rule and a scan of the body). Also measured: gray-matter's split of the same text (why parse.ts splits by itself).
import matter from 'gray-matter';
import { parseDocument } from 'yaml';
import { lint } from '../../src/core/runbook/lint';
import { parseRunbook } from '../../src/core/runbook/parse';
import { lintCorpus } from './corpus';
import { percentile, printRow, rssMB, sample } from './measure';

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

/** The gallery-shaped corpus: per runbook, the median of lint and of the baseline, alternated run by run. */
function corpus(): void {
  const entries = lintCorpus();
  const lintMedians: number[] = [];
  const yamlMedians: number[] = [];
  for (const entry of entries) {
    const [l, y] = alternate(
      () => void lint(entry.text),
      () => void parseDocument(entry.frontMatter),
      400,
    );
    lintMedians.push(percentile(l, 50));
    yamlMedians.push(percentile(y, 50));
  }
  const sizes = entries.map((e) => e.text.length / 1024);
  console.log(
    `  corpus: ${entries.length} gallery-shaped runbooks, ${Math.min(...sizes).toFixed(0)}-${Math.max(...sizes).toFixed(0)} KB, front-matter ${Math.min(...entries.map((e) => e.frontMatter.length))}-${Math.max(...entries.map((e) => e.frontMatter.length))} characters`,
  );
  const value = percentile(lintMedians, 50);
  const baseline = percentile(yamlMedians, 50);
  printRow({
    name: 'lint, gallery-shaped corpus, median per runbook',
    value,
    unit: 'ms',
    baseline,
    target: '≤ 1.5× baseline and < 0.5 ms',
    met: value <= 1.5 * baseline && value < 0.5,
  });
  const slowest = Math.max(...lintMedians.map((l, i) => l / yamlMedians[i]!));
  printRow({ name: '  slowest runbook against its own baseline', value: slowest, unit: '×' });
}

/** N unknown keys (`unknown_key_N: value N`), about 50 characters each: 10,000 are the 0.5 MB of the reproduction. */
function manyKeys(count: number): { text: string; frontMatter: string } {
  const lines = ['agent: claude-code'];
  for (let i = 0; i < count; i++) lines.push(`unknown_key_${i}: some value written here ${i}`);
  const frontMatter = lines.join('\n');
  return { text: runbook(frontMatter, '# Task\nWrite {{results_dir}}/a.md\n'), frontMatter };
}

// `uniqueKeys: false` as parse.ts has it: with its default the yaml package itself is quadratic in keys (2.3 s for 10,000).
const LINEAR_YAML = { uniqueKeys: false } as const;

/**
 * Lint linear in the number of front-matter keys (main: quadratic, 20 s for 10,000), and a front-matter past the parse
 * limit answered at once.
 */
function keys(): void {
  // Linear: per key, lint costs the same for 2,500 keys as for 10,000 (the parse limit lifted, to measure past it).
  const perKey: number[] = [];
  for (const count of [2500, 10_000]) {
    const { text, frontMatter } = manyKeys(count);
    const [l, y] = alternate(
      () => void lint(parseRunbook(text, { maxFrontMatterLength: Infinity })),
      () => void parseDocument(frontMatter, LINEAR_YAML),
      count > 5000 ? 8 : 20,
    );
    perKey.push(percentile(l, 50) / count);
    // No ratio target: each key is a finding (message, range, "did you mean"), more work than parsing its line.
    printRow({
      name: `lint, ${count.toLocaleString('en')} unknown keys (${(text.length / 1024).toFixed(0)} KB, parse limit lifted), median`,
      value: percentile(l, 50),
      unit: 'ms',
      baseline: percentile(y, 50),
    });
  }
  printRow({
    name: '  lint time per key, 10,000 keys against 2,500',
    value: perKey[1]! / perKey[0]!,
    unit: '×',
    target: '≤ 1.5 (linear)',
    met: perKey[1]! / perKey[0]! <= 1.5,
  });
  const { text, frontMatter } = manyKeys(10_000);
  const [l, y] = alternate(
    () => void lint(text),
    () => void parseDocument(frontMatter, LINEAR_YAML),
    8,
  );
  printRow({
    name: 'lint, 10,000 unknown keys (0.5 MB) as the editor and CLI lint it, median',
    value: percentile(l, 50),
    unit: 'ms',
    baseline: percentile(y, 50),
    target: '< 100 ms (one frontmatter-too-large finding)',
    met: percentile(l, 50) < 100 && lint(text).length === 1,
  });
}

/** A 25 MB front-matter that is never closed (no blank line either), linted once: time and memory. */
function unclosed(): void {
  const text = '---\nagent: claude-code\n' + 'key: value that goes on and on\n'.repeat(850_000);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = rssMB();
  const start = process.hrtime.bigint();
  const findings = lint(text);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const after = rssMB();
  printRow({
    name: `lint, ${(text.length / 1024 / 1024).toFixed(0)} MB unclosed front-matter: ${findings.map((f) => f.code).join(', ')}`,
    value: ms,
    unit: 'ms',
    target: '< 1000 ms, two findings',
    met: ms < 1000 && findings.length === 2,
  });
  printRow({
    name: '  resident memory after it',
    value: after,
    unit: 'MB',
    baseline: before,
    target: 'growth < 200 MB',
    met: after - before < 200,
  });
}

const typical = runbook(TYPICAL_FRONT_MATTER, TYPICAL_BODY);
console.log(
  `  typical runbook: ${typical.length} bytes; large: 200-key front-matter and a ${(largeBody().length / 1024 / 1024).toFixed(1)} MB body`,
);
corpus();
bench('typical runbook (~1 KB)', TYPICAL_FRONT_MATTER, TYPICAL_BODY, 3000, true);
bench('large runbook (1 MB body, 200 keys)', largeFrontMatter(), largeBody(), 60, false);
keys();
unclosed();
memory();
