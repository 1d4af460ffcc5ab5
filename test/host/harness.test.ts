// The integration harness proves itself: a suite with a deliberately failing test, run through the very runner
// `npm test` uses (test/host/run.ts, in a real VS Code), must make it exit non-zero and name the failure; the same
// suite without that test must exit 0. If the runner ever swallowed a failure, this is what would say so.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');

interface Run {
  status: number | null;
  output: string;
}

function runSuite(suite: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const inherited = { ...process.env };
  // This self-check's inner runs must not count into `npm test`'s totals, nor inherit a caller's filter.
  delete inherited.JETTY_TEST_STATS;
  delete inherited.JETTY_TEST_GREP;
  delete inherited.JETTY_TEST_SUITE;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/host/run.ts'), suite], {
      cwd: ROOT,
      env: { ...inherited, JETTY_TEST_TIMEOUT_SECONDS: '240', JETTY_TEST_SKIP_BUILD: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    // Mocha's check marks carry colours of their own whenever the environment allows them (CI=true does).
    child.once('close', (status) => resolve({ status, output: stripVTControlCharacters(output) }));
  });
}

function explain(run: Run): string {
  return `exit ${run.status}; the runner printed:\n${run.output}`;
}

describe('integration harness (test/host/run.ts)', () => {
  before(() => {
    // Built once here; each run below skips the build (JETTY_TEST_SKIP_BUILD).
    const build = spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, `node esbuild.mjs --tests failed:\n${build.stdout}${build.stderr}`);
  });

  it('reports a failing test inside VS Code with a non-zero exit code, naming the test and its message', async () => {
    const run = await runSuite('test/host/failing-suite');
    assert.ok(run.status !== null && run.status !== 0, explain(run));
    assert.match(run.output, /VS Code \d+\.\d+\.\d+/, 'prints the VS Code version it ran');
    assert.match(run.output, /✔ passes inside a real VS Code/, explain(run));
    assert.match(run.output, /1\) fails on purpose/, explain(run));
    assert.match(run.output, /deliberate failure from the harness self-check/, explain(run));
    assert.match(run.output, /1 failing/, explain(run));
  });

  it('exits 0 when every test of the suite passes', async () => {
    const run = await runSuite('test/host/failing-suite', { JETTY_TEST_GREP: 'passes inside a real VS Code' });
    assert.equal(run.status, 0, explain(run));
    assert.match(run.output, /1 passing/, explain(run));
    assert.doesNotMatch(run.output, /\d+ failing/, explain(run));
  });

  it('refuses a folder that holds no suite, with a message', async () => {
    const run = await runSuite('test/no-such-suite');
    assert.equal(run.status, 2, explain(run));
    assert.match(run.output, /No suite at out\/test\/no-such-suite\/index\.js/, explain(run));
  });
});
