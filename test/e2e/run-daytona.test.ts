// Whole runs: the plan and the runner, the real @daytonaio/sdk against the fake Daytona server (test/fakes/daytona/),
// the real claude-code 2.1.126 and codex 0.169.0 CLIs running inside its sandboxes against the mock model servers, so
// a run, a cancel, a time-out and every injected fault are checked as they really happen: a clear error when it fails,
// no live sandbox left, and a canary key nowhere the run wrote or printed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { providerSettingsFromEnv } from '../../src/core/keys';
import { createDaytonaProvider, type DaytonaConfig } from '../../src/core/run/daytona';
import { DEFAULT_VERSIONS } from '../../src/core/agents';
import { planRun, type RunPlan, type RunSettings } from '../../src/core/run/plan';
import { runPlan, type RunDeps, type RunOutcome } from '../../src/core/run/runner';
import { AGENT_CLI_VERSIONS, ensureAgentCli, repoRoot } from '../fakes/agent-clis';
import { startAnthropicMock, type AnthropicStep } from '../fakes/anthropic';
import type { FakeDaytona } from '../fakes/daytona';
import { startOpenAIMock, type OpenAIStep } from '../fakes/openai';
import type { MockServer } from '../fakes/mock-server';
import { canary, filesUnder } from '../canary';
import { linkAgentClis, recordRuns, startDaytonaWithClis } from '../fakes/world';
import { CLI_WORDS } from '../../src/cli/words';

const CANARY = canary('E2E');
const OPENAI_KEY = `sk-proj-E2E-CANARY-${process.pid}`;

const CLAUDE_RUNBOOK = `---
agent: claude-code
model: claude-sonnet-4-6
model_provider: anthropic
snapshot: python312-uv
mcp_servers:
  files:
    command: "true"
---
# Hello

Write a greeting to \`{{results_dir}}/hello.md\`.
`;

const CODEX_RUNBOOK = `---
agent: codex
model: gpt-5.4
model_provider: openai
snapshot: python312-uv
mcp_servers:
  files:
    command: "true"
---
# Report

Write the report to \`{{results_dir}}/report.md\`.
`;

