// `jetty-runbook run` as a user runs it: a separate process with keys and URLs in its environment (DAYTONA_API_KEY,
// DAYTONA_API_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL), in a folder of its own, against the fake Daytona server, the
// real claude-code CLI and the mock model server; every way out is sent for real to the process, and what it prints
// and writes never holds the key.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AGENT_CLI_VERSIONS, ensureAgentCli, repoRoot } from '../fakes/agent-clis';
import { startAnthropicMock, type AnthropicMock, type AnthropicStep } from '../fakes/anthropic';
import type { FakeDaytona } from '../fakes/daytona';
import { canary, filesUnder } from '../canary';
import { linkAgentClis, startDaytonaWithClis } from '../fakes/world';
import { pidsWith, startedWith } from '../fakes/processes';

const ROOT = repoRoot();
const CANARY = canary('CLI');
const RUNBOOK =
  '---\nagent: claude-code\nmodel: claude-sonnet-4-6\nmodel_provider: anthropic\nsnapshot: python312-uv\n---\n# Hello\n\nWrite a greeting to `{{results_dir}}/hello.md`.\n';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('jetty-runbook run', function () {
  let fake: FakeDaytona;
  let bin: string;
  let folder: string;
  let model: AnthropicMock | undefined;

  before(async function () {
    this.timeout(15 * 60_000);
    await ensureAgentCli('claude-code', AGENT_CLI_VERSIONS.claudeCodePinned);
    await ensureAgentCli('codex', AGENT_CLI_VERSIONS.codex);
    bin = linkAgentClis(ROOT);
    fake = await startDaytonaWithClis(ROOT, bin, { apiKey: 'dtn_cli_fake_key' });
  });
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'run-cli-'));
    fs.writeFileSync(path.join(folder, 'hello.runbook.md'), RUNBOOK);
  });
  afterEach(async () => {
    await model?.close();
    model = undefined;
    fs.rmSync(folder, { recursive: true, force: true });
    assert.deepEqual(fake.reset(), [], 'no sandbox is left alive');
  });
  after(async () => {
    await fake?.close();
    fs.rmSync(bin, { recursive: true, force: true });
  });

  /** Starts `jetty-runbook run …` in the test's folder; `env` is all it gets besides PATH and HOME. */
  function cli(args: string[], env: Record<string, string>) {
    const child = spawn(
      process.execPath,
      [
        '--import',
        pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href,
        path.join(ROOT, 'src/cli.ts'),
        'run',
        ...args,
      ],
      {
        cwd: folder,
        env: { PATH: process.env.PATH ?? '', HOME: folder, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    const waiters: (() => void)[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      for (const waiter of waiters) waiter();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const finished = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
    const printed = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => stdout.includes(text) && resolve();
        waiters.push(check);
        check();
      });
    return { child, finished, printed };
  }

  async function env(script: AnthropicStep[]): Promise<Record<string, string>> {
    model = await startAnthropicMock(script);
    return {
      DAYTONA_API_KEY: fake.apiKey,
      DAYTONA_API_URL: fake.apiUrl,
      ANTHROPIC_API_KEY: CANARY,
      ANTHROPIC_BASE_URL: model.url,
    };
  }

  const runFolders = () =>
    fs.readdirSync(path.join(folder, '.jetty', 'runs')).map((name) => path.join(folder, '.jetty', 'runs', name));

  it('runs the runbook in a Daytona sandbox: the log lines as it goes, results and trajectory under ./.jetty/runs, exit code 0', async () => {
    const { finished } = cli(
      ['hello.runbook.md'],
      await env([
        {
          blocks: [
            {
              type: 'tool_use',
              name: 'Bash',
              input: { command: 'echo hi > /app/results/hello.md && echo "$ANTHROPIC_API_KEY"' },
            },
          ],
        },
        { blocks: [{ type: 'text', text: 'Wrote results/hello.md.' }] },
      ]),
    );
    const { code, stdout, stderr } = await finished;
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines[0], '▶ hello (claude-code · claude-sonnet-4-6)');
    assert.match(lines[1]!, /^\[agent\] started: model claude-sonnet-4-6, \d+ tools, session /);
    assert.deepEqual(lines.slice(2, 5), [
      '[agent] exec: echo hi > /app/results/hello.md && echo "$ANTHROPIC_API_KEY"',
      '[agent] output (exit 0): ***',
      '[agent] Wrote results/hello.md.',
    ]);
    assert.match(lines[5]!, /^\[agent\] done — 2 turns, /);
    assert.equal(lines[6], '■ hello: succeeded');
    assert.match(
      stderr,
      /^Creating the Daytona sandbox…\nLaying out \/app and \/logs\/agent…\nUploading the runbook…\nChecking claude-code 2\.1\.126…\nRunning claude-code \(claude-sonnet-4-6\)…\nDownloading the results…\nDeleting the sandbox…\nRun folder: (\.jetty\/runs\/hello-\d{8}-\d{6}) \(1 result file\)\nMain output: \1\/results\/hello\.md\n$/,
    );
    const [run] = runFolders();
    assert.equal(fs.readFileSync(path.join(run!, 'results', 'hello.md'), 'utf8'), 'hi\n');
    assert.equal(JSON.parse(fs.readFileSync(path.join(run!, 'run.json'), 'utf8')).runbookFile, 'hello.runbook.md');
    for (const { file, text } of [
      ...filesUnder(run!),
      { file: 'stdout', text: stdout },
      { file: 'stderr', text: stderr },
    ]) {
      assert.ok(!text.includes(CANARY), `the key appears in ${file}`);
    }
  });

  it('exits with the agent’s exit code when the agent fails, saying why', async () => {
    const { finished } = cli(
      ['hello.runbook.md'],
      await env([{ status: 401, type: 'authentication_error', message: 'invalid x-api-key', times: Infinity }]),
    );
    const { code, stderr } = await finished;
    assert.equal(code, 1);
    assert.ok(
      stderr.includes(
        'jetty-runbook run: Anthropic rejected ANTHROPIC_API_KEY: Invalid API key · Fix external API key\n  Set ANTHROPIC_API_KEY in the environment and run again.\n',
      ),
      stderr,
    );
  });

  it('Ctrl-C cancels: the sandbox is deleted, the run is kept as cancelled, exit code 130', async () => {
    const { child, finished, printed } = cli(
      ['hello.runbook.md'],
      await env([{ blocks: [{ type: 'tool_use', name: 'Bash', input: { command: 'sleep 120' } }] }]),
    );
    await printed('[agent] exec: sleep 120');
    assert.equal(fake.liveSandboxes().length, 1);
    child.kill('SIGINT');
    const { code, stdout, stderr } = await finished;
    assert.equal(code, 130, stderr);
    assert.ok(stderr.includes('Cancelling: stopping the agent and deleting the sandbox…'));
    assert.ok(stdout.includes('■ hello: cancelled — The run was cancelled; the sandbox was deleted.'));
    assert.deepEqual(fake.liveSandboxes(), []);
    const [run] = runFolders();
    assert.equal(JSON.parse(fs.readFileSync(path.join(run!, 'run.json'), 'utf8')).status, 'cancelled');
  });

  for (const [signal, exit] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} cancels as Ctrl-C does: the sandbox is deleted, the run kept as cancelled, exit code ${exit}`, async () => {
      const { child, finished, printed } = cli(
        ['hello.runbook.md'],
        await env([{ blocks: [{ type: 'tool_use', name: 'Bash', input: { command: 'sleep 120' } }] }]),
      );
      await printed('[agent] exec: sleep 120');
      assert.equal(fake.liveSandboxes().length, 1);
      child.kill(signal);
      const { code, stderr } = await finished;
      assert.equal(code, exit, stderr);
      assert.ok(stderr.includes(`Cancelling (${signal}): stopping the agent and deleting the sandbox…`), stderr);
      assert.deepEqual(fake.liveSandboxes(), []);
      const [run] = runFolders();
      assert.equal(JSON.parse(fs.readFileSync(path.join(run!, 'run.json'), 'utf8')).status, 'cancelled');
    });
  }

  it('a closed stdout (`| head`) cancels at the next line: the sandbox is deleted, exit code 141', async () => {
    const { child, finished, printed } = cli(
      ['hello.runbook.md'],
      await env([
        { blocks: [{ type: 'tool_use', name: 'Bash', input: { command: 'sleep 1' } }] },
        { blocks: [{ type: 'tool_use', name: 'Bash', input: { command: 'sleep 120' } }] },
      ]),
    );
    await printed('[agent] exec: sleep 1');
    child.stdout.destroy(); // what `| head` does when it has read enough
    const { code, stderr } = await finished;
    assert.equal(code, 141, stderr);
    assert.ok(stderr.includes('Cancelling (standard output was closed)'), stderr);
    assert.deepEqual(fake.liveSandboxes(), []);
    const [run] = runFolders();
    assert.equal(JSON.parse(fs.readFileSync(path.join(run!, 'run.json'), 'utf8')).status, 'cancelled');
  });

  it('in the local sandbox too: SIGHUP stops the agent and everything it started, and removes the sandbox folder', async () => {
    // The pinned CLI where the local sandbox keeps it (bound read-only inside): the real binary, hard-linked.
    const claude = fs.readFileSync(path.join(ROOT, '.cache/agent-clis/claude-code-2.1.126/.installed'), 'utf8').trim();
    const cached = path.join(folder, '.cache/jetty-runbooks/claude-code-2.1.126/bin');
    fs.mkdirSync(cached, { recursive: true });
    fs.linkSync(claude, path.join(cached, 'claude'));
    const tmp = path.join(folder, 'tmp');
    fs.mkdirSync(tmp);
    const marker = `120.${process.pid}7`;
    const keys = await env([{ blocks: [{ type: 'tool_use', name: 'Bash', input: { command: `sleep ${marker}` } }] }]);
    const { child, finished, printed } = cli(['hello.runbook.md', '--sandbox', 'local'], {
      ANTHROPIC_API_KEY: keys.ANTHROPIC_API_KEY!,
      ANTHROPIC_BASE_URL: keys.ANTHROPIC_BASE_URL!,
      TMPDIR: tmp,
    });
    await printed(`[agent] exec: sleep ${marker}`);
    assert.ok((await startedWith(`sleep ${marker}`)).length, 'the command runs');
    assert.equal(fs.readdirSync(tmp).filter((name) => name.startsWith('jetty-sandbox-')).length, 1);
    child.kill('SIGHUP');
    const { code, stderr } = await finished;
    assert.equal(code, 129, stderr);
    assert.deepEqual(pidsWith(`sleep ${marker}`), [], 'nothing of the agent is left running');
    assert.deepEqual(
      fs.readdirSync(tmp).filter((name) => name.startsWith('jetty-sandbox-')),
      [],
      'the sandbox folder is gone',
    );
    const [run] = runFolders();
    assert.equal(JSON.parse(fs.readFileSync(path.join(run!, 'run.json'), 'utf8')).status, 'cancelled');
  });

  describe('a gallery-shaped runbook, as Jetty runs it', () => {
    // Declares OpenRouter; only an Anthropic key is here. Takes {{operation}} and reads a file from /app/assets.
    const GALLERY = [
      '---',
      'version: "1.0.0"',
      'evaluation: programmatic',
      'agent: claude-code',
      'model: anthropic/claude-sonnet-4.6',
      'model_provider: openrouter',
      'snapshot: python312-uv',
      'primary_outputs:',
      '  - extracted.txt',
      'origin:',
      '  url: "https://example.com/skills/extract"',
      '  imported_by: "skill-to-runbook-converter@1.1.0"',
      '  attribution:',
      '    collection_or_org: "example"',
      'secrets:',
      '---',
      '# Extract — Agent Runbook',
      '',
      '## REQUIRED OUTPUT FILES',
      '',
      '| File | Description |',
      '|---|---|',
      '| `/app/results/extracted.txt` | The text |',
      '| `/app/results/summary.md` | What was done |',
      '| `/app/results/validation_report.json` | The evaluation |',
      '',
      '## Parameters',
      '',
      '| Parameter | Default | Description |',
      '|---|---|---|',
      '| Operation | *(required)* | What to do |',
      '',
      '## Step 1',
      '',
      'Operation: {{operation}}. Read /app/assets/input.txt and write /app/results/extracted.txt.',
      '',
    ].join('\n');
    const REPORT = JSON.stringify({
      stages: [{ name: 'extract', passed: true, message: 'copied' }],
      results: { pass: 1, partial: 0, fail: 0 },
      overall_passed: true,
    });
    const AGENT: AnthropicStep[] = [
      {
        blocks: [
          {
            type: 'tool_use',
            name: 'Bash',
            input: {
              command: `cp /app/assets/input.txt /app/results/extracted.txt && echo "# Summary" > /app/results/summary.md && echo '${REPORT}' > /app/results/validation_report.json && echo "$ANTHROPIC_API_KEY"`,
            },
          },
        ],
      },
      { blocks: [{ type: 'text', text: 'Done.' }] },
    ];

    async function runGallery(sandbox: 'daytona' | 'local', extra: Record<string, string> = {}) {
      fs.writeFileSync(path.join(folder, 'RUNBOOK.md'), GALLERY);
      fs.writeFileSync(path.join(folder, 'input.txt'), 'the text to extract\n');
      const keys = await env(AGENT);
      const before = fs.readdirSync(folder).sort();
      const { finished } = cli(
        ['RUNBOOK.md', '--sandbox', sandbox, '--var', 'operation=extract every line', '--file', 'input.txt'],
        sandbox === 'daytona'
          ? keys
          : { ANTHROPIC_API_KEY: keys.ANTHROPIC_API_KEY!, ANTHROPIC_BASE_URL: keys.ANTHROPIC_BASE_URL!, ...extra },
      );
      const { code, stdout, stderr } = await finished;
      assert.equal(code, 0, stderr);
      assert.match(stderr, /OpenRouter has no key here: running on Anthropic as claude-sonnet-4-6, as Jetty does\.\n/);
      assert.match(
        stderr,
        /\nEvaluation: passed · 1 pass · 0 partial · 0 fail\nMain output: \.jetty\/runs\/RUNBOOK-\d{8}-\d{6}\/results\/extracted\.txt\n/,
      );
      const sent = model!.messageRequests()[0]!.body as { model: string };
      assert.equal(
        sent.model,
        'claude-sonnet-4-6',
        "Anthropic got its own ID for OpenRouter's anthropic/claude-sonnet-4.6",
      );
      assert.ok(JSON.stringify(sent).includes('Operation: extract every line.'), 'the parameter reached the agent');
      const [run] = runFolders();
      assert.equal(fs.readFileSync(path.join(run!, 'results', 'extracted.txt'), 'utf8'), 'the text to extract\n');
      const record = JSON.parse(fs.readFileSync(path.join(run!, 'run.json'), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(
        [record.provider, record.model, record.requestedProvider, record.parameters, record.inputFiles],
        ['anthropic', 'claude-sonnet-4-6', 'openrouter', { operation: 'extract every line' }, ['input.txt']],
      );
      assert.deepEqual(
        [record.eval, record.primary_files],
        [{ overall_passed: true, pass: 1, partial: 0, fail: 0 }, ['extracted.txt']],
      );
      assert.deepEqual(fs.readdirSync(folder).sort(), [...before, '.jetty'].sort(), 'nothing else was written here');
      assert.ok(!fs.existsSync('/app/results/extracted.txt'), 'nothing was written to this machine’s /app');
      for (const { file, text } of [
        ...filesUnder(run!),
        { file: 'stdout', text: stdout },
        { file: 'stderr', text: stderr },
      ])
        assert.ok(!text.includes(CANARY), `the key appears in ${file}`);
    }

    it('in Daytona: the results come home from /app/results, the parameter and the file reached the agent, on Anthropic', async () => {
      await runGallery('daytona');
    });

    it('in the local sandbox: the same, and the sandbox folder is gone', async () => {
      const claude = fs
        .readFileSync(path.join(ROOT, '.cache/agent-clis/claude-code-2.1.126/.installed'), 'utf8')
        .trim();
      const cached = path.join(folder, '.cache/jetty-runbooks/claude-code-2.1.126/bin');
      fs.mkdirSync(cached, { recursive: true });
      fs.linkSync(claude, path.join(cached, 'claude'));
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'run-cli-tmp-'));
      try {
        await runGallery('local', { TMPDIR: tmp });
        assert.deepEqual(
          fs.readdirSync(tmp).filter((name) => name.startsWith('jetty-sandbox-')),
          [],
        );
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });
  });

  it('--format json prints one event per line, then the outcome', async () => {
    const { finished } = cli(
      ['hello.runbook.md', '--format', 'json'],
      await env([{ blocks: [{ type: 'text', text: 'Nothing to do.' }] }]),
    );
    const { code, stdout, stderr } = await finished;
    assert.equal(code, 0, stderr);
    const objects = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; status?: string; results?: string[] });
    assert.deepEqual(
      objects.map((o) => o.kind),
      ['init', 'text', 'result', 'run'],
    );
    assert.equal(objects.at(-1)?.status, 'succeeded');
    assert.equal(stderr, '', 'progress is not printed in json mode');
  });

  it('stops before anything is created when a key is missing, and on bad usage (exit code 2)', async () => {
    const missing = await cli(['hello.runbook.md'], { ANTHROPIC_API_KEY: CANARY, DAYTONA_API_URL: fake.apiUrl })
      .finished;
    assert.equal(missing.code, 2);
    assert.equal(
      missing.stderr,
      'jetty-runbook run: DAYTONA_API_KEY is not set: the Daytona sandbox needs it. Nothing was started.\n  Set DAYTONA_API_KEY in the environment and run again.\n',
    );
    assert.ok(!fs.existsSync(path.join(folder, '.jetty')), 'no run folder');
    const usage = await cli(['hello.runbook.md', '--sandbox', 'cloud'], {}).finished;
    assert.equal(usage.code, 2);
    assert.match(
      usage.stderr,
      /^jetty-runbook run: --sandbox is daytona or local, not "cloud"\nusage: jetty-runbook run <file>/,
    );
  });
});
