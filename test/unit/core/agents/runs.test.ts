// What a run of gemini-cli, opencode or hermes is made of, from its adapter through the plan: the sandbox's environment
// (the keys), the files in the agent's home (credentials marked), the exact command line, MCP servers merged into each
// CLI's own configuration, and hermes' install into a virtual environment of its own (the script run for real against
// stand-ins for python3 and pip).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_VERSIONS } from '../../../../src/core/agents';
import { HERMES_ACP_DRIVER } from '../../../../src/core/agents/hermes';
import { providerSettingsFromEnv } from '../../../../src/core/keys';
import { CLI_WORDS } from '../../../../src/cli/words';
import { explainBlocked } from '../../../../src/core/run/errors';
import { planRun, sandboxSteps, type RunPlan } from '../../../../src/core/run/plan';

const WORK = '/home/daytona';
const HOME = '/logs/agent';
const PROMPT = `"$(cat '/logs/agent/prompt.md')"`;
const KEYS = {
  GEMINI_API_KEY: 'AIzaSy-runs-test-gemini',
  OPENROUTER_API_KEY: 'sk-or-v1-runs-test',
  AWS_BEARER_TOKEN_BEDROCK: 'ABSKruns-test',
  ANTHROPIC_API_KEY: 'sk-ant-api03-runs-test',
  OPENAI_API_KEY: 'sk-proj-runs-test',
  DAYTONA_API_KEY: 'dtn_runstest',
};
const MCP = 'mcp_servers:\n  files:\n    command: files-mcp\n    args: [--root, /data]\n';

function plan(front: string, env: NodeJS.ProcessEnv = {}): RunPlan {
  const result = planRun({
    text: `---\n${front}\n---\nGo.\n`,
    name: 'hello',
    sandbox: 'daytona',
    settings: { provider: providerSettingsFromEnv(env), versions: DEFAULT_VERSIONS, snapshots: {} },
    keys: KEYS,
    secrets: {},
  });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.blocked));
  return result.plan;
}