describe('runs in Daytona sandboxes (real SDK, fake Daytona, real agent CLIs)', function () {
  let fake: FakeDaytona;
  let bin: string;
  let scratch: string;
  const servers: MockServer[] = [];

  before(async function () {
    this.timeout(15 * 60_000); // the first run installs the CLIs into .cache/ (about 15 s each)
    await ensureAgentCli('claude-code', AGENT_CLI_VERSIONS.claudeCodePinned);
    await ensureAgentCli('codex', AGENT_CLI_VERSIONS.codex);
    bin = linkAgentClis(repoRoot());
    fake = await startDaytonaWithClis(repoRoot(), bin, { apiKey: 'dtn_e2e_fake_key' });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'run-e2e-'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    assert.deepEqual(fake.reset(), [], 'no sandbox is left alive');
  });
  after(async () => {
    await fake?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(bin, { recursive: true, force: true });
  });

  async function anthropic(script: AnthropicStep[]) {
    const server = await startAnthropicMock(script);
    servers.push(server);
    return server;
  }
  async function openai(script: OpenAIStep[]) {
    const server = await startOpenAIMock(script);
    servers.push(server);
    return server;
  }

  function plan(text: string, env: NodeJS.ProcessEnv, settings: Partial<RunSettings> = {}): RunPlan {
    const result = planRun({
      text,
      name: 'hello',
      sandbox: 'daytona',
      settings: { provider: providerSettingsFromEnv(env), versions: DEFAULT_VERSIONS, snapshots: {}, ...settings },
      keys: { ANTHROPIC_API_KEY: CANARY, OPENAI_API_KEY: OPENAI_KEY, DAYTONA_API_KEY: fake.apiKey },
      secrets: {},
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.blocked));
    return result.plan;
  }

  /** Runs a plan the way the CLI does, keeping everything it printed. */
  function run(p: RunPlan, overrides: Partial<RunDeps> & { daytona?: Partial<DaytonaConfig> } = {}) {
    const shown = recordRuns();
    const { printed } = shown;
    const provider = createDaytonaProvider({
      apiKey: fake.apiKey,
      apiUrl: fake.apiUrl,
      target: 'us',
      pollIntervalMs: 100,
      deleteRetryDelayMs: 10,
      ...overrides.daytona,
    });
    const redact = (text: string) => text.replaceAll(CANARY, '***').replaceAll(OPENAI_KEY, '***');
    const outcome = runPlan(p, {
      provider,
      trajectories: shown.trajectories,
      redact,
      runsRoot: path.join(scratch, '.jetty', 'runs'),
      timeoutMinutes: 5,
      words: CLI_WORDS,
      onProgress: (message) => printed.push(message),
      ...overrides,
    }).finally(() => provider.dispose());
    return { outcome, shown, printed };
  }

  /** The canary is nowhere: not in the run folder, not in what was printed or shown, not in the error. */
  function assertNoSecret(outcome: RunOutcome, printed: string[], shown: ReturnType<typeof recordRuns>): void {
    const places = [
      ...filesUnder(outcome.folder!).map((f) => [f.file, f.text] as const),
      ['printed', printed.join('\n')] as const,
      ['events', JSON.stringify(shown.events)] as const,
      ['outcome', JSON.stringify(outcome)] as const,
    ];
    for (const [where, text] of places) {
      assert.ok(!text.includes(CANARY) && !text.includes(OPENAI_KEY), `a key appears in ${where}`);
    }
  }

  it('claude-code: events arrive in order while it runs, results are downloaded, the sandbox is deleted, the key is nowhere', async () => {
    const model = await anthropic([
      {
        blocks: [
          { type: 'text', text: 'Writing the greeting.' },
          {
            type: 'tool_use',
            name: 'Bash',
            input: {
              command:
                'echo "Hello from the sandbox" > /app/results/hello.md && echo "key=$ANTHROPIC_API_KEY" && while [ ! -e release ]; do sleep 0.05; done; echo released',
            },
          },
        ],
      },
      { blocks: [{ type: 'text', text: 'Wrote results/hello.md.' }] },
    ]);
    const { outcome, shown, printed } = run(plan(CLAUDE_RUNBOOK, { ANTHROPIC_BASE_URL: model.url }));
    // The agent is held inside its tool call until the test has seen the events before it.
    await shown.seen((e) => e.kind === 'command-started');
    assert.ok(
      !shown.events.some((e) => e.kind === 'command-completed' || e.kind === 'result'),
      'the command was shown before it finished',
    );
    const [sandbox] = fake.liveSandboxes();
    assert.ok(sandbox, 'the sandbox is alive while the agent works');
    assert.equal(sandbox.labels['created-by'], 'jetty-runbooks');
    assert.equal(sandbox.labels['jetty-runbook'], 'hello');
    assert.equal(sandbox.env.ANTHROPIC_API_KEY, CANARY, 'the key reaches the sandbox through its environment');
    fs.writeFileSync(path.join(sandbox.home, 'release'), '');
    const done = await outcome;

    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.exitCode, 0);
    assert.deepEqual(fake.liveSandboxes(), []);
    assert.deepEqual(done.results, ['hello.md']);
    assert.equal(fs.readFileSync(path.join(done.folder!, 'results', 'hello.md'), 'utf8'), 'Hello from the sandbox\n');
    assert.equal(sandbox.labels['jetty-run'], path.basename(done.folder!));
    assert.deepEqual(
      shown.events.filter((e) => e.kind !== 'other').map((e) => e.kind),
      ['init', 'text', 'command-started', 'command-completed', 'text', 'result'],
    );
    const completed = shown.events.find((e) => e.kind === 'command-completed');
    assert.ok(
      completed?.kind === 'command-completed' && completed.output.includes('key=***'),
      'the key the agent printed is redacted',
    );
    assert.equal(model.messageRequests()[0]?.headers['x-api-key'], CANARY, 'claude-code used the key');
    // claude-code was started with the MCP config: its first line lists the server (which fails to start: `true` exits).
    const lines = fs.readFileSync(path.join(done.folder!, 'trajectory.jsonl'), 'utf8').trimEnd().split('\n');
    const init = JSON.parse(lines[0]!) as { mcp_servers: unknown; permissionMode: string };
    assert.deepEqual(init.mcp_servers, [{ name: 'files', status: 'failed' }]);
    assert.equal(init.permissionMode, 'bypassPermissions', 'permissions bypassed, as the sandbox’s daytona user');
    const record = JSON.parse(fs.readFileSync(path.join(done.folder!, 'run.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(record.status, 'succeeded');
    assert.equal(record.turns, 2);
    assert.equal(typeof record.costUsd, 'number');
    assert.ok(printed.includes('[agent] Wrote results/hello.md.'), printed.join('\n'));
    assertNoSecret(done, printed, shown);
  });

  it('codex: the seed command line against the mock provider, results downloaded, sandbox deleted', async () => {
    const model = await openai([
      {
        items: [
          {
            type: 'function_call',
            name: 'exec_command',
            arguments: {
              cmd: 'echo "python report" > /app/results/report.md && echo "key=$OPENAI_API_KEY"',
            },
          },
        ],
      },
      { items: [{ type: 'message', text: 'Wrote the report.' }] },
    ]);
    const { outcome, shown, printed } = run(plan(CODEX_RUNBOOK, { OPENAI_BASE_URL: `${model.url}/v1` }));
    const done = await outcome;
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.deepEqual(done.results, ['report.md']);
    assert.equal(fs.readFileSync(path.join(done.folder!, 'results', 'report.md'), 'utf8'), 'python report\n');
    assert.deepEqual(fake.liveSandboxes(), []);
    assert.ok(printed.some((l) => l.startsWith('[agent] exec: ') && l.includes('/app/results/report.md')));
    assert.ok(printed.includes('[agent] output (exit 0): key=***'), printed.join('\n'));
    assert.ok(printed.includes('[agent] Wrote the report.'));
    assert.equal(model.responseRequests()[0]?.headers.authorization, `Bearer ${OPENAI_KEY}`);
    assert.equal((model.responseRequests()[0]?.body as { model: string }).model, 'gpt-5.4');
    assertNoSecret(done, printed, shown);
  });

  it('everything a runbook starts stays in its sandbox: its MCP server, its files, a git repository made of its results', async () => {
    const marker = `jetty-boundary-${process.pid}-${Date.now()}`;
    const runbook = `---
agent: claude-code
model: claude-sonnet-4-6
mcp_servers:
  probe:
    command: sh
    args: ["-c", "echo ran > /app/results/mcp.txt; echo x > /tmp/${marker}; echo x > /var/tmp/${marker}"]
---
- Write the report to {{results_dir}}/report.md.
`;
    const model = await anthropic([
      {
        blocks: [
          {
            type: 'tool_use',
            name: 'Bash',
            input: {
              command: [
                'cd /app/results && echo "# Report" > report.md && ls -R /logs/agent > agent-home.txt',
                `git init -q . && git config core.fsmonitor 'touch /tmp/${marker}-fsmonitor; false'`,
                `echo x > /tmp/${marker}-agent`,
              ].join(' && '),
            },
          },
        ],
      },
      { blocks: [{ type: 'text', text: 'Done.' }] },
    ]);
    const { outcome, shown, printed } = run(plan(runbook, { ANTHROPIC_BASE_URL: model.url }));
    const done = await outcome;
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.deepEqual(done.results, ['agent-home.txt', 'mcp.txt', 'report.md']);
    assert.equal(
      fs.readFileSync(path.join(done.folder!, 'results', 'mcp.txt'), 'utf8'),
      'ran\n',
      'the MCP server ran inside',
    );
    assert.deepEqual(done.dropped, [
      { path: '.git', reason: 'a git repository (git would run its hooks and core.fsmonitor here)' },
    ]);
    const home = fs.readFileSync(path.join(done.folder!, 'results', 'agent-home.txt'), 'utf8');
    assert.match(
      home,
      /^\/logs\/agent:\n(.*\n)*mcp\.json\n(.*\n)*prompt\.md\n(.*\n)*sessions\n/,
      'claude-code’s own files are in /logs/agent',
    );
    for (const suffix of ['', '-agent', '-fsmonitor']) {
      assert.ok(!fs.existsSync(`/tmp/${marker}${suffix}`), `nothing in this machine’s /tmp${suffix}`);
      assert.ok(!fs.existsSync(`/var/tmp/${marker}${suffix}`));
    }
    assertNoSecret(done, printed, shown);
  });

  it('as root in the sandbox: the layout needs no sudo, claude-code bypasses permissions with IS_SANDBOX=1', async () => {
    const rooted = await startDaytonaWithClis(repoRoot(), bin, { apiKey: fake.apiKey, user: 'root' });
    try {
      const model = await anthropic([
        { blocks: [{ type: 'tool_use', name: 'Bash', input: { command: 'id -u > /app/results/uid.txt' } }] },
        { blocks: [{ type: 'text', text: 'Done.' }] },
      ]);
      const { outcome } = run(plan(CLAUDE_RUNBOOK, { ANTHROPIC_BASE_URL: model.url }), {
        daytona: { apiUrl: rooted.apiUrl },
      });
      const done = await outcome;
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
      assert.equal(fs.readFileSync(path.join(done.folder!, 'results', 'uid.txt'), 'utf8'), '0\n');
      const init = JSON.parse(fs.readFileSync(path.join(done.folder!, 'trajectory.jsonl'), 'utf8').split('\n')[0]!);
      assert.equal(init.permissionMode, 'bypassPermissions');
      assert.deepEqual(rooted.liveSandboxes(), []);
    } finally {
      await rooted.close();
    }
  });

  it('a dropped log socket loses and repeats no event', async () => {
    const script: AnthropicStep[] = [
      {
        blocks: [
          { type: 'tool_use', name: 'Bash', input: { command: 'for i in $(seq 1 40); do echo "line $i"; done' } },
        ],
      },
      { blocks: [{ type: 'text', text: 'x'.repeat(3000) }] },
    ];
    const reference = await run(plan(CLAUDE_RUNBOOK, { ANTHROPIC_BASE_URL: (await anthropic(script)).url })).outcome;
    const dropped = await anthropic(script);
    fake.faults.dropLogSocketAfterBytes = 2500; // inside claude-code's first line
    const { outcome, shown } = run(plan(CLAUDE_RUNBOOK, { ANTHROPIC_BASE_URL: dropped.url }));
    const done = await outcome;
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    // The socket is cut after 2500 bytes: everything past them came from the plain logs endpoint.
    assert.ok(
      fs.statSync(path.join(done.folder!, 'trajectory.jsonl')).size > 5000,
      'the log is longer than what the socket carried',
    );
    const shape = (folder: string) =>
      fs
        .readFileSync(path.join(folder, 'trajectory.jsonl'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => {
          const o = JSON.parse(line) as { type: string; subtype?: string; uuid?: string };
          return `${o.type}/${o.subtype ?? ''}`;
        });
    assert.deepEqual(shape(done.folder!), shape(reference.folder!), 'the same lines, in the same order, each once');
    const uuids = fs.readFileSync(path.join(done.folder!, 'trajectory.jsonl'), 'utf8').match(/"uuid":"[^"]+"/g) ?? [];
    assert.equal(new Set(uuids).size, uuids.length, 'no line twice');
    assert.equal(shown.events.filter((e) => e.kind === 'unparsed').length, 0, 'no line cut in two');
  });

  it('cancel mid-run: cancelled within seconds, the sandbox deleted, the partial trajectory kept', async () => {
    const model = await anthropic([{ blocks: [{ type: 'tool_use', name: 'Bash', input: { command: 'sleep 120' } }] }]);
    const cancel = new AbortController();
    const { outcome, shown } = run(plan(CLAUDE_RUNBOOK, { ANTHROPIC_BASE_URL: model.url }), { signal: cancel.signal });
    await shown.seen((e) => e.kind === 'command-started');
    cancel.abort();
    const done = await outcome;
    assert.equal(done.status, 'cancelled');
    assert.equal(
      done.error?.message,
      'The run was cancelled; the sandbox was deleted. What the agent printed until then is kept.',
    );
    assert.deepEqual(fake.liveSandboxes(), []);
    const saved = fs.readFileSync(path.join(done.folder!, 'trajectory.jsonl'), 'utf8');
    assert.match(saved, /"name":"Bash","input":\{"command":"sleep 120"\}/);
    assert.equal(JSON.parse(fs.readFileSync(path.join(done.folder!, 'run.json'), 'utf8')).status, 'cancelled');
  });

  it('time-out: "timed out", the sandbox deleted', async () => {
    const model = await anthropic([{ blocks: [{ type: 'tool_use', name: 'Bash', input: { command: 'sleep 120' } }] }]);
    const { outcome } = run(plan(CLAUDE_RUNBOOK, { ANTHROPIC_BASE_URL: model.url }), { timeoutMinutes: 0.05 });
    const done = await outcome;
    assert.equal(done.status, 'timed out');
    assert.equal(
      done.error?.message,
      'The run took longer than 3 s and was stopped; the sandbox was deleted. What the agent printed until then is kept.',
    );
    assert.equal(done.error?.nextStep, 'Allow more time with --timeout-minutes, or make the runbook do less.');
    assert.equal(JSON.parse(fs.readFileSync(path.join(done.folder!, 'run.json'), 'utf8')).status, 'timed out');
    assert.deepEqual(fake.liveSandboxes(), []);
  });

  it('the model provider rejecting the key (from claude-code’s own events): which key, and "Set key"', async () => {
    const model = await anthropic([
      { status: 401, type: 'authentication_error', message: 'invalid x-api-key', times: Infinity },
    ]);
    const { outcome, printed, shown } = run(plan(CLAUDE_RUNBOOK, { ANTHROPIC_BASE_URL: model.url }));
    const done = await outcome;
    assert.equal(done.status, 'failed');
    assert.equal(done.exitCode, 1);
    assert.deepEqual(done.error, {
      message: 'Anthropic rejected ANTHROPIC_API_KEY: Invalid API key · Fix external API key',
      nextStep: 'Set ANTHROPIC_API_KEY in the environment and run again.',
      actions: [{ kind: 'set-key', key: 'ANTHROPIC_API_KEY' }],
    });
    assert.deepEqual(fake.liveSandboxes(), []);
    assertNoSecret(done, printed, shown);
  });

  describe('Daytona faults', () => {
    const failing = async (overrides: Parameters<typeof run>[1] = {}, settings: Partial<RunSettings> = {}) => {
      const model = await anthropic([{ blocks: [{ type: 'text', text: 'Done.' }] }]);
      const { outcome, printed, shown } = run(
        plan(CLAUDE_RUNBOOK, { ANTHROPIC_BASE_URL: model.url }, settings),
        overrides,
      );
      const done = await outcome;
      assert.equal(done.status, 'failed');
      assert.deepEqual(fake.liveSandboxes(), []);
      assertNoSecret(done, printed, shown);
      return done;
    };

    it('401: the key was rejected, with "Set DAYTONA_API_KEY"', async () => {
      fake.faults.unauthorized = true;
      const done = await failing();
      assert.deepEqual(done.error, {
        message: 'Daytona rejected the API key (HTTP 401) while trying to create the sandbox.',
        nextStep: 'Set a valid DAYTONA_API_KEY and run again.',
        actions: [{ kind: 'set-key', key: 'DAYTONA_API_KEY' }],
      });
    });

    it('500 on create: the service’s answer', async () => {
      fake.faults.createStatus = 500;
      const done = await failing();
      assert.equal(
        done.error?.message,
        'Daytona answered HTTP 500 while trying to create the sandbox: Internal server error (injected fault)',
      );
      assert.equal(
        done.error?.nextStep,
        'Try again in a moment; if it keeps failing, check https://status.daytona.io.',
      );
    });

    it('no connection: which URL could not be reached', async () => {
      const done = await failing({ daytona: { apiUrl: 'http://127.0.0.1:1/api' } });
      assert.equal(
        done.error?.message,
        'Could not reach Daytona at http://127.0.0.1:1/api (connection refused) while trying to create the sandbox.',
      );
      assert.deepEqual(done.error?.actions, [{ kind: 'open-setting', setting: 'jetty.daytona.apiUrl' }]);
    });

    it('a slow start: the sandbox did not start in time, and the one that was starting is deleted', async () => {
      fake.faults.startDelayMs = 6000;
      const done = await failing({ daytona: { startTimeoutSeconds: 1 } });
      assert.equal(done.error?.message, 'The Daytona sandbox did not start within 1 s.');
    });

    it('a failing download: the agent’s work is kept, the results are reported missing', async () => {
      fake.faults.failDownload = true;
      const done = await failing();
      assert.equal(done.exitCode, 0);
      assert.match(done.error!.message, /^The agent finished, but its results could not be downloaded: /);
      assert.match(fs.readFileSync(path.join(done.folder!, 'trajectory.jsonl'), 'utf8'), /"type":"result"/);
    });

    it('snapshot not found: its name, the runbook’s name for it, and the mapping setting', async () => {
      const done = await failing({}, { snapshots: { 'python312-uv': 'acme-python' } });
      assert.deepEqual(done.error, {
        message:
          'Daytona has no snapshot named "acme-python" in your organisation (the runbook says "python312-uv", mapped to "acme-python" by JETTY_DAYTONA_SNAPSHOTS (a JSON object)). Jetty\'s snapshot names may not exist there.',
        nextStep:
          'Map it to one of your own snapshots in JETTY_DAYTONA_SNAPSHOTS (a JSON object), e.g. {"python312-uv":"<your snapshot>"}.',
        actions: [{ kind: 'open-setting', setting: 'jetty.daytona.snapshots' }],
      });
    });

    it('an install that cannot reach npm: the tail of its output (the pinned version differs from the one in the sandbox)', async () => {
      const model = await anthropic([]);
      const p = plan(
        CLAUDE_RUNBOOK,
        { ANTHROPIC_BASE_URL: model.url },
        { versions: { ...DEFAULT_VERSIONS, 'claude-code': '2.1.330' } },
      );
      // No registry: npm fails at once instead of reaching the network.
      p.request.env = { ...p.request.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' };
      const { outcome } = run(p);
      const done = await outcome;
      assert.equal(done.status, 'failed');
      assert.match(
        done.error!.message,
        /^Installing claude-code 2\.1\.330 \(@anthropic-ai\/claude-code\) in the sandbox failed \(exit code 1\):\nInstalling claude-code 2\.1\.330 \(found: 2\.1\.126\)\n.*(ECONNREFUSED|request to http:\/\/127\.0\.0\.1:9)/s,
      );
      assert.deepEqual(done.error!.actions, [{ kind: 'open-setting', setting: 'jetty.claudeCode.version' }]);
      assert.deepEqual(fake.liveSandboxes(), []);
    });
  });
});
