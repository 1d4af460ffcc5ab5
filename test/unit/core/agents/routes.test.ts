// Routing: every supported agent × provider pair gives exactly the environment and files measured on the real CLIs,
// every other pair a refusal with its reason.
import assert from 'node:assert/strict';
import { AGENT_IDS, PROVIDER_IDS } from '../../../../src/core/catalog';
import { providerSettingsFromEnv, type ProviderSettings } from '../../../../src/core/keys';
import { agentSetup, findRoute, routeForRunbook, type Route } from '../../../../src/core/agents';

const KEYS = {
  ANTHROPIC_API_KEY: 'sk-ant-api03-anthropic-test',
  OPENAI_API_KEY: 'sk-proj-openai-test',
  OPENROUTER_API_KEY: 'sk-or-v1-openrouter-test',
  AWS_BEARER_TOKEN_BEDROCK: 'ABSKbedrock+test/token=',
};
const DEFAULTS: ProviderSettings = providerSettingsFromEnv({});

function supported(agent: Parameters<typeof findRoute>[0], provider: Parameters<typeof findRoute>[1]): Route {
  const route = findRoute(agent, provider);
  assert.ok(route.supported, `expected ${agent}×${provider} to be supported`);
  return route;
}

describe('routing: supported pairs', () => {
  it('claude-code × anthropic: the key in ANTHROPIC_API_KEY, no base URL by default', () => {
    const route = supported('claude-code', 'anthropic');
    assert.deepEqual(route.keys, ['ANTHROPIC_API_KEY']);
    assert.deepEqual(agentSetup(route, { keys: KEYS, settings: DEFAULTS }), {
      secretEnv: { ANTHROPIC_API_KEY: KEYS.ANTHROPIC_API_KEY },
      env: {},
      files: [],
    });
  });

  it('claude-code × anthropic: the base-URL override becomes ANTHROPIC_BASE_URL, kept with the keys (it may carry a token)', () => {
    const settings = { ...DEFAULTS, anthropicBaseUrl: 'http://127.0.0.1:4242' };
    assert.deepEqual(agentSetup(supported('claude-code', 'anthropic'), { keys: KEYS, settings }), {
      secretEnv: { ANTHROPIC_API_KEY: KEYS.ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL: 'http://127.0.0.1:4242' },
      env: {},
      files: [],
    });
  });

  it('claude-code × bedrock: CLAUDE_CODE_USE_BEDROCK=1, the bearer token and AWS_REGION us-east-1 by default', () => {
    const route = supported('claude-code', 'bedrock');
    assert.deepEqual(route.keys, ['AWS_BEARER_TOKEN_BEDROCK']);
    assert.deepEqual(agentSetup(route, { keys: KEYS, settings: DEFAULTS }), {
      secretEnv: { AWS_BEARER_TOKEN_BEDROCK: KEYS.AWS_BEARER_TOKEN_BEDROCK },
      env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1' },
      files: [],
    });
  });

  it('claude-code × bedrock: the region setting wins over the default', () => {
    const setup = agentSetup(supported('claude-code', 'bedrock'), {
      keys: KEYS,
      settings: { ...DEFAULTS, bedrockRegion: 'eu-west-1' },
    });
    assert.equal(setup.env.AWS_REGION, 'eu-west-1');
  });

  it('claude-code × openrouter: OpenRouter without /v1 as ANTHROPIC_BASE_URL, the key as a bearer token, ANTHROPIC_API_KEY empty', () => {
    const route = supported('claude-code', 'openrouter');
    assert.deepEqual(route.keys, ['OPENROUTER_API_KEY']);
    assert.deepEqual(agentSetup(route, { keys: KEYS, settings: DEFAULTS }), {
      secretEnv: { ANTHROPIC_BASE_URL: 'https://openrouter.ai/api', ANTHROPIC_AUTH_TOKEN: KEYS.OPENROUTER_API_KEY },
      env: { ANTHROPIC_API_KEY: '' },
      files: [],
    });
  });

  it('claude-code × openrouter: an OPENROUTER_BASE_URL override loses its trailing /v1 (claude-code appends /v1/messages)', () => {
    for (const [override, expected] of [
      ['https://gateway.example.com/openrouter/api/v1', 'https://gateway.example.com/openrouter/api'],
      ['https://gateway.example.com/openrouter/api/v1/', 'https://gateway.example.com/openrouter/api'],
      ['http://127.0.0.1:9000', 'http://127.0.0.1:9000'],
    ] as const) {
      const setup = agentSetup(supported('claude-code', 'openrouter'), {
        keys: KEYS,
        settings: { ...DEFAULTS, openrouterBaseUrl: override },
      });
      assert.equal(setup.secretEnv.ANTHROPIC_BASE_URL, expected, override);
    }
  });

  it('codex × openai: auth.json (in $CODEX_HOME) exactly as `codex login --with-api-key` writes it, marked as a credential', () => {
    const route = supported('codex', 'openai');
    assert.deepEqual(route.keys, ['OPENAI_API_KEY']);
    assert.deepEqual(agentSetup(route, { keys: KEYS, settings: DEFAULTS }), {
      secretEnv: {},
      env: {},
      files: [
        {
          path: 'auth.json',
          content: `{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "${KEYS.OPENAI_API_KEY}"\n}\n`,
          credential: true,
        },
      ],
    });
  });

  it('codex × openai: the base-URL override becomes a config.toml provider entry reading OPENAI_API_KEY (codex ignores OPENAI_BASE_URL)', () => {
    const settings = { ...DEFAULTS, openaiBaseUrl: 'http://127.0.0.1:5151/v1' };
    assert.deepEqual(agentSetup(supported('codex', 'openai'), { keys: KEYS, settings }), {
      secretEnv: { OPENAI_API_KEY: KEYS.OPENAI_API_KEY },
      env: {},
      files: [
        {
          path: 'config.toml',
          content: [
            'model_provider = "jetty-openai"',
            '',
            '[model_providers.jetty-openai]',
            'name = "OpenAI (jetty.openai.baseUrl)"',
            'base_url = "http://127.0.0.1:5151/v1"',
            'env_key = "OPENAI_API_KEY"',
            'wire_api = "responses"',
            '',
          ].join('\n'),
          credential: true,
        },
      ],
    });
  });

  it('codex × openrouter: a config.toml entry for OpenRouter, the OpenRouter key copied into OPENAI_API_KEY', () => {
    const route = supported('codex', 'openrouter');
    assert.deepEqual(route.keys, ['OPENROUTER_API_KEY']);
    assert.deepEqual(agentSetup(route, { keys: KEYS, settings: DEFAULTS }), {
      secretEnv: { OPENAI_API_KEY: KEYS.OPENROUTER_API_KEY },
      env: {},
      files: [
        {
          path: 'config.toml',
          content: [
            'model_provider = "openrouter"',
            '',
            '[model_providers.openrouter]',
            'name = "OpenRouter"',
            'base_url = "https://openrouter.ai/api/v1"',
            'env_key = "OPENAI_API_KEY"',
            'wire_api = "responses"',
            '',
          ].join('\n'),
          credential: true,
        },
      ],
    });
  });

  it('codex × openrouter: OPENROUTER_BASE_URL is used as is, quotes escaped as TOML', () => {
    const settings = { ...DEFAULTS, openrouterBaseUrl: 'http://127.0.0.1:7000/api/v1?x="y"' };
    const [config] = agentSetup(supported('codex', 'openrouter'), { keys: KEYS, settings }).files;
    assert.match(config!.content, /^base_url = "http:\/\/127\.0\.0\.1:7000\/api\/v1\?x=\\"y\\""$/m);
  });

  it('a missing key is a programming error that names the key, never a value', () => {
    assert.throws(
      () => agentSetup(supported('codex', 'openai'), { keys: {}, settings: DEFAULTS }),
      /OpenAI API key \(OPENAI_API_KEY\) is not set/,
    );
  });
});

