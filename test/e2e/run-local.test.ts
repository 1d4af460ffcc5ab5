// The local sandbox (`jetty.sandbox: local`, `--sandbox local`): the same plan and runner, every command isolated by
// bubblewrap in a root of the run's own, one whole run with each real CLI against the mock model servers. The agent
// writes Jetty's /app/results and the results come home; nothing it or its MCP servers start lands on this machine
// outside the run's folder; it gets none of this machine's variables; the folder is gone afterwards.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { providerSettingsFromEnv } from '../../src/core/keys';
import { createLocalProvider, LOCAL_HOME } from '../../src/core/run/local';
import { DEFAULT_VERSIONS } from '../../src/core/agents';
import { planRun, type RunPlan } from '../../src/core/run/plan';
import { runPlan } from '../../src/core/run/runner';
import { Redactor } from '../../src/core/redact';
import type { InitEvent } from '../../src/core/trajectory/events';
import { AGENT_CLI_VERSIONS, ensureAgentCli, repoRoot } from '../fakes/agent-clis';
import { startAnthropicMock } from '../fakes/anthropic';
import { startOpenAIMock } from '../fakes/openai';
import { canary, filesUnder } from '../canary';
import { agentCliFolders, linkAgentClis, recordRuns } from '../fakes/world';
import { CLI_WORDS } from '../../src/cli/words';

const ANTHROPIC_KEY = canary('LOCAL');
const OPENAI_KEY = `sk-proj-local-test-${process.pid}`;

