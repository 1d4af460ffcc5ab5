// The run plan: the exact command lines of both agents (the seed runner's flags, stdin closed, IS_SANDBOX as root with
// permissions bypassed), the install step that reinstalls a CLI whose version differs, MCP servers for each agent, the
// codex credential file deleted when the agent exits, keys kept out of command text and prompt, snapshot mapping, and
// every reason a run is refused before anything is created.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { providerSettingsFromEnv } from '../../../../src/core/keys';
import { explainBlocked } from '../../../../src/core/run/errors';
import { DEFAULT_VERSIONS } from '../../../../src/core/agents';
import { EXACT_VERSION, planRun, sandboxSteps, type PlanInput, type RunPlan } from '../../../../src/core/run/plan';
import { VSCODE_WORDS } from '../../../../src/vscode/words';
import { CLI_WORDS } from '../../../../src/cli/words';

const ANTHROPIC = 'sk-ant-api03-plan-test-key';
const OPENAI = 'sk-proj-plan-test-key';
const DAYTONA = 'dtn_plantestkey';
const WORK = '/home/daytona';

const HELLO = `---
agent: claude-code
model: claude-sonnet-4-6
model_provider: anthropic
snapshot: python312-uv
---
# Hello

Write a greeting to \`{{results_dir}}/hello.md\`.
`;

function input(text: string, overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    text,
    name: 'hello',
    sandbox: 'daytona',
    settings: { provider: providerSettingsFromEnv({}), versions: DEFAULT_VERSIONS, snapshots: {} },
    keys: { ANTHROPIC_API_KEY: ANTHROPIC, OPENAI_API_KEY: OPENAI, DAYTONA_API_KEY: DAYTONA },
    secrets: {},
    ...overrides,
  };
}

function plan(text: string, overrides: Partial<PlanInput> = {}): RunPlan {
  const result = planRun(input(text, overrides));
  assert.ok(result.ok, `expected a plan, got ${JSON.stringify(!result.ok && result.blocked)}`);
  return result.plan;
}

