// A matrix run end to end: one gallery-shaped runbook on three agent × model pairs (claude-code with Sonnet and with
// Haiku, codex with gpt-5.4), each its own run in its own sandbox of the fake Daytona server, the real CLIs against the
// mock model servers, through `jetty-runbook run --matrix` and `jetty-runbook compare` and through the core's matrix
// (the concurrency limit, a cancel while the others go on, the comparison).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI_WORDS } from '../../src/cli/words';
import { loadRun } from '../../src/core/run/model';
import { pairName, parseMatrix, prepareMatrix, runMatrix, worstExitCode } from '../../src/core/run/matrix';
import { environmentLookups, type PreparedRun } from '../../src/core/run/prepare';
import { runPlan } from '../../src/core/run/runner';
import { readSettings, settingsFromEnv } from '../../src/core/settings';
import { compareRuns } from '../../src/core/view/comparison';
import { AGENT_CLI_VERSIONS, ensureAgentCli, repoRoot } from '../fakes/agent-clis';
import { startAnthropicMock, type AnthropicMock, type AnthropicStep } from '../fakes/anthropic';
import type { FakeDaytona } from '../fakes/daytona';
import { startOpenAIMock, type OpenAIMock, type OpenAIStep } from '../fakes/openai';
import { canary, filesUnder } from '../canary';
import { linkAgentClis, recordRuns, startDaytonaWithClis } from '../fakes/world';

const ROOT = repoRoot();
const ANTHROPIC_KEY = canary('MATRIX');
const OPENAI_KEY = `sk-proj-MATRIX-CANARY-${process.pid}`;
const RUNBOOK = `---
version: "1.0.0"
evaluation: programmatic
agent: claude-code
model: claude-sonnet-4-6
model_provider: anthropic
snapshot: python312-uv
primary_outputs:
  - report.md
---
# Greeting report

## Objective
Write a greeting into \`{{results_dir}}/report.md\` and evaluate it.

## REQUIRED OUTPUT FILES (MANDATORY)
| File | Description |
| --- | --- |
| \`{{results_dir}}/report.md\` | the greeting |
| \`{{results_dir}}/summary.md\` | what was done |
| \`{{results_dir}}/validation_report.json\` | the evaluation |
`;

const REPORT = JSON.stringify({
  version: '1.0.0',
  stages: [{ name: 'greeting_written', passed: true, message: 'report.md has a greeting' }],
  results: { pass: 1, partial: 0, fail: 0 },
  overall_passed: true,
});
const WRITE = `cd /app/results && echo "Hello" > report.md && echo "Greeted." > summary.md && printf '%s' '${REPORT}' > validation_report.json && ls`;

/** A claude-code run: the command that writes the results, then the answer. */
const claudeRun = (): AnthropicStep[] => [
  { blocks: [{ type: 'tool_use', name: 'Bash', input: { command: WRITE } }] },
  { blocks: [{ type: 'text', text: 'Wrote the report.' }] },
];
const codexRun = (command = WRITE): OpenAIStep[] => [
  { items: [{ type: 'function_call', name: 'exec_command', arguments: { cmd: command } }] },
  { items: [{ type: 'message', text: 'Wrote the report.' }] },
];