/** The agent's command line without the lines every agent has (PATH, the folders, cd). */
function command(p: RunPlan): string[] {
  return sandboxSteps(p, WORK)
    .agent.split('\n')
    .filter((l) => !/^export PATH=|^mkdir -p '\/home\/daytona\/results'|^cd '/.test(l));
}

function file(p: RunPlan, name: string): string | undefined {
  return sandboxSteps(p, WORK).files.find((f) => f.path === `${HOME}/${name}`)?.content as string | undefined;
}

describe('gemini-cli runs', () => {
  it('the key in the sandbox’s environment, its settings file, and the exact command line', () => {
    const p = plan('agent: gemini-cli\nmodel: gemini-2.5-pro');
    assert.deepEqual(p.request.env, { GEMINI_API_KEY: KEYS.GEMINI_API_KEY });
    assert.deepEqual(JSON.parse(file(p, '.gemini/settings.json')!), {
      security: { auth: { selectedType: 'gemini-api-key' } },
      privacy: { usageStatisticsEnabled: false },
    });
    assert.deepEqual(command(p), [
      `export GEMINI_CLI_HOME='${HOME}'`,
      `export TMPDIR='${HOME}/tmp'`,
      `mkdir -p '${HOME}/tmp'`,
      `gemini --prompt=${PROMPT} --output-format stream-json --yolo --skip-trust -m 'gemini-2.5-pro' < /dev/null`,
    ]);
  });

  it('Vertex AI: the key as GOOGLE_API_KEY, the base URL as GOOGLE_VERTEX_BASE_URL; MCP servers in its settings', () => {
    const p = plan(`agent: gemini-cli\nmodel: gemini-2.5-pro\n${MCP}`, {
      JETTY_GOOGLE_API: 'vertex',
      GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:7',
    });
    assert.deepEqual(p.request.env, {
      GOOGLE_API_KEY: KEYS.GEMINI_API_KEY,
      GOOGLE_VERTEX_BASE_URL: 'http://127.0.0.1:7',
    });
    assert.deepEqual(p.agentEnv, { GOOGLE_GENAI_USE_VERTEXAI: 'true' });
    assert.deepEqual(JSON.parse(file(p, '.gemini/settings.json')!), {
      security: { auth: { selectedType: 'vertex-ai' } },
      privacy: { usageStatisticsEnabled: false },
      mcpServers: { files: { command: 'files-mcp', args: ['--root', '/data'] } },
    });
  });
});

describe('opencode runs', () => {
  it('the key in the environment, opencode.json with OpenRouter’s base URL (a credential file), the exact command line', () => {
    const p = plan('agent: opencode\nmodel: anthropic/claude-sonnet-4.6');
    assert.deepEqual(p.request.env, { OPENROUTER_API_KEY: KEYS.OPENROUTER_API_KEY });
    const steps = sandboxSteps(p, WORK);
    assert.deepEqual(JSON.parse(file(p, 'config/opencode/opencode.json')!), {
      $schema: 'https://opencode.ai/config.json',
      provider: { openrouter: { options: { baseURL: 'https://openrouter.ai/api/v1' } } },
    });
    assert.ok(
      file(p, 'config/opencode/package-lock.json') && file(p, 'config/opencode/node_modules/.package-lock.json'),
    );
    assert.ok(
      steps.agent.includes(`chmod 600 '${HOME}/config/opencode/opencode.json'`),
      'deleted when the agent exits',
    );
    assert.deepEqual(command(p).slice(0, 5), [
      `export XDG_CONFIG_HOME='${HOME}/config'`,
      `export XDG_DATA_HOME='${HOME}/data'`,
      `export XDG_STATE_HOME='${HOME}/state'`,
      "export OPENCODE_DISABLE_MODELS_FETCH='1'",
      "export OPENCODE_DISABLE_AUTOUPDATE='1'",
    ]);
    assert.equal(
      command(p).at(-1),
      `opencode run --format json --auto --thinking --title 'Jetty runbook' -m 'openrouter/anthropic/claude-sonnet-4.6' -- ${PROMPT} < /dev/null`,
    );
  });

  it('MCP servers as local servers in opencode.json, beside the provider', () => {
    const p = plan(`agent: opencode\nmodel: anthropic/claude-sonnet-4.6\n${MCP}`, {
      OPENROUTER_BASE_URL: 'http://gw/api/v1',
    });
    assert.deepEqual(JSON.parse(file(p, 'config/opencode/opencode.json')!), {
      $schema: 'https://opencode.ai/config.json',
      provider: { openrouter: { options: { baseURL: 'http://gw/api/v1' } } },
      mcp: { files: { type: 'local', command: ['files-mcp', '--root', '/data'], enabled: true } },
    });
  });
});

describe('hermes runs', () => {
  const config = (p: RunPlan) => JSON.parse(file(p, 'config.yaml')!) as Record<string, unknown>;
  const QUIET = {
    security: { allow_lazy_installs: false, tirith_enabled: false },
    model_catalog: { enabled: false },
    auxiliary: { title_generation: { enabled: false } },
  };

  it('Bedrock: the bearer token and the endpoint in the environment, config.yaml, the driver, the command line', () => {
    const p = plan('agent: hermes\nmodel: zai.glm-5\nmodel_provider: bedrock', {
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:8',
    });
    assert.deepEqual(p.request.env, {
      AWS_BEARER_TOKEN_BEDROCK: KEYS.AWS_BEARER_TOKEN_BEDROCK,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:8',
      AWS_ENDPOINT_URL_BEDROCK: 'http://127.0.0.1:8',
    });
    assert.deepEqual(p.agentEnv, { AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' });
    assert.deepEqual(config(p), { model: { provider: 'bedrock', default: 'zai.glm-5' }, ...QUIET });
    assert.equal(file(p, 'acp-driver.py'), HERMES_ACP_DRIVER);
    assert.equal(command(p).at(-1), `python3 '${HOME}/acp-driver.py' '${HOME}/prompt.md' -- hermes acp < /dev/null`);
    assert.ok(command(p).includes(`export HERMES_HOME='${HOME}'`));
  });

  it('Anthropic, OpenAI and OpenRouter as custom providers named as Jetty names them; Google as hermes’ gemini', () => {
    const custom = (provider: string, key: string, model: string, base: string, transport: string) => ({
      model: { provider, default: model },
      providers: { [provider]: { base_url: base, key_env: key, transport } },
      ...QUIET,
    });
    assert.deepEqual(
      config(plan('agent: hermes\nmodel: claude-sonnet-4-6\nmodel_provider: anthropic')),
      custom(
        'jetty_anthropic',
        'ANTHROPIC_API_KEY',
        'claude-sonnet-4-6',
        'https://api.anthropic.com',
        'anthropic_messages',
      ),
    );
    assert.deepEqual(
      config(plan('agent: hermes\nmodel: gpt-5.5\nmodel_provider: openai')),
      custom('jetty_openai', 'OPENAI_API_KEY', 'gpt-5.5', 'https://api.openai.com/v1', 'chat_completions'),
    );
    const openrouter = plan('agent: hermes\nmodel: anthropic/claude-sonnet-4.6\nmodel_provider: openrouter');
    assert.deepEqual(
      config(openrouter),
      custom(
        'jetty_openrouter',
        'OPENROUTER_API_KEY',
        'anthropic/claude-sonnet-4.6',
        'https://openrouter.ai/api/v1',
        'chat_completions',
      ),
    );
    assert.deepEqual(
      openrouter.request.env,
      { OPENROUTER_API_KEY: KEYS.OPENROUTER_API_KEY },
      'the key never in a file',
    );
    const google = plan('agent: hermes\nmodel: gemini-2.5-pro\nmodel_provider: google', {
      GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:9/',
    });
    assert.deepEqual(config(google), { model: { provider: 'gemini', default: 'gemini-2.5-pro' }, ...QUIET });
    assert.deepEqual(google.request.env, {
      GEMINI_API_KEY: KEYS.GEMINI_API_KEY,
      GEMINI_BASE_URL: 'http://127.0.0.1:9/v1beta/openai',
    });
  });

  it('without `model` off Bedrock it does not start: Jetty documents no default model there', () => {
    const result = planRun({
      text: '---\nagent: hermes\nmodel_provider: anthropic\n---\nGo.\n',
      name: 'hello',
      sandbox: 'daytona',
      settings: { provider: providerSettingsFromEnv({}), versions: DEFAULT_VERSIONS, snapshots: {} },
      keys: KEYS,
      secrets: {},
    });
    assert.ok(!result.ok);
    assert.deepEqual(result.blocked, {
      reason: 'no-model',
      message: 'hermes with Anthropic has no default model (Jetty documents none).',
    });
    assert.deepEqual(explainBlocked(result.blocked, 'hello.md', CLI_WORDS), {
      message: 'hermes with Anthropic has no default model (Jetty documents none). Nothing was started.',
      nextStep: 'Set `model` in the runbook’s front-matter.',
      actions: [{ kind: 'show-problems' }],
    });
    // On Bedrock it has one: the first model Jetty documents for it there.
    assert.equal(plan('agent: hermes\nmodel_provider: bedrock').model, 'us.anthropic.claude-sonnet-4-6');
  });

  it('MCP servers go into config.yaml as hermes’ mcp_servers', () => {
    const p = plan(`agent: hermes\nmodel: zai.glm-5\nmodel_provider: bedrock\n${MCP}`);
    assert.deepEqual(config(p).mcp_servers, { files: { command: 'files-mcp', args: ['--root', '/data'] } });
  });

  it('installs into a virtual environment of its own with pip, only `hermes` on PATH, checked with `hermes acp --version`', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-install-'));
    try {
      const bin = path.join(scratch, 'bin');
      fs.mkdirSync(bin);
      // python3 -m venv DIR makes DIR/bin/pip; that pip "installs" a hermes that answers `acp --version`.
      const hermes = '#!/bin/bash\nif [ "$1 $2" = "acp --version" ]; then echo 0.19.0; exit 0; fi\nexit 9\n';
      const pip = `#!/bin/bash\necho "pip $*" >> "${scratch}/calls"\nprintf '%s' '${hermes.replace(/'/g, "'\\''")}' > "$(dirname "$0")/hermes"\nchmod +x "$(dirname "$0")/hermes"\n`;
      fs.writeFileSync(
        path.join(bin, 'python3'),
        `#!/bin/bash\necho "python3 $*" >> "${scratch}/calls"\nmkdir -p "$3/bin"\nprintf '%s' '${pip.replace(/'/g, "'\\''")}' > "$3/bin/pip"\nchmod +x "$3/bin/pip"\n`,
        { mode: 0o755 },
      );
      const install = sandboxSteps(plan('agent: hermes\nmodel: zai.glm-5\nmodel_provider: bedrock'), WORK).install;
      const output = execFileSync('bash', ['-c', install], {
        env: { PATH: `${bin}:/usr/bin:/bin`, HOME: scratch },
        encoding: 'utf8',
      });
      const prefix = path.join(scratch, '.cache', 'jetty-runbooks', 'hermes-0.19.0');
      assert.equal(output, 'Installing hermes 0.19.0 (found: none)\nhermes 0.19.0 installed\n');
      assert.deepEqual(fs.readFileSync(path.join(scratch, 'calls'), 'utf8').trim().split('\n'), [
        `python3 -m venv ${prefix}/venv`,
        'pip install --quiet --disable-pip-version-check hermes-agent[bedrock,anthropic,acp,mcp]==0.19.0',
      ]);
      assert.deepEqual(fs.readdirSync(path.join(prefix, 'bin')), ['hermes'], "the environment's python stays off PATH");
      // Installed: the next run finds it and installs nothing.
      assert.equal(
        execFileSync('bash', ['-c', install], {
          env: { PATH: `${bin}:/usr/bin:/bin`, HOME: scratch },
          encoding: 'utf8',
        }),
        'hermes 0.19.0 is installed\n',
      );
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