describe('runs in the local sandbox (bubblewrap, real agent CLIs)', function () {
  let bin: string;
  let scratch: string;
  /** Names of files this test must find nowhere on this machine. */
  let marker: string;

  before(async function () {
    this.timeout(15 * 60_000);
    await ensureAgentCli('claude-code', AGENT_CLI_VERSIONS.claudeCodePinned);
    await ensureAgentCli('codex', AGENT_CLI_VERSIONS.codex);
    bin = linkAgentClis(repoRoot());
  });
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'run-local-'));
    fs.mkdirSync(path.join(scratch, 'sandboxes'));
    marker = `jetty-run-local-${process.pid}-${Date.now()}`;
  });
  afterEach(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
    for (const dir of ['/tmp', '/var/tmp', '/app/results', os.homedir()])
      for (const suffix of ['', '-mcp', '-agent'])
        assert.ok(!fs.existsSync(path.join(dir, `${marker}${suffix}`)), `nothing in this machine’s ${dir}`);
  });
  after(() => fs.rmSync(bin, { recursive: true, force: true }));

  function plan(text: string, env: NodeJS.ProcessEnv): RunPlan {
    const result = planRun({
      text,
      name: 'local',
      sandbox: 'local',
      settings: { provider: providerSettingsFromEnv(env), versions: DEFAULT_VERSIONS, snapshots: {} },
      keys: { ANTHROPIC_API_KEY: ANTHROPIC_KEY, OPENAI_API_KEY: OPENAI_KEY },
      secrets: {},
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.blocked));
    return result.plan;
  }

  async function go(p: RunPlan) {
    const shown = recordRuns();
    const progress: string[] = [];
    const outcome = await runPlan(p, {
      // The installed CLIs, read-only inside, first on its PATH: as on a machine that has them.
      provider: createLocalProvider({
        root: path.join(scratch, 'sandboxes'),
        readOnly: agentCliFolders(repoRoot(), bin),
        path: [bin],
        cliCache: path.join(scratch, 'cli-cache'),
      }),
      trajectories: shown.trajectories,
      redact: new Redactor([ANTHROPIC_KEY, OPENAI_KEY]).redact,
      runsRoot: path.join(scratch, '.jetty', 'runs'),
      timeoutMinutes: 5,
      words: CLI_WORDS,
      onProgress: (m) => progress.push(m),
    });
    assert.deepEqual(fs.readdirSync(path.join(scratch, 'sandboxes')), [], 'the sandbox folder is gone');
    for (const file of filesUnder(outcome.folder!))
      assert.ok(!file.text.includes(ANTHROPIC_KEY) && !file.text.includes(OPENAI_KEY), `no key in ${file.file}`);
    return { outcome, shown, progress };
  }

  it('claude-code writes /app/results, which comes home; it works in its own home, without this machine’s variables', async () => {
    process.env.JETTY_HOST_ONLY = marker; // a variable of this machine, as GITHUB_TOKEN or DAYTONA_API_KEY would be
    // claude-code's transcripts (which quote what its tools printed, keys included) stay in the sandbox's /logs/agent.
    const transcripts = path.join(os.homedir(), '.claude', 'projects');
    const listed = () => (fs.existsSync(transcripts) ? fs.readdirSync(transcripts).sort() : []);
    const transcriptsBefore = listed();
    const model = await startAnthropicMock([
      {
        blocks: [
          {
            type: 'tool_use',
            name: 'Bash',
            input: {
              command: `pwd > /app/results/where.txt && env | cut -d= -f1 | sort > /app/results/env.txt && echo x > /tmp/${marker} && echo x > "$HOME/${marker}"`,
            },
          },
        ],
      },
      { blocks: [{ type: 'text', text: 'Done.' }] },
    ]);
    try {
      const { outcome, shown } = await go(
        plan('---\nagent: claude-code\nmodel: claude-sonnet-4-6\n---\n- Write to {{results_dir}}.\n', {
          ANTHROPIC_BASE_URL: model.url,
        }),
      );
      assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome.error));
      assert.deepEqual(outcome.results, ['env.txt', 'where.txt']);
      const result = (file: string) => fs.readFileSync(path.join(outcome.folder!, 'results', file), 'utf8');
      assert.equal(result('where.txt'), `${LOCAL_HOME}\n`, 'the agent worked in the sandbox’s own home');
      const names = result('env.txt').trim().split('\n');
      assert.ok(!names.includes('JETTY_HOST_ONLY'), 'no variable of this machine reached the agent');
      assert.ok(names.includes('ANTHROPIC_API_KEY') && names.includes('ANTHROPIC_BASE_URL'), 'its route’s did');
      const init = shown.events.find((e): e is InitEvent => e.kind === 'init');
      assert.equal(init?.permissionMode, 'bypassPermissions', 'isolated, so permissions are bypassed as on Daytona');
      const prompt = (
        model.messageRequests()[0]?.body as { messages: { content: { text?: string }[] }[] }
      ).messages[0]!.content.map((c) => c.text ?? '').join('');
      assert.ok(prompt.includes('- Write to /app/results.'), 'the prompt, a list item, names Jetty’s results folder');
      assert.deepEqual(listed(), transcriptsBefore, 'no transcript in this machine’s ~/.claude');
    } finally {
      delete process.env.JETTY_HOST_ONLY;
      await model.close();
    }
  });

  it('codex and its MCP servers run inside: /app/results comes home, nothing lands on this machine', async () => {
    // The reproduction: an MCP server's command ran outside codex's own sandbox and wrote where the agent could not.
    const runbook = `---
agent: codex
model: gpt-5.4
mcp_servers:
  probe:
    command: sh
    args: ["-c", "echo ran > /app/results/mcp.txt; echo x > /var/tmp/${marker}-mcp; echo x > /tmp/${marker}-mcp"]
---
- Write the report.
`;
    const model = await startOpenAIMock([
      {
        items: [
          {
            type: 'function_call',
            name: 'exec_command',
            arguments: { cmd: `echo report > /app/results/report.md && echo x > /var/tmp/${marker}-agent` },
          },
        ],
      },
      { items: [{ type: 'message', text: 'Done.' }] },
    ]);
    try {
      const { outcome } = await go(plan(runbook, { OPENAI_BASE_URL: `${model.url}/v1` }));
      assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome.error));
      assert.deepEqual(outcome.results, ['mcp.txt', 'report.md']);
      assert.equal(fs.readFileSync(path.join(outcome.folder!, 'results', 'mcp.txt'), 'utf8'), 'ran\n');
    } finally {
      await model.close();
    }
  });
});