describe('matrix runs', function () {
  let fake: FakeDaytona;
  let bin: string;
  let folder: string;
  let models: (AnthropicMock | OpenAIMock)[] = [];

  before(async function () {
    this.timeout(15 * 60_000);
    await ensureAgentCli('claude-code', AGENT_CLI_VERSIONS.claudeCodePinned);
    await ensureAgentCli('codex', AGENT_CLI_VERSIONS.codex);
    bin = linkAgentClis(ROOT);
    fake = await startDaytonaWithClis(ROOT, bin, { apiKey: 'dtn_matrix_fake_key' });
  });
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-'));
    fs.writeFileSync(path.join(folder, 'report.runbook.md'), RUNBOOK);
  });
  afterEach(async () => {
    for (const model of models) await model.close();
    models = [];
    fs.rmSync(folder, { recursive: true, force: true });
    assert.deepEqual(fake.reset(), [], 'no sandbox is left alive');
  });
  after(async () => {
    await fake?.close();
    fs.rmSync(bin, { recursive: true, force: true });
  });

  async function environment(claude: AnthropicStep[], codex: OpenAIStep[], extra: Record<string, string> = {}) {
    const anthropic = await startAnthropicMock(claude);
    const openai = await startOpenAIMock(codex);
    models.push(anthropic, openai);
    return {
      anthropic,
      openai,
      env: {
        DAYTONA_API_KEY: fake.apiKey,
        DAYTONA_API_URL: fake.apiUrl,
        ANTHROPIC_API_KEY: ANTHROPIC_KEY,
        ANTHROPIC_BASE_URL: anthropic.url,
        OPENAI_API_KEY: OPENAI_KEY,
        OPENAI_BASE_URL: `${openai.url}/v1`,
        ...extra,
      },
    };
  }

  function cli(command: string, args: string[], env: Record<string, string>) {
    const child = spawn(
      process.execPath,
      [
        '--import',
        pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href,
        path.join(ROOT, 'src/cli.ts'),
        command,
        ...args,
      ],
      { cwd: folder, env: { PATH: process.env.PATH ?? '', HOME: folder, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    const waiters: (() => void)[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      for (const waiter of waiters) waiter();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const finished = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr })),
    );
    const printed = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => stdout.includes(text) && resolve();
        waiters.push(check);
        check();
      });
    return Object.assign(finished, { child, printed });
  }

  it('`run --matrix` runs the runbook on three pairs to the end, and `compare` prints them side by side', async () => {
    // One at a time: the two claude-code runs then take the Anthropic mock's steps in turn.
    const { env, anthropic, openai } = await environment([...claudeRun(), ...claudeRun()], codexRun(), {
      JETTY_RUN_MAX_CONCURRENT: '1',
    });
    const pairs = 'claude-code:claude-sonnet-4-6,claude-code:claude-haiku-4-5,codex:gpt-5.4';
    const { code, stdout, stderr } = await cli('run', ['report.runbook.md', '--matrix', pairs], env);
    assert.equal(code, 0, stderr);
    for (const pair of pairs.split(',')) {
      assert.ok(stdout.includes(`[${pair}] ▶ report (${pair.replace(':', ' · ')})`), stdout);
      assert.ok(stdout.includes(`[${pair}] ■ report: succeeded`), stdout);
      assert.ok(stderr.includes(`[${pair}] succeeded (exit 0)\n`), stderr);
    }
    assert.ok(stdout.includes('[codex:gpt-5.4] [agent] exec: '), 'each line says whose it is');
    assert.deepEqual(
      anthropic.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { model: string }).model),
      ['claude-sonnet-4-6', 'claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-haiku-4-5'],
      'each claude-code run asked for its own model',
    );
    assert.equal((openai.responseRequests()[0]?.body as { model: string }).model, 'gpt-5.4');

    const compareLine = /^Compare them: jetty-runbook compare (.+)$/m.exec(stderr);
    assert.ok(compareLine, stderr);
    const folders = compareLine[1]!.split(' ');
    assert.equal(folders.length, 3);
    for (const run of folders) {
      const record = JSON.parse(fs.readFileSync(path.join(folder, run, 'run.json'), 'utf8'));
      assert.deepEqual(record.primary_files, ['report.md']);
      for (const { file, text } of filesUnder(path.join(folder, run)))
        assert.ok(!text.includes(ANTHROPIC_KEY) && !text.includes(OPENAI_KEY), `a key appears in ${file}`);
    }

    const table = await cli('compare', folders, {});
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.split('\n');
    assert.match(lines[0]!, new RegExp(`^\\s+${folders.map((f) => path.basename(f)).join('\\s+')}$`));
    assert.match(
      lines[1]!,
      /^agent · model\s+claude-code · claude-sonnet-4-6\s+claude-code · claude-haiku-4-5\s+codex · gpt-5\.4$/,
    );
    assert.match(
      table.stdout,
      /^Evaluation\s+passed · 1 pass · 0 partial · 0 fail\s+passed · 1 pass · 0 partial · 0 fail\s+passed · 1 pass · 0 partial · 0 fail$/m,
    );
    assert.match(table.stdout, /^ {2}cd \/app\/results && echo "Hello" > report\.m…\s+exit 0\s+exit 0\s+exit 0$/m);
    assert.match(table.stdout, /^ {2}report\.md\s+yes\s+yes\s+yes$/m);
  });

  it('runs two at once within the limit, cancels one while the others go on, and compares the three', async () => {
    const hold = 'echo started; while [ ! -e release ]; do sleep 0.05; done';
    const { env } = await environment([...claudeRun(), ...claudeRun()], codexRun(hold));
    const root = path.join(folder, '.jetty', 'runs');
    const pairs = parseMatrix('claude-code:claude-sonnet-4-6,codex:gpt-5.4,claude-code:claude-haiku-4-5');
    const ready = await prepareMatrix(
      {
        text: RUNBOOK,
        name: 'report',
        sandbox: 'daytona',
        settings: readSettings(settingsFromEnv(env)),
        value: environmentLookups(env, new Set()).value,
      },
      pairs,
    );
    assert.deepEqual(
      ready.map((r) => r.prepared.ok && [r.prepared.plan.agent, r.prepared.plan.model, r.prepared.plan.provider]),
      [
        ['claude-code', 'claude-sonnet-4-6', 'anthropic'],
        ['codex', 'gpt-5.4', 'openai'],
        ['claude-code', 'claude-haiku-4-5', 'anthropic'],
      ],
    );
    const shown = pairs.map(() => recordRuns());
    const matrix = runMatrix(pairs.length, 2, async (i, signal) => {
      const prepared = ready[i]!.prepared as Extract<PreparedRun, { ok: true }>;
      const provider = prepared.createProvider();
      try {
        return await runPlan(prepared.plan, {
          provider,
          trajectories: shown[i]!.trajectories,
          redact: (t) => t.replaceAll(ANTHROPIC_KEY, '***').replaceAll(OPENAI_KEY, '***'),
          runsRoot: root,
          timeoutMinutes: 10,
          signal,
          words: CLI_WORDS,
        });
      } finally {
        await provider.dispose();
      }
    });
    assert.equal(matrix.running, 2, 'two start at once (the limit), the third waits');
    // codex holds in its command; Sonnet ends, and Haiku takes its place.
    await shown[1]!.seen((e) => e.kind === 'command-started');
    await shown[2]!.seen((e) => e.kind === 'init');
    assert.equal(matrix.running, 2);
    matrix.cancel(1);
    const results = await matrix.done;
    assert.deepEqual(
      results.map((r) => [pairName(pairs[r.index]!), r.status, r.value?.status]),
      [
        ['claude-code:claude-sonnet-4-6', 'done', 'succeeded'],
        ['codex:gpt-5.4', 'done', 'cancelled'],
        ['claude-code:claude-haiku-4-5', 'done', 'succeeded'],
      ],
    );
    assert.equal(
      worstExitCode(results.map((r) => (r.value?.status === 'cancelled' ? 130 : (r.value?.exitCode ?? 1)))),
      130,
    );
    assert.deepEqual(fake.liveSandboxes(), [], "the cancelled run's sandbox is deleted too");

    const loaded = await Promise.all(results.map((r) => loadRun(r.value!.folder!)));
    const comparison = compareRuns(loaded.map((l) => (assert.ok(l.ok), l.model)));
    assert.deepEqual(
      comparison.columns.map((c) => [c.agent, c.model, c.status]),
      [
        ['claude-code', 'claude-sonnet-4-6', 'succeeded'],
        ['codex', 'gpt-5.4', 'cancelled'],
        ['claude-code', 'claude-haiku-4-5', 'succeeded'],
      ],
    );
    assert.deepEqual(
      comparison.files.find((f) => f.file === 'report.md')?.present,
      [true, false, true],
      'the cancelled run brought nothing home',
    );
  });

  it('Ctrl-C cancels the whole matrix: the running one stops, the waiting one never starts, exit 130', async () => {
    const { env } = await environment(
      [{ blocks: [{ type: 'tool_use', name: 'Bash', input: { command: 'sleep 120' } }] }],
      [],
      { JETTY_RUN_MAX_CONCURRENT: '1' },
    );
    const pending = cli('run', ['report.runbook.md', '--matrix', 'claude-code:claude-sonnet-4-6,codex:gpt-5.4'], env);
    await pending.printed('[claude-code:claude-sonnet-4-6] [agent] exec: sleep 120');
    pending.child.kill('SIGINT');
    const { code, stderr, stdout } = await pending;
    assert.equal(code, 130, stderr);
    assert.ok(
      stderr.includes('Cancelling: stopping the agents and deleting the sandboxes… (Ctrl-C again to quit at once)'),
    );
    assert.ok(stdout.includes('[claude-code:claude-sonnet-4-6] ■ report: cancelled'), stdout);
    assert.ok(stderr.includes('[claude-code:claude-sonnet-4-6] cancelled\n'), stderr);
    assert.ok(stderr.includes('[codex:gpt-5.4] cancelled before it started\n'), stderr);
    assert.ok(!stdout.includes('[codex:gpt-5.4]'), 'codex never started');
    assert.deepEqual(fake.liveSandboxes(), []);
  });

  it('a pair that cannot run (its key is missing) starts none, and says which pair and why', async () => {
    const { env } = await environment([], []);
    delete (env as Record<string, string>).OPENAI_API_KEY;
    const created = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/sandbox').length;
    const before = created();
    const { code, stdout, stderr } = await cli(
      'run',
      ['report.runbook.md', '--matrix', 'claude-code:claude-sonnet-4-6,codex:gpt-5.4'],
      env,
    );
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(
      stderr,
      'jetty-runbook run: [codex:gpt-5.4] OPENAI_API_KEY is not set: codex with OpenAI needs it. Nothing was started.\n  Set OPENAI_API_KEY in the environment and run again.\n',
    );
    assert.ok(!fs.existsSync(path.join(folder, '.jetty')), 'no run folder');
    assert.equal(created(), before, 'no sandbox was asked for');
  });
});
