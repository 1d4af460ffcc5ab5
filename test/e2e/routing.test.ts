// Routing against the REAL agent CLIs: for each supported agent × provider pair, the environment and files routing.ts
// produces are given to claude-code 2.1.126 or codex 0.169.0 as is, with the provider's base URL aimed at a local mock,
// and the mock must receive the key in the header that provider expects (and no other key). A route that compiles but
// that the CLI does not read (codex and OPENAI_BASE_URL, an OpenRouter base with /v1 twice) fails here.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { providerSettingsFromEnv, type ProviderSettings } from '../../src/core/keys';
import { agentSetup, findRoute, type Route } from '../../src/core/agents';
import type { AgentSetup } from '../../src/core/agents/agent';
import { AGENT_CLI_VERSIONS, ensureAgentCli } from '../fakes/agent-clis';
import { startAnthropicMock } from '../fakes/anthropic';
import { startBedrockMock } from '../fakes/bedrock';
import type { RecordedRequest } from '../fakes/mock-server';
import { startOpenAIMock } from '../fakes/openai';
import { collect } from '../fakes/processes';

const KEYS = {
  ANTHROPIC_API_KEY: 'sk-ant-api03-route-anthropic-1111',
  OPENAI_API_KEY: 'sk-proj-route-openai-2222',
  OPENROUTER_API_KEY: 'sk-or-v1-route-openrouter-3333',
  AWS_BEARER_TOKEN_BEDROCK: 'ABSKroute-bedrock-4444',
};
const DEFAULTS: ProviderSettings = providerSettingsFromEnv({});
const REPLY = 'Routed fine.';

let root: string;

function existsDir(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    return undefined;
  }
}

function route(agent: 'claude-code' | 'codex', provider: 'anthropic' | 'bedrock' | 'openrouter' | 'openai'): Route {
  const found = findRoute(agent, provider);
  assert.ok(found.supported);
  return found;
}

/** Writes the route's files into this test's own CODEX_HOME and runs the CLI with the route's environment. */
async function runAgent(binary: string, args: string[], setup: AgentSetup, extraEnv: Record<string, string> = {}) {
  const codexHome = path.join(root, 'codex-home');
  mkdirSync(codexHome, { recursive: true });
  for (const file of setup.files)
    writeFileSync(path.join(codexHome, file.path), file.content, { mode: file.credential ? 0o600 : 0o644 });
  const home = path.join(root, 'home');
  const work = path.join(root, 'work');
  mkdirSync(home, { recursive: true });
  mkdirSync(work, { recursive: true });
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CODEX_HOME: codexHome,
    ...setup.secretEnv,
    ...setup.env,
    ...extraEnv,
  };
  // stdin closed: codex blocks on an open stdin, claude-code waits 3 s for it.
  return collect(binary, args, { cwd: work, env }, 120_000);
}

/** The request's credentials: which of the test keys it carries, and in which header. */
function credentials(request: RecordedRequest): Record<string, string | undefined> {
  return {
    'x-api-key': request.headers['x-api-key'] as string | undefined,
    authorization: request.headers.authorization,
  };
}

function claudeArgs(model: string): string[] {
  return ['-p', 'Say it.', '--output-format', 'stream-json', '--verbose', '--model', model];
}

function codexArgs(model: string): string[] {
  return [
    'exec',
    '--dangerously-bypass-approvals-and-sandbox',
    '--skip-git-repo-check',
    '--model',
    model,
    '--json',
    '--',
    'Say it.',
  ];
}

