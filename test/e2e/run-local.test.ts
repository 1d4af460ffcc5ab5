// The local sandbox (`jetty.sandbox: local`, `--sandbox local`): the same plan and runner in a temporary folder on this
// machine, one whole run with each real CLI against the mock model servers. The folder is gone afterwards; the results
// are in the run folder. Each runbook body opens with a list item, which the CLI must not take for an option.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { providerSettingsFromEnv } from '../../src/core/keys';
import { createLocalProvider } from '../../src/core/run/local';
import { DEFAULT_VERSIONS } from '../../src/core/agents';
import { planRun, type RunPlan } from '../../src/core/run/plan';
import { runPlan } from '../../src/core/run/runner';
import type { InitEvent } from '../../src/core/trajectory/events';
import { AGENT_CLI_VERSIONS, ensureAgentCli, repoRoot } from '../fakes/agent-clis';
import { startAnthropicMock } from '../fakes/anthropic';
import { startOpenAIMock } from '../fakes/openai';
import { linkAgentClis, recordRuns } from '../fakes/world';
import { CLI_WORDS } from '../../src/cli/words';

describe('runs in the local sandbox (real agent CLIs)', function () {
  let bin: string;
  let scratch: string;

  before(async function () {
    this.timeout(15 * 60_000);
    await ensureAgentCli('claude-code', AGENT_CLI_VERSIONS.claudeCodePinned);
    await ensureAgentCli('codex', AGENT_CLI_VERSIONS.codex);
    bin = linkAgentClis(repoRoot());
  });
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'run-local-'));
    fs.mkdirSync(path.join(scratch, 'sandboxes'));
    fs.mkdirSync(path.join(scratch, 'home'));
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));
  after(() => fs.rmSync(bin, { recursive: true, force: true }));

  function plan(text: string, env: NodeJS.ProcessEnv): RunPlan {
    const result = planRun({
      text,
      name: 'local',
      sandbox: 'local',
      settings: { provider: providerSettingsFromEnv(env), versions: DEFAULT_VERSIONS, snapshots: {} },
      keys: { ANTHROPIC_API_KEY: 'sk-ant-api03-local-test', OPENAI_API_KEY: 'sk-proj-local-test' },
      secrets: {},
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.blocked));
    // The installed CLIs on PATH, as on a machine that has them; a home of its own so the CLIs' state stays in the test.
    return {
      ...result.plan,
      request: {
        ...result.plan.request,
        env: { ...result.plan.request.env, PATH: `${bin}:${process.env.PATH}`, HOME: path.join(scratch, 'home') },
      },
    };
  }

  async function go(p: RunPlan) {
    const shown = recordRuns();
    const outcome = await runPlan(p, {
      provider: createLocalProvider({ root: path.join(scratch, 'sandboxes') }),
      trajectories: shown.trajectories,
      redact: (t) => t,
      runsRoot: path.join(scratch, '.jetty', 'runs'),
      timeoutMinutes: 5,
      words: CLI_WORDS,
    });
    assert.deepEqual(fs.readdirSync(path.join(scratch, 'sandboxes')), [], 'the temporary folder is gone');
    return { outcome, shown };
  }

  it('claude-code', async () => {
    const model = await startAnthropicMock([
      {
        blocks: [{ type: 'tool_use', name: 'Bash', input: { command: 'mkdir -p results && pwd > results/where.txt' } }],
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
      assert.deepEqual(outcome.results, ['where.txt']);
      const where = fs.readFileSync(path.join(outcome.folder!, 'results', 'where.txt'), 'utf8').trim();
      assert.match(
        where,
        new RegExp(`^${path.join(scratch, 'sandboxes')}/jetty-sandbox-[^/]+/work$`),
        'the agent worked in the temporary folder',
      );
      const init = shown.events.find((e): e is InitEvent => e.kind === 'init');
      assert.equal(init?.permissionMode, 'default', 'no bypassed permissions on this machine');
      const prompt = (
        model.messageRequests()[0]?.body as { messages: { content: { text?: string }[] }[] }
      ).messages[0]!.content.map((c) => c.text ?? '').join('');
      assert.ok(prompt.includes(`- Write to ${where}/results.`), 'the prompt, a list item, names the results folder');
    } finally {
      await model.close();
    }
  });

  it('codex, inside its own sandbox: the work dir is writable, the rest of this machine is not', async () => {
    // Outside the folders codex's workspace-write sandbox leaves writable (the work dir, /tmp and $TMPDIR), wherever
    // the repository happens to be: a fresh CI clone lives under /tmp, so a path inside it would be writable.
    const outside = path.join('/var/tmp', `jetty-run-local-outside-${process.pid}.txt`);
    assert.ok(
      !outside.startsWith(`${os.tmpdir()}/`) && !outside.startsWith('/tmp/'),
      `${outside} is outside the temporary folders`,
    );
    const model = await startOpenAIMock([
      {
        items: [
          {
            type: 'function_call',
            name: 'exec_command',
            arguments: { cmd: `mkdir -p results && echo report > results/report.md && echo x > '${outside}'` },
          },
        ],
      },
      { items: [{ type: 'message', text: 'Done.' }] },
    ]);
    try {
      const { outcome } = await go(
        plan('---\nagent: codex\nmodel: gpt-5.4\n---\n- Write the report.\n', { OPENAI_BASE_URL: `${model.url}/v1` }),
      );
      assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome.error));
      assert.deepEqual(outcome.results, ['report.md']);
      // What the agent's command answered, as the model got it (codex 0.169 prints no command item for a command its
      // sandbox refused, so the trajectory does not show it).
      const answer = JSON.stringify(model.requests.at(-1)?.body);
      assert.match(answer, /Read-only file system/);
      assert.ok(!fs.existsSync(outside), 'nothing was written outside the work dir');
    } finally {
      fs.rmSync(outside, { force: true });
      await model.close();
    }
  });
});
