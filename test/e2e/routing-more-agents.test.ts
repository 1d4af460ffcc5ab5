// Routing of gemini-cli, opencode and hermes against the REAL CLIs: for each route, the run's own files and command line
// (planRun + sandboxSteps, as a run writes and starts them) with the provider's base-URL setting aimed at a mock
// speaking that provider's API; the mock must receive the route's key in the header that provider expects, on the path
// it serves, and no other provider's key anywhere. A route that compiles but that the CLI does not read fails here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_VERSIONS } from '../../src/core/agents';
import { providerSettingsFromEnv } from '../../src/core/keys';
import { LAYOUT, planRun, sandboxSteps } from '../../src/core/run/plan';
import { AGENT_CLI_VERSIONS, ensureAgentCli, repoRoot } from '../fakes/agent-clis';
import { startAnthropicMock } from '../fakes/anthropic';
import { bedrockAuth, startBedrockMock } from '../fakes/bedrock';
import { startChatCompletionsMock } from '../fakes/chat-completions';
import { startGeminiMock } from '../fakes/gemini';
import type { MockServer, RecordedRequest } from '../fakes/mock-server';
import { collect } from '../fakes/processes';
import { linkAgentClis } from '../fakes/world';

const KEYS = {
  ANTHROPIC_API_KEY: 'sk-ant-api03-route-more-anthropic-1111',
  OPENAI_API_KEY: 'sk-proj-route-more-openai-2222',
  OPENROUTER_API_KEY: 'sk-or-v1-route-more-openrouter-3333',
  AWS_BEARER_TOKEN_BEDROCK: 'ABSKroute-more-bedrock-4444',
  GEMINI_API_KEY: 'AIzaSy-route-more-gemini-5555',
};
const REPLY = 'Routed fine.';