describe('run plan', () => {
  it('claude-code on Daytona: the sandbox request, the rendered prompt and the exact command line', () => {
    const p = plan(HELLO);
    assert.deepEqual(
      {
        agent: p.agent,
        agentVersion: p.agentVersion,
        model: p.model,
        provider: p.provider,
        providerKeys: p.providerKeys,
      },
      {
        agent: 'claude-code',
        agentVersion: '2.1.126',
        model: 'claude-sonnet-4-6',
        provider: 'anthropic',
        providerKeys: ['ANTHROPIC_API_KEY'],
      },
    );
    assert.deepEqual(p.request, {
      snapshot: 'python312-uv',
      env: { ANTHROPIC_API_KEY: ANTHROPIC },
      labels: { 'jetty-runbook': 'hello' },
    });
    const steps = sandboxSteps(p, WORK);
    assert.equal(steps.resultsDir, '/app/results', 'Jetty’s layout, whatever the work dir');
    assert.deepEqual(steps.files, [
      { path: '/logs/agent/prompt.md', content: '# Hello\n\nWrite a greeting to `/app/results/hello.md`.\n' },
    ]);
    assert.equal(
      steps.agent,
      [
        'export PATH="${JETTY_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jetty-runbooks}/claude-code-2.1.126"/bin:"$PATH"',
        "export DISABLE_AUTOUPDATER='1'",
        "export DISABLE_TELEMETRY='1'",
        "export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC='1'",
        "export CLAUDE_CONFIG_DIR='/logs/agent/sessions'",
        'if [ "$(id -u)" = 0 ]; then export IS_SANDBOX=1; fi',
        "cd '/home/daytona'",
        `claude -p --output-format stream-json --verbose --model 'claude-sonnet-4-6' ` +
          `--allowedTools 'Bash,Edit,Write,Read,Glob,Grep,LS,WebFetch,NotebookEdit,NotebookRead,TodoRead,TodoWrite,Agent' ` +
          `--permission-mode bypassPermissions -- "$(cat '/logs/agent/prompt.md')" < /dev/null`,
      ].join('\n'),
    );
    for (const text of [steps.agent, steps.install, ...steps.files.map((f) => String(f.content))]) {
      assert.ok(!text.includes(ANTHROPIC) && !text.includes(DAYTONA), 'no key in a command line or an uploaded file');
    }
    assert.deepEqual(new Set(p.secretValues), new Set([ANTHROPIC, OPENAI, DAYTONA]));
  });

  it('the local sandbox isolates the agent as Daytona does: the same layout, permissions bypassed, codex’s own sandbox too', () => {
    const claude = sandboxSteps(
      plan(HELLO, { sandbox: 'local', keys: { ANTHROPIC_API_KEY: ANTHROPIC } }),
      '/home/jetty',
    );
    assert.match(
      claude.agent,
      /--permission-mode bypassPermissions -- "\$\(cat '\/logs\/agent\/prompt\.md'\)" < \/dev\/null$/,
    );
    assert.ok(claude.agent.includes('export IS_SANDBOX=1'), 'claude-code refuses to bypass as root without it');
    assert.equal(claude.resultsDir, '/app/results');
    const codex = sandboxSteps(
      plan('---\nagent: codex\nmodel: gpt-5.5\n---\nGo.\n', { sandbox: 'local', keys: { OPENAI_API_KEY: OPENAI } }),
      '/home/jetty',
    ).agent;
    assert.match(codex, /\ncodex exec --dangerously-bypass-approvals-and-sandbox --skip-git-repo-check /);
  });

  it('lays out /app/results, /app/assets, /app/checks and /logs/agent before the upload, with sudo where the user needs it', () => {
    const layout = sandboxSteps(plan(HELLO), WORK).layout;
    assert.match(layout, /^for dir in '\/app\/results' '\/app\/assets' '\/app\/checks' '\/logs\/agent'; do\n/);
    assert.ok(layout.includes('sudo -n mkdir -p "$dir" && sudo -n chown "$(id -u):$(id -g)" "$dir"'), layout);
    assert.match(layout, /\nchmod 700 '\/logs\/agent'$/, 'the agent’s home holds its credentials');
  });

  it('codex with OpenAI: the seed command line, $CODEX_HOME/auth.json written readable by its owner and deleted on exit', () => {
    const p = plan(
      '---\nagent: codex\nmodel: gpt-5.5\nsnapshot: python312-uv\n---\nDo it; write {{results_dir}}/report.md\n',
    );
    assert.deepEqual(p.request.env, {}, 'codex reads the key from auth.json, not the environment');
    const steps = sandboxSteps(p, WORK);
    assert.deepEqual(steps.files[1], {
      path: '/logs/agent/auth.json',
      content: `${JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: OPENAI }, null, 2)}\n`,
    });
    assert.equal(
      steps.agent,
      [
        'export PATH="${JETTY_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jetty-runbooks}/codex-0.169.0"/bin:"$PATH"',
        "export CODEX_HOME='/logs/agent'",
        "chmod 600 '/logs/agent/auth.json'",
        "remove_credentials() { rm -f '/logs/agent/auth.json'; }",
        'trap remove_credentials EXIT',
        "cd '/home/daytona'",
        `codex exec --dangerously-bypass-approvals-and-sandbox --skip-git-repo-check --model 'gpt-5.5' --json -- "$(cat '/logs/agent/prompt.md')" < /dev/null`,
      ].join('\n'),
    );
  });

  it('deletes the credential file when the agent exits, also when it fails (the command run for real in bash)', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-trap-'));
    try {
      const p = plan('---\nagent: codex\nmodel: gpt-5.5\n---\nGo.\n');
      const steps = sandboxSteps(p, work);
      for (const file of steps.files) {
        fs.mkdirSync(path.dirname(path.join(work, file.path)), { recursive: true });
        fs.writeFileSync(path.join(work, file.path), file.content);
      }
      // The sandbox's /logs/agent, here under the test's folder.
      const agent = steps.agent.replaceAll("'/logs/agent", `'${work}/logs/agent`);
      // A codex that looks for its credential, says whether it could read it, and fails.
      const bin = path.join(work, 'bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(
        path.join(bin, 'codex'),
        '#!/bin/bash\n[ -r "$CODEX_HOME/auth.json" ] && echo "auth.json present"\nexit 7\n',
        { mode: 0o755 },
      );
      let status = 0;
      let output = '';
      try {
        execFileSync('bash', ['-c', agent], {
          env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
          encoding: 'utf8',
        });
      } catch (error) {
        status = (error as { status: number }).status;
        output = (error as { stdout: string }).stdout;
      }
      assert.equal(status, 7, 'the agent’s exit code comes through the trap');
      assert.equal(output, 'auth.json present\n');
      assert.ok(fs.existsSync(path.join(work, 'logs/agent/prompt.md')));
      assert.ok(!fs.existsSync(path.join(work, 'logs/agent/auth.json')), 'auth.json is gone');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('MCP servers: /logs/agent/mcp.json and mcp__<server>__* for claude-code; config.toml tables after the route’s provider entry for codex', () => {
    const mcp =
      'mcp_servers:\n  playwright:\n    command: npx\n    args: ["-y", "@playwright/mcp@latest"]\n  files:\n    command: files-mcp\n    env: {ROOT: /data}\n';
    const claude = sandboxSteps(plan(`---\nagent: claude-code\nmodel: claude-sonnet-4-6\n${mcp}---\nGo.\n`), WORK);
    assert.deepEqual(JSON.parse(String(claude.files[1]!.content)), {
      mcpServers: {
        playwright: { command: 'npx', args: ['-y', '@playwright/mcp@latest'] },
        files: { command: 'files-mcp', args: [], env: { ROOT: '/data' } },
      },
    });
    assert.equal(claude.files[1]!.path, '/logs/agent/mcp.json');
    assert.ok(
      claude.agent.includes(
        ",Agent,mcp__playwright__*,mcp__files__*' --mcp-config '/logs/agent/mcp.json' --permission-mode bypassPermissions -- ",
      ),
      claude.agent,
    );

    const settings = {
      provider: providerSettingsFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }),
      versions: DEFAULT_VERSIONS,
      snapshots: {},
    };
    const codex = plan(`---\nagent: codex\nmodel: gpt-5.5\n${mcp}---\nGo.\n`, { settings });
    assert.deepEqual(
      codex.request.env,
      { OPENAI_API_KEY: OPENAI },
      'with a base URL the key travels in the env var the provider entry names',
    );
    const config = sandboxSteps(codex, WORK).files.find((f) => f.path === '/logs/agent/config.toml');
    assert.equal(
      config?.content,
      [
        'model_provider = "jetty-openai"',
        '',
        '[model_providers.jetty-openai]',
        'name = "OpenAI (jetty.openai.baseUrl)"',
        'base_url = "http://127.0.0.1:9/v1"',
        'env_key = "OPENAI_API_KEY"',
        'wire_api = "responses"',
        '',
        '[mcp_servers."playwright"]',
        'command = "npx"',
        'args = ["-y", "@playwright/mcp@latest"]',
        '',
        '[mcp_servers."files"]',
        'command = "files-mcp"',
        'args = []',
        'env = { "ROOT" = "/data" }',
        '',
      ].join('\n'),
    );
  });

  it('installs the pinned version only when `<cli> --version` says another (the script run for real against fake CLIs)', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-install-'));
    try {
      const bin = path.join(scratch, 'bin');
      fs.mkdirSync(bin);
      const install = sandboxSteps(plan(HELLO), WORK).install;
      const run = (claudeVersion: string) => {
        fs.writeFileSync(path.join(bin, 'claude'), `#!/bin/bash\necho "${claudeVersion} (Claude Code)"\n`, {
          mode: 0o755,
        });
        // npm stands in for the registry: it records what it was asked and fails.
        fs.writeFileSync(
          path.join(bin, 'npm'),
          '#!/bin/bash\necho "npm $*"\necho "npm error code E404" >&2\nexit 1\n',
          { mode: 0o755 },
        );
        try {
          return {
            status: 0,
            output: execFileSync('bash', ['-c', install], {
              env: { PATH: `${bin}:/usr/bin:/bin`, HOME: scratch },
              encoding: 'utf8',
              stdio: ['ignore', 'pipe', 'pipe'],
            }),
          };
        } catch (error) {
          return { status: (error as { status: number }).status, output: (error as { stdout: string }).stdout };
        }
      };
      assert.deepEqual(run('2.1.126'), { status: 0, output: 'claude-code 2.1.126 is installed\n' });
      const other = run('2.1.330');
      assert.equal(other.status, 1);
      assert.equal(
        other.output,
        `Installing claude-code 2.1.126 (found: 2.1.330)\nnpm install --global --prefix ${scratch}/.cache/jetty-runbooks/claude-code-2.1.126 --no-audit --no-fund --loglevel=error @anthropic-ai/claude-code@2.1.126\nnpm error code E404\n`,
      );
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('takes the CLI versions from the settings', () => {
    const versions = { 'claude-code': '2.1.330', codex: '0.170.0' };
    const settings = { provider: providerSettingsFromEnv({}), versions, snapshots: {} };
    const claude = plan(HELLO, { settings });
    assert.equal(claude.agentVersion, '2.1.330');
    assert.match(sandboxSteps(claude, WORK).install, /^want='2\.1\.330'\n.*claude-code-2\.1\.330"/s);
    assert.equal(plan('---\nagent: codex\nmodel: gpt-5.5\n---\nGo.\n', { settings }).agentVersion, '0.170.0');
  });

  it('maps the snapshot through jetty.daytona.snapshots, and uses an image when the runbook names one', () => {
    const settings = {
      provider: providerSettingsFromEnv({}),
      versions: DEFAULT_VERSIONS,
      snapshots: { 'python312-uv': 'my-python' },
    };
    const mapped = plan(HELLO, { settings });
    assert.equal(mapped.request.snapshot, 'my-python');
    assert.equal(mapped.snapshotMappedFrom, 'python312-uv');
    const image = plan(HELLO.replace('snapshot: python312-uv', 'image: ghcr.io/acme/agent:1'));
    assert.equal(image.request.image, 'ghcr.io/acme/agent:1');
    assert.equal(image.request.snapshot, undefined);
  });

  it('gives the agent the runbook’s secrets as environment variables and its prompt only references to them', () => {
    const text =
      '---\nagent: claude-code\nmodel: claude-sonnet-4-6\nsecrets:\n  GH_TOKEN:\n    env: GITHUB_TOKEN\n  OPTIONAL:\n    required: false\n---\nClone https://{{secrets.GH_TOKEN}}@github.com/x into {{results_dir}}.\n';
    const p = plan(text, { secrets: { GH_TOKEN: 'ghp_secretvalue123' } });
    assert.equal(p.request.env.GITHUB_TOKEN, 'ghp_secretvalue123');
    assert.ok(p.secretValues.includes('ghp_secretvalue123'));
    assert.equal(
      sandboxSteps(p, WORK).files[0]!.content,
      'Clone https://${GITHUB_TOKEN}@github.com/x into /app/results.\n',
    );
  });

  it('a runbook cannot pull a stored key into its sandbox by declaring a secret of that name', () => {
    const text =
      '---\nagent: codex\nmodel: gpt-5.5\nsecrets:\n  DAYTONA_API_KEY:\n    env: HELPER\n  ANTHROPIC_API_KEY: {}\n  STEAL:\n    env: DAYTONA_API_KEY\n---\nGo.\n';
    const keys = { ANTHROPIC_API_KEY: ANTHROPIC, OPENAI_API_KEY: OPENAI, DAYTONA_API_KEY: DAYTONA };
    // Every stored key is at hand, no runbook secret is set: the run asks for the runbook's own secrets.
    const blocked = planRun(input(text, { keys }));
    assert.ok(!blocked.ok && blocked.blocked.reason === 'missing-keys');
    assert.deepEqual(
      blocked.blocked.keys.map((k) => `${k.kind}:${k.name}`),
      ['secret:DAYTONA_API_KEY', 'secret:ANTHROPIC_API_KEY', 'secret:STEAL'],
    );
    // With the runbook's own values, those and only those reach the sandbox; the Daytona variable never does.
    const p = plan(text, {
      keys,
      secrets: {
        DAYTONA_API_KEY: 'runbook-helper-value',
        ANTHROPIC_API_KEY: 'runbook-anthropic-value',
        STEAL: 'runbook-steal-value',
      },
    });
    assert.deepEqual(p.request.env, { HELPER: 'runbook-helper-value', ANTHROPIC_API_KEY: 'runbook-anthropic-value' });
    for (const value of Object.values(p.request.env)) assert.ok(value !== DAYTONA && value !== ANTHROPIC);
  });

  it('a runbook secret never overwrites a variable its route sets', () => {
    const settings = {
      provider: providerSettingsFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }),
      versions: DEFAULT_VERSIONS,
      snapshots: {},
    };
    const p = plan('---\nagent: codex\nmodel: gpt-5.5\nsecrets:\n  MINE:\n    env: OPENAI_API_KEY\n---\nGo.\n', {
      settings,
      secrets: { MINE: 'runbook-openai-value' },
    });
    assert.deepEqual(p.request.env, { OPENAI_API_KEY: OPENAI });
  });

  it('a base URL carrying a credential stays out of the command text, and its credential parts are hidden', () => {
    const gateway = 'https://jetty:gw-password-123@gateway.example/anthropic?key=gw-query-token-456&region=eu';
    const p = plan(HELLO, {
      settings: {
        provider: providerSettingsFromEnv({ ANTHROPIC_BASE_URL: gateway }),
        versions: DEFAULT_VERSIONS,
        snapshots: {},
      },
    });
    assert.equal(p.request.env.ANTHROPIC_BASE_URL, gateway, 'in the sandbox’s own environment, with the key');
    const steps = sandboxSteps(p, WORK);
    for (const text of [steps.agent, steps.install])
      assert.ok(!text.includes('gw-password-123') && !text.includes('gw-query-token-456'), text);
    for (const part of ['gw-password-123', 'gw-query-token-456']) assert.ok(p.secretValues.includes(part), part);

    const openrouter = 'http://127.0.0.1:7000/api/v1?api_key=or-query-secret-789';
    const codex = plan('---\nagent: codex\nmodel_provider: openrouter\nmodel: qwen/qwen3-coder\n---\nGo.\n', {
      settings: {
        provider: providerSettingsFromEnv({ OPENROUTER_BASE_URL: openrouter }),
        versions: DEFAULT_VERSIONS,
        snapshots: {},
      },
      keys: { OPENROUTER_API_KEY: 'sk-or-v1-plan-test', DAYTONA_API_KEY: DAYTONA },
    });
    const config = codex.files.find((f) => f.path === 'config.toml');
    assert.equal(config?.credential, true, 'config.toml names the URL: deleted when the agent exits');
    assert.ok(codex.secretValues.includes('or-query-secret-789'));
  });

  it('uses the agent’s default model when the runbook names none', () => {
    assert.equal(plan('---\nagent: claude-code\nmodel_provider: anthropic\n---\nGo.\n').model, 'claude-sonnet-4-6');
  });

  describe('refuses before anything is created', () => {
    it('a runbook with lint errors, listing them', () => {
      const result = planRun(
        input(fs.readFileSync(path.join(__dirname, '../../../../examples/bedrock-glm.md'), 'utf8'), {
          keys: { AWS_BEARER_TOKEN_BEDROCK: 'ABSKtoken', DAYTONA_API_KEY: DAYTONA },
        }),
      );
      assert.ok(!result.ok && result.blocked.reason === 'lint');
      assert.deepEqual(
        result.blocked.findings.map((f) => [f.code, f.severity]),
        [['model-cross-family-bedrock', 'error']],
      );
    });

    it('missing keys, naming each (the provider’s, Daytona’s, a required secret) but not those a local run does not need', () => {
      const text = HELLO.replace('---\n#', 'secrets:\n  GH_TOKEN: {}\n---\n#');
      const daytona = planRun(input(text, { keys: {} }));
      assert.ok(!daytona.ok && daytona.blocked.reason === 'missing-keys');
      assert.deepEqual(
        daytona.blocked.keys.map((k) => [k.name, k.kind]),
        [
          ['ANTHROPIC_API_KEY', 'key'],
          ['DAYTONA_API_KEY', 'key'],
          ['GH_TOKEN', 'secret'],
        ],
      );
      const local = planRun(input(text, { sandbox: 'local', keys: { ANTHROPIC_API_KEY: ANTHROPIC } }));
      assert.ok(!local.ok && local.blocked.reason === 'missing-keys');
      assert.deepEqual(
        local.blocked.keys.map((k) => k.name),
        ['GH_TOKEN'],
      );
    });

    it('a CLI version that is not exact (a tag or a range), naming the setting or the CLI’s variable', () => {
      for (const [agent, version] of [
        ['claude-code', 'latest'],
        ['claude-code', '^2.1'],
        ['codex', '0.169'],
        ['codex', '0.169.0 ; rm -rf /'],
      ] as const) {
        const settings = {
          provider: providerSettingsFromEnv({}),
          versions: { ...DEFAULT_VERSIONS, [agent]: version },
          snapshots: {},
        };
        const result = planRun(input(`---\nagent: ${agent}\n---\nGo.\n`, { settings }));
        assert.ok(!result.ok && result.blocked.reason === 'setting', `${agent} ${version}`);
        const setting = agent === 'codex' ? 'jetty.codex.version' : 'jetty.claudeCode.version';
        assert.deepEqual(explainBlocked(result.blocked, 'hello.md', VSCODE_WORDS), {
          message: `${agent} version "${version}" is not an exact version such as ${DEFAULT_VERSIONS[agent]}. Nothing was started.`,
          nextStep: `Correct the setting ${setting}.`,
          actions: [{ kind: 'open-setting', setting }],
        });
        assert.equal(
          explainBlocked(result.blocked, 'hello.md', CLI_WORDS).nextStep,
          `Correct ${agent === 'codex' ? 'JETTY_CODEX_VERSION' : 'JETTY_CLAUDE_CODE_VERSION'}.`,
        );
      }
      const prerelease = {
        provider: providerSettingsFromEnv({}),
        versions: { ...DEFAULT_VERSIONS, codex: '0.170.0-alpha.2' },
        snapshots: {},
      };
      assert.equal(plan('---\nagent: codex\n---\nGo.\n', { settings: prerelease }).agentVersion, '0.170.0-alpha.2');
      // The settings editor refuses the same values.
      const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as {
        contributes: { configuration: { properties: Record<string, { pattern?: string }> } };
      };
      for (const setting of ['jetty.claudeCode.version', 'jetty.codex.version'])
        assert.equal(manifest.contributes.configuration.properties[setting]?.pattern, EXACT_VERSION.source, setting);
    });

    it('an agent with a provider it does not speak', () => {
      const result = planRun(
        input('---\nagent: opencode\nmodel: claude-sonnet-4-6\nmodel_provider: anthropic\n---\nGo.\n', {
          settings: {
            provider: providerSettingsFromEnv({}),
            versions: DEFAULT_VERSIONS,
            snapshots: {},
            lintRules: { 'provider-unsupported': 'off' },
          },
        }),
      );
      assert.ok(!result.ok && result.blocked.reason === 'unsupported');
      assert.equal(
        result.blocked.message,
        'opencode does not speak the Anthropic API: use agent: claude-code or hermes.',
      );
    });
  });
});
