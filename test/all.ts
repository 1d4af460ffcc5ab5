// npm test: every check, in order (typecheck, lint, format, unit, e2e, integration), each stage's output printed as it
// comes. A failed stage does not stop the later ones, so the closing line always counts everything:
//   N passed, N failed
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkSystemDependencies } from './host/vscode-server';

const ROOT = path.resolve(__dirname, '..');
const bin = (name: string): string => path.join(ROOT, 'node_modules', '.bin', name);

interface Step {
  /** What runs, for the header. */
  label: string;
  command: string;
  args: string[];
  /** Counted as one check (typecheck, lint) instead of reading mocha's totals. */
  single?: boolean;
}

interface Stage {
  name: string;
  /** Needs Debian packages (test/host/system-deps.sh): the offline VS Code server host, the sandboxes. */
  needsSystemPackages?: boolean;
  /** A folder whose *.test.ts files the stage runs: none there, and the stage says so and counts nothing. */
  testsIn?: string;
  steps: Step[];
}

const mocha = (config: string): Step => ({
  label: `mocha --config ${config}`,
  command: bin('mocha'),
  // Skipped and focused tests are forbidden in this project: mocha fails the run on them.
  args: ['--config', config, '--forbid-only', '--forbid-pending'],
});

const STAGES: Stage[] = [
  { name: 'typecheck', steps: [{ label: 'tsc --noEmit', command: bin('tsc'), args: ['--noEmit'], single: true }] },
  { name: 'lint', steps: [{ label: 'eslint .', command: bin('eslint'), args: ['.'], single: true }] },
  {
    name: 'format',
    steps: [
      {
        label: 'prettier --check .',
        command: bin('prettier'),
        args: ['--check', '--log-level=warn', '.'],
        single: true,
      },
    ],
  },
  { name: 'unit', testsIn: 'test/unit', steps: [mocha('test/unit/.mocharc.json')] },
  // The sandboxes need bubblewrap and sudo (test/host/system-deps.sh).
  { name: 'e2e', testsIn: 'test/e2e', needsSystemPackages: true, steps: [mocha('test/e2e/.mocharc.json')] },
  {
    name: 'integration',
    needsSystemPackages: true,
    steps: [
      {
        label: 'test/host/run.ts (the suite in test/suite, inside VS Code)',
        command: process.execPath,
        args: ['--import', 'tsx', 'test/host/run.ts'],
      },
      {
        label: 'test/host/run.ts --untrusted (the suite in test/suite-untrusted, in an untrusted workspace)',
        command: process.execPath,
        args: ['--import', 'tsx', 'test/host/run.ts', '--untrusted', 'test/suite-untrusted'],
      },
      { ...mocha('test/host/.mocharc.json'), label: 'the harness self-check (test/host/harness.test.ts)' },
    ],
  },
];

interface Result {
  name: string;
  passed: number;
  failed: number;
  /** Shown in the summary instead of the counts (e.g. "no e2e tests"). */
  note?: string;
  seconds: number;
}

let interrupted = false;
// Children get Ctrl-C from the terminal themselves (and stop their servers); here it only means "no further stage".
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (interrupted = true));

function hasTests(dir: string): boolean {
  const abs = path.join(ROOT, dir);
  if (!existsSync(abs)) return false;
  return readdirSync(abs, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith('.test.ts'));
}

function exec(step: Step, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: ROOT, env, stdio: 'inherit' });
    child.once('error', (error) => {
      console.error(`${step.label}: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Sums the totals the reporter appended (test/reporter.cjs appends a mocha stage's totals to $JETTY_TEST_STATS); a run
 * that failed without reporting a failure counts as one.
 */
function readStats(file: string): { passes: number; failures: number; reports: number } {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  let passes = 0;
  let failures = 0;
  for (const line of lines) {
    const stats = JSON.parse(line) as { passes: number; failures: number; pending: number };
    passes += stats.passes;
    // --forbid-pending already fails the run; a pending test still counts against it here.
    failures += stats.failures + stats.pending;
  }
  return { passes, failures, reports: lines.length };
}

async function runStage(stage: Stage, systemReady: boolean): Promise<Result> {
  const started = Date.now();
  const result: Result = { name: stage.name, passed: 0, failed: 0, seconds: 0 };
  console.log(`\n━━ ${stage.name} ━━`);
  if (stage.needsSystemPackages && !systemReady) {
    console.log('not run: Debian packages are missing (see the first lines of this output)');
    return { ...result, failed: 1, note: 'not run: missing Debian packages' };
  }
  if (stage.testsIn && !hasTests(stage.testsIn)) {
    console.log(`no ${stage.name} tests (no *.test.ts under ${stage.testsIn}/)`);
    return { ...result, note: `no ${stage.name} tests` };
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jetty-stats-'));
  try {
    for (const [i, step] of stage.steps.entries()) {
      if (interrupted) break;
      if (stage.steps.length > 1 || !step.single) console.log(`── ${step.label}`);
      const statsFile = path.join(tmp, `${i}.jsonl`);
      const code = await exec(step, { ...process.env, JETTY_TEST_STAGE: stage.name, JETTY_TEST_STATS: statsFile });
      if (step.single) {
        if (code === 0) result.passed++;
        else result.failed++;
        continue;
      }
      const stats = readStats(statsFile);
      result.passed += stats.passes;
      result.failed += stats.failures;
      if (code !== 0 && stats.failures === 0) {
        // Crashed, failed to compile, or the suite never started: that is a failure even though no test said so.
        result.failed++;
        console.log(`${step.label} exited with ${code} without reporting a failed test: counted as 1 failed.`);
      } else if (code === 0 && stats.reports === 0) {
        result.failed++;
        console.log(`${step.label} exited 0 but reported no tests: counted as 1 failed.`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

async function main(): Promise<number> {
  const started = Date.now();
  // A missing browser or header is said once, plainly, before any stage starts (desktop VS Code needs neither); the
  // stages that do not need them still run, so the closing line counts everything.
  const systemReady = (process.env.JETTY_TEST_HOST ?? 'server') !== 'server' || checkSystemDependencies();
  const results: Result[] = [];
  for (const stage of STAGES) {
    if (interrupted) break;
    results.push(await runStage(stage, systemReady));
  }

  console.log('\n━━ summary ━━');
  for (const r of results) {
    const counts =
      r.note ??
      (STAGES.find((s) => s.name === r.name)?.steps.every((s) => s.single)
        ? r.failed
          ? 'FAILED'
          : 'passed'
        : `${r.passed} passed, ${r.failed} failed`);
    console.log(`  ${r.name.padEnd(12)} ${counts.padEnd(24)} ${r.note ? '' : `${r.seconds.toFixed(1)} s`}`);
  }
  const failedStages = results.filter((r) => r.failed > 0).map((r) => r.name);
  if (interrupted) console.log('Interrupted: the stages after the last one above did not run.');
  if (failedStages.length) console.log(`Failed stages: ${failedStages.join(', ')}`);
  console.log(`Total time ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0) + (interrupted ? 1 : 0);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

void main().then((code) => process.exit(code));