describe('routing with the real CLIs', function () {
  this.timeout(240_000);
  let claude: string;
  let codex: string;
  beforeEach(() => {
    // codex refuses to put its helper binaries under /tmp (a warning); /var/tmp keeps its stderr quiet.
    root = mkdtempSync(path.join(existsDir('/var/tmp') ?? os.tmpdir(), 'jetty-routing-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  before(async function () {
    this.timeout(600_000);
    claude = await ensureAgentCli('claude-code', AGENT_CLI_VERSIONS.claudeCodePinned);
    codex = await ensureAgentCli('codex', AGENT_CLI_VERSIONS.codex);
  });

  it('claude-code × anthropic: ANTHROPIC_BASE_URL from the setting, the key sent as x-api-key', async () => {
    const mock = await startAnthropicMock([{ blocks: [{ type: 'text', text: REPLY }] }]);
    try {
      const setup = agentSetup(route('claude-code', 'anthropic'), {
        keys: KEYS,
        settings: { ...DEFAULTS, anthropicBaseUrl: mock.url },
      });
      const result = await runAgent(claude, claudeArgs('claude-sonnet-4-6'), setup);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /"apiKeySource":"ANTHROPIC_API_KEY"/);
      assert.ok(result.stdout.includes(REPLY));
      const [request] = mock.messageRequests();
      assert.deepEqual(credentials(request!), { 'x-api-key': KEYS.ANTHROPIC_API_KEY, authorization: undefined });
    } finally {
      await mock.close();
    }
  });

  it('claude-code × openrouter: the OpenRouter base without /v1, the key as a Bearer token, no x-api-key', async () => {
    const mock = await startAnthropicMock([{ blocks: [{ type: 'text', text: REPLY }] }]);
    try {
      // An OpenAI-style base (…/v1), as OPENROUTER_BASE_URL is written: claude-code must not request /v1/v1/messages.
      const settings = { ...DEFAULTS, openrouterBaseUrl: `${mock.url}/v1` };
      const setup = agentSetup(route('claude-code', 'openrouter'), { keys: KEYS, settings });
      const result = await runAgent(claude, claudeArgs('anthropic/claude-sonnet-4.6'), setup);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.includes(REPLY));
      const [request] = mock.messageRequests();
      assert.ok(
        request,
        `claude-code reached /v1/messages (requests: ${mock.requests.map((r) => `${r.method} ${r.path}`).join(', ')})`,
      );
      assert.deepEqual(credentials(request), {
        'x-api-key': undefined,
        authorization: `Bearer ${KEYS.OPENROUTER_API_KEY}`,
      });
    } finally {
      await mock.close();
    }
  });

  it('claude-code × bedrock: InvokeModelWithResponseStream at jetty.bedrock.endpointUrl, the bearer token, the answer read', async () => {
    const mock = await startBedrockMock([{ blocks: [{ type: 'text', text: REPLY }] }]);
    try {
      const settings = { ...DEFAULTS, bedrockEndpointUrl: mock.url };
      const setup = agentSetup(route('claude-code', 'bedrock'), { keys: KEYS, settings });
      assert.equal(setup.env.AWS_REGION, 'us-east-1');
      assert.equal(setup.secretEnv.ANTHROPIC_BEDROCK_BASE_URL, mock.url);
      const result = await runAgent(claude, claudeArgs('us.anthropic.claude-sonnet-4-6'), setup);
      assert.equal(result.code, 0, result.stderr);
      // The answer came in AWS event-stream frames, each a base64 Anthropic event: claude-code read them.
      assert.ok(result.stdout.includes(REPLY), result.stdout);
      const invoke = mock.modelRequests().find((r) => r.path.endsWith('/invoke-with-response-stream'));
      assert.ok(
        invoke,
        `a Bedrock invoke request (requests: ${mock.requests.map((r) => `${r.method} ${r.path}`).join(', ')})`,
      );
      assert.equal(
        invoke.path,
        `/model/${encodeURIComponent('us.anthropic.claude-sonnet-4-6')}/invoke-with-response-stream`,
      );
      assert.deepEqual(credentials(invoke), {
        'x-api-key': undefined,
        authorization: `Bearer ${KEYS.AWS_BEARER_TOKEN_BEDROCK}`,
      });
    } finally {
      await mock.close();
    }
  });

  it('codex × openai: the key from auth.json alone (no key in the environment)', async () => {
    const mock = await startOpenAIMock([{ items: [{ type: 'message', text: REPLY }] }]);
    try {
      const codexHome = path.join(root, 'codex-home');
      const setup = agentSetup(route('codex', 'openai'), { keys: KEYS, settings: DEFAULTS });
      assert.deepEqual({ ...setup.secretEnv, ...setup.env }, {});
      // Aim the built-in OpenAI provider at the mock (test only): the route itself writes no config.toml here.
      mkdirSync(codexHome, { recursive: true });
      writeFileSync(path.join(codexHome, 'config.toml'), `openai_base_url = ${JSON.stringify(`${mock.url}/v1`)}\n`);
      const result = await runAgent(codex, codexArgs('gpt-5.5'), setup);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.includes(REPLY));
      const [request] = mock.responseRequests();
      assert.equal(credentials(request!).authorization, `Bearer ${KEYS.OPENAI_API_KEY}`);
    } finally {
      await mock.close();
    }
  });

  it('codex × openai with jetty.openai.baseUrl: the config.toml provider entry and OPENAI_API_KEY', async () => {
    const mock = await startOpenAIMock([{ items: [{ type: 'message', text: REPLY }] }]);
    try {
      const settings = { ...DEFAULTS, openaiBaseUrl: `${mock.url}/v1` };
      const setup = agentSetup(route('codex', 'openai'), { keys: KEYS, settings });
      // OPENAI_BASE_URL pointing elsewhere proves the entry, not the variable, decides where codex goes.
      const result = await runAgent(codex, codexArgs('gpt-5.5'), setup, { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.includes(REPLY));
      const [request] = mock.responseRequests();
      assert.equal(request!.path, '/v1/responses');
      assert.equal(credentials(request!).authorization, `Bearer ${KEYS.OPENAI_API_KEY}`);
    } finally {
      await mock.close();
    }
  });

  it('codex × openrouter: the config.toml entry for OpenRouter, the OpenRouter key as the Bearer token', async () => {
    const mock = await startOpenAIMock([{ items: [{ type: 'message', text: REPLY }] }]);
    try {
      const settings = { ...DEFAULTS, openrouterBaseUrl: `${mock.url}/api/v1` };
      const setup = agentSetup(route('codex', 'openrouter'), { keys: KEYS, settings });
      const result = await runAgent(codex, codexArgs('qwen/qwen3-coder'), setup);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.includes(REPLY));
      const [request] = mock.responseRequests();
      assert.equal(request!.path, '/api/v1/responses');
      assert.equal(credentials(request!).authorization, `Bearer ${KEYS.OPENROUTER_API_KEY}`);
      assert.equal((request!.body as { model?: string }).model, 'qwen/qwen3-coder');
    } finally {
      await mock.close();
    }
  });
});