describe('routing of gemini-cli, opencode and hermes with the real CLIs', function () {
  this.timeout(240_000);
  let bin: string;
  let root: string;

  before(async function () {
    this.timeout(15 * 60_000);
    await ensureAgentCli('gemini-cli', AGENT_CLI_VERSIONS.geminiCli);
    await ensureAgentCli('opencode', AGENT_CLI_VERSIONS.opencode);
    await ensureAgentCli('hermes', AGENT_CLI_VERSIONS.hermes);
    bin = linkAgentClis(repoRoot(), ['gemini-cli', 'opencode', 'hermes']);
  });
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'routing-more-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  after(() => bin && fs.rmSync(bin, { recursive: true, force: true }));

  /** Plans the runbook with these settings, writes the run's files and runs its agent command line to its end. */
  async function runRoute(front: string, settingsEnv: NodeJS.ProcessEnv) {
    const result = planRun({
      text: `---\n${front}\n---\nSay it.\n`,
      name: 'route',
      sandbox: 'local',
      settings: { provider: providerSettingsFromEnv(settingsEnv), versions: DEFAULT_VERSIONS, snapshots: {} },
      keys: KEYS,
      secrets: {},
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.blocked));
    const work = path.join(root, 'work');
    const home = path.join(root, 'home');
    fs.mkdirSync(home, { recursive: true });
    fs.mkdirSync(work, { recursive: true });
    const steps = sandboxSteps(result.plan, work);
    // Jetty's layout (/logs/agent, /app/…) under this test's folder: the same files and command line, moved there.
    const moved = (text: string) =>
      text.replaceAll(LAYOUT.agentHome, path.join(root, LAYOUT.agentHome)).replaceAll('/app/', `${root}/app/`);
    for (const file of steps.files) {
      const where = moved(file.path);
      fs.mkdirSync(path.dirname(where), { recursive: true });
      fs.writeFileSync(where, typeof file.content === 'string' ? moved(file.content) : file.content);
    }
    const env = { PATH: `${bin}:${process.env.PATH}`, HOME: home, ...result.plan.request.env };
    return collect('bash', ['-c', moved(steps.agent)], { cwd: work, env }, 180_000);
  }

  /** The route's key reached the mock (in `sent`) and no other key reached it, in any header or body. */
  function assertOnlyKey(mock: MockServer, key: keyof typeof KEYS, sent: (r: RecordedRequest) => string | undefined) {
    const calls = mock.requests.filter((r) => sent(r) !== undefined);
    assert.ok(
      calls.length > 0,
      `no request carried a key (${mock.requests.map((r) => `${r.method} ${r.path}`).join(', ')})`,
    );
    for (const call of calls) assert.equal(sent(call), KEYS[key]);
    const everything = JSON.stringify(mock.requests.map((r) => [r.headers, r.body]));
    for (const [name, value] of Object.entries(KEYS))
      if (name !== key) assert.ok(!everything.includes(value), `${name} reached the ${key} route's mock`);
  }
  const googKey = (r: RecordedRequest) => r.headers['x-goog-api-key'] as string | undefined;
  const bearer = (r: RecordedRequest) => r.headers.authorization?.replace(/^Bearer /, '');

  it('gemini-cli × google: GOOGLE_GEMINI_BASE_URL from jetty.google.baseUrl, the key as x-goog-api-key', async () => {
    const mock = await startGeminiMock([{ parts: [{ text: REPLY }] }]);
    try {
      const result = await runRoute('agent: gemini-cli\nmodel: gemini-2.5-pro', { GOOGLE_GEMINI_BASE_URL: mock.url });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.includes(REPLY));
      assert.deepEqual(
        mock.generateRequests().map((r) => r.path),
        ['/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse'],
      );
      assertOnlyKey(mock, 'GEMINI_API_KEY', googKey);
    } finally {
      await mock.close();
    }
  });

  it('gemini-cli × google on Vertex AI (jetty.google.api = vertex): express mode, the key as x-goog-api-key', async () => {
    const mock = await startGeminiMock([{ parts: [{ text: REPLY }] }]);
    try {
      const result = await runRoute('agent: gemini-cli\nmodel: google/gemini-2.5-flash\nmodel_provider: google', {
        GOOGLE_GEMINI_BASE_URL: mock.url,
        JETTY_GOOGLE_API: 'vertex',
      });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.includes(REPLY));
      // The vendor prefix is dropped, as Jetty's runner does.
      assert.deepEqual(
        mock.generateRequests().map((r) => r.path),
        ['/v1beta1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse'],
      );
      assertOnlyKey(mock, 'GEMINI_API_KEY', googKey);
    } finally {
      await mock.close();
    }
  });

  it('opencode × openrouter: opencode.json’s baseURL from jetty.openrouter.baseUrl, the key as a Bearer token', async () => {
    const mock = await startChatCompletionsMock([{ content: REPLY }]);
    try {
      const result = await runRoute('agent: opencode\nmodel: anthropic/claude-sonnet-4.6\nmodel_provider: openrouter', {
        OPENROUTER_BASE_URL: `${mock.url}/api/v1`,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.includes(REPLY));
      const [request, ...more] = mock.completionRequests();
      assert.deepEqual(more, [], 'one request: no title generation');
      assert.equal(request!.path, '/api/v1/chat/completions');
      assert.equal((request!.body as { model: string }).model, 'anthropic/claude-sonnet-4.6');
      assertOnlyKey(mock, 'OPENROUTER_API_KEY', bearer);
    } finally {
      await mock.close();
    }
  });

  for (const model of ['zai.glm-5', 'deepseek.v3.2', 'us.anthropic.claude-sonnet-4-6']) {
    it(`hermes × bedrock, ${model}: Converse at the jetty.bedrock.endpointUrl endpoint, the API key as a Bearer token`, async () => {
      const mock = await startBedrockMock([{ blocks: [{ type: 'text', text: REPLY }] }]);
      try {
        const result = await runRoute(`agent: hermes\nmodel: ${model}\nmodel_provider: bedrock`, {
          AWS_ENDPOINT_URL_BEDROCK_RUNTIME: mock.url,
        });
        assert.equal(result.code, 0, result.stderr);
        assert.ok(result.stdout.includes(REPLY), result.stdout);
        // With a Bedrock API key every model goes through Converse, Claude included (the anthropic SDK's Bedrock
        // client signs with SigV4 only); hermes first learns the model's window from a too-long Converse request.
        assert.ok(mock.modelRequests().some((r) => r.path === `/model/${encodeURIComponent(model)}/converse-stream`));
        assertOnlyKey(mock, 'AWS_BEARER_TOKEN_BEDROCK', (r) => {
          const auth = bedrockAuth(r);
          return auth.scheme === 'bearer' ? auth.token : auth.scheme === 'sigv4' ? auth.accessKeyId : undefined;
        });
      } finally {
        await mock.close();
      }
    });
  }

  it('hermes × anthropic: the jetty_anthropic provider at jetty.anthropic.baseUrl, the key as x-api-key', async () => {
    const mock = await startAnthropicMock([{ blocks: [{ type: 'text', text: REPLY }] }]);
    try {
      const result = await runRoute('agent: hermes\nmodel: claude-sonnet-4-6\nmodel_provider: anthropic', {
        ANTHROPIC_BASE_URL: mock.url,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.includes(REPLY), result.stdout);
      assert.ok(mock.messageRequests().length > 0);
      assertOnlyKey(mock, 'ANTHROPIC_API_KEY', (r) => r.headers['x-api-key'] as string | undefined);
    } finally {
      await mock.close();
    }
  });

  for (const [provider, key, front, env, base] of [
    ['openai', 'OPENAI_API_KEY', 'model: gpt-5.5\nmodel_provider: openai', 'OPENAI_BASE_URL', '/v1'],
    [
      'openrouter',
      'OPENROUTER_API_KEY',
      'model: anthropic/claude-sonnet-4.6\nmodel_provider: openrouter',
      'OPENROUTER_BASE_URL',
      '/api/v1',
    ],
    ['google', 'GEMINI_API_KEY', 'model: gemini-2.5-pro\nmodel_provider: google', 'GOOGLE_GEMINI_BASE_URL', ''],
  ] as const) {
    it(`hermes × ${provider}: Chat Completions at the ${env} setting's endpoint, ${key} as a Bearer token`, async () => {
      const mock = await startChatCompletionsMock([{ content: REPLY }]);
      try {
        const result = await runRoute(`agent: hermes\n${front}`, { [env]: `${mock.url}${base}` });
        assert.equal(result.code, 0, result.stderr);
        assert.ok(result.stdout.includes(REPLY), result.stdout);
        // Gemini through hermes is Google's OpenAI-compatible API, under the Gemini API root.
        const path = provider === 'google' ? '/v1beta/openai/chat/completions' : `${base}/chat/completions`;
        assert.ok(
          mock.completionRequests().every((r) => r.path === path),
          mock.requests.map((r) => r.path).join(', '),
        );
        assert.ok(mock.completionRequests().length > 0);
        assertOnlyKey(mock, key, bearer);
      } finally {
        await mock.close();
      }
    });
  }
});