describe('routing: refusals', () => {
  /** Every agent × provider pair and what routing says: the table the README's routing section shows. */
  const TABLE: Record<string, string> = {
    'claude-code×anthropic': 'supported',
    'claude-code×openrouter': 'supported',
    'claude-code×openai': 'claude-code does not speak the OpenAI API: use agent: codex or hermes.',
    'claude-code×google': 'claude-code does not speak the Google AI Studio API: use agent: gemini-cli or hermes.',
    'claude-code×bedrock': 'supported',
    'codex×anthropic': 'codex does not speak the Anthropic API: use agent: claude-code or hermes.',
    'codex×openrouter': 'supported',
    'codex×openai': 'supported',
    'codex×google': 'codex does not speak the Google AI Studio API: use agent: gemini-cli or hermes.',
    'codex×bedrock': 'codex does not speak the AWS Bedrock API: use agent: claude-code or hermes.',
    'gemini-cli×anthropic': 'gemini-cli does not speak the Anthropic API: use agent: claude-code or hermes.',
    'gemini-cli×openrouter':
      'gemini-cli does not speak the OpenRouter API: use agent: claude-code or codex or hermes or opencode.',
    'gemini-cli×openai': 'gemini-cli does not speak the OpenAI API: use agent: codex or hermes.',
    'gemini-cli×google': 'supported',
    'gemini-cli×bedrock': 'gemini-cli does not speak the AWS Bedrock API: use agent: claude-code or hermes.',
    'hermes×anthropic': 'supported',
    'hermes×openrouter': 'supported',
    'hermes×openai': 'supported',
    'hermes×google': 'supported',
    'hermes×bedrock': 'supported',
    'opencode×anthropic': 'opencode does not speak the Anthropic API: use agent: claude-code or hermes.',
    'opencode×openrouter': 'supported',
    'opencode×openai': 'opencode does not speak the OpenAI API: use agent: codex or hermes.',
    'opencode×google': 'opencode does not speak the Google AI Studio API: use agent: gemini-cli or hermes.',
    'opencode×bedrock': 'opencode does not speak the AWS Bedrock API: use agent: claude-code or hermes.',
  };

  it('the whole table: every agent × provider pair is supported or refused with exactly this reason', () => {
    const routes = AGENT_IDS.flatMap((agent) => PROVIDER_IDS.map((provider) => findRoute(agent, provider)));
    assert.deepEqual(
      Object.fromEntries(routes.map((r) => [`${r.agent}×${r.provider}`, r.supported ? 'supported' : r.reason])),
      TABLE,
    );
  });

  it('hermes without model_provider is refused: Jetty documents no default for it', () => {
    assert.deepEqual(findRoute('hermes', undefined), {
      supported: false,
      agent: 'hermes',
      provider: undefined,
      reason: 'hermes needs model_provider to be set.',
    });
  });
});

describe('routing: from a runbook', () => {
  it('infers the provider from the agent, and the agent from the model, as Jetty does', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ agent: 'claude-code' }, 'claude-code×anthropic'],
      [{ model: 'gpt-5.5' }, 'codex×openai'],
      [{ model: 'claude-sonnet-4-6' }, 'claude-code×anthropic'],
      [{ agent: 'codex', model_provider: 'openrouter', model: 'qwen/qwen3-coder' }, 'codex×openrouter'],
      [{ model: 'us.anthropic.claude-sonnet-4-6', model_provider: 'bedrock' }, 'claude-code×bedrock'],
    ];
    for (const [front, pair] of cases) {
      const route = routeForRunbook(front);
      assert.equal(`${route.agent}×${route.provider}`, pair, JSON.stringify(front));
      assert.ok(route.supported);
    }
  });

  it('a gemini model is routed to gemini-cli with Google', () => {
    const route = routeForRunbook({ model: 'gemini-2.5-pro' });
    assert.ok(route.supported);
    assert.equal(`${route.agent}×${route.provider}`, 'gemini-cli×google');
    assert.deepEqual(route.keys, ['GEMINI_API_KEY']);
  });
});
