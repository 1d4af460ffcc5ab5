// The key registry: every provider has its key, shape checks warn (never refuse), settings come from VS Code or env.
import assert from 'node:assert/strict';
import { PROVIDER_IDS } from '../../../src/core/catalog';
import {
  KEYS,
  KEY_NAMES,
  checkKeyShape,
  declaredSecrets,
  urlCredentials,
  isKeyName,
  providerSettingsFrom,
  providerSettingsFromEnv,
} from '../../../src/core/keys';

describe('key registry', () => {
  it('has the six keys, each named as its environment variable', () => {
    assert.deepEqual(
      [...KEY_NAMES],
      [
        'ANTHROPIC_API_KEY',
        'OPENAI_API_KEY',
        'OPENROUTER_API_KEY',
        'AWS_BEARER_TOKEN_BEDROCK',
        'GEMINI_API_KEY',
        'DAYTONA_API_KEY',
      ],
    );
    for (const name of KEY_NAMES) assert.equal(KEYS[name].name, name);
  });

  it('every provider in the catalog has exactly one key', () => {
    const expected = {
      anthropic: 'ANTHROPIC_API_KEY',
      openrouter: 'OPENROUTER_API_KEY',
      openai: 'OPENAI_API_KEY',
      google: 'GEMINI_API_KEY',
      bedrock: 'AWS_BEARER_TOKEN_BEDROCK',
    };
    for (const provider of PROVIDER_IDS)
      assert.deepEqual(
        KEY_NAMES.filter((name) => KEYS[name].serves === provider),
        [expected[provider]],
        provider,
      );
  });

  it('isKeyName knows the registry and nothing else', () => {
    assert.ok(isKeyName('OPENAI_API_KEY'));
    assert.ok(!isKeyName('GITHUB_TOKEN'));
    assert.ok(!isKeyName('toString'));
  });
});

describe('shape checks (warnings, never refusals)', () => {
  const good: [string, string][] = [
    ['ANTHROPIC_API_KEY', 'sk-ant-api03-AbC_123-xyz'],
    ['OPENAI_API_KEY', 'sk-proj-AbC_123-xyz'],
    ['OPENAI_API_KEY', 'sk-AbC123xyz456'],
    ['OPENROUTER_API_KEY', 'sk-or-v1-0123456789abcdef'],
    ['AWS_BEARER_TOKEN_BEDROCK', 'ABSKQmVkcm9ja0FQSUtleS1+/abc='],
    ['AWS_BEARER_TOKEN_BEDROCK', 'bedrock-api-key-YmVkcm9jaw=='],
    ['GEMINI_API_KEY', 'AIzaSyA-0123456789abcdefghijklmnopqrs'],
    ['DAYTONA_API_KEY', 'dtn_0123456789abcdef'],
    ['GITHUB_TOKEN', 'anything-long-enough'],
  ];
  for (const [name, value] of good) {
    it(`${name}: ${value.slice(0, 12)}… looks right`, () => assert.equal(checkKeyShape(name, value), undefined));
  }

  it('a key of another provider gets a warning that names the expected form', () => {
    assert.equal(
      checkKeyShape('ANTHROPIC_API_KEY', 'sk-proj-AbC_123-xyz'),
      'This does not look like a value for ANTHROPIC_API_KEY (Anthropic API keys look like sk-ant-…). It is kept anyway.',
    );
    assert.match(checkKeyShape('AWS_BEARER_TOKEN_BEDROCK', 'AKIAIOSFODNN7EXAMPLE') ?? '', /not an IAM access key/);
    assert.match(checkKeyShape('DAYTONA_API_KEY', 'sk-ant-api03-xyz') ?? '', /dtn_/);
  });

  it('pasted whitespace, empty and too-short values are called out for any name', () => {
    assert.match(checkKeyShape('OPENAI_API_KEY', 'sk-proj-abc def') ?? '', /spaces or line breaks/);
    assert.match(checkKeyShape('GITHUB_TOKEN', 'ghp_abcdefgh\n') ?? '', /spaces or line breaks/);
    assert.equal(checkKeyShape('OPENAI_API_KEY', ''), 'The value is empty.');
    assert.match(checkKeyShape('GITHUB_TOKEN', 'abc') ?? '', /only 3 characters long.*would not be hidden in logs/);
  });
});

describe('provider settings', () => {
  it('defaults: no base-URL overrides, Bedrock in us-east-1, Daytona’s own API', () => {
    assert.deepEqual(providerSettingsFromEnv({}), {
      anthropicBaseUrl: '',
      openaiBaseUrl: '',
      openrouterBaseUrl: '',
      bedrockRegion: 'us-east-1',
      bedrockEndpointUrl: '',
      googleBaseUrl: '',
      googleApi: 'gemini',
      daytonaApiUrl: 'https://app.daytona.io/api',
      daytonaTarget: 'us',
    });
  });

  it('the CLI reads the same meanings from environment variables; blank values fall back to the defaults', () => {
    const settings = providerSettingsFromEnv({
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:1',
      OPENAI_BASE_URL: ' http://127.0.0.1:2/v1 ',
      OPENROUTER_BASE_URL: 'http://127.0.0.1:3/api/v1',
      AWS_REGION: '   ',
      DAYTONA_API_URL: 'http://127.0.0.1:4/api',
      DAYTONA_TARGET: 'eu',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:5',
      GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:6',
      JETTY_GOOGLE_API: 'vertex',
    });
    assert.deepEqual(settings, {
      anthropicBaseUrl: 'http://127.0.0.1:1',
      openaiBaseUrl: 'http://127.0.0.1:2/v1',
      openrouterBaseUrl: 'http://127.0.0.1:3/api/v1',
      bedrockRegion: 'us-east-1',
      bedrockEndpointUrl: 'http://127.0.0.1:5',
      googleBaseUrl: 'http://127.0.0.1:6',
      googleApi: 'vertex',
      daytonaApiUrl: 'http://127.0.0.1:4/api',
      daytonaTarget: 'eu',
    });
  });

  it('the extension reads them by setting id', () => {
    const values: Record<string, string> = {
      'jetty.bedrock.region': 'ap-south-1',
      'jetty.anthropic.baseUrl': 'https://gw.example',
    };
    const settings = providerSettingsFrom((id) => values[id]);
    assert.equal(settings.bedrockRegion, 'ap-south-1');
    assert.equal(settings.anthropicBaseUrl, 'https://gw.example');
    assert.equal(settings.openaiBaseUrl, '');
  });
});

describe('urlCredentials', () => {
  it('the user, password and query values of a URL, as written and decoded; nothing for a plain URL', () => {
    assert.deepEqual(urlCredentials('https://user%40corp:p%2Fss@gw.example/api?key=a%20b&v=2'), [
      'user%40corp:p%2Fss',
      'user%40corp',
      'p%2Fss',
      'a%20b',
      '2',
      'user@corp:p/ss',
      'user@corp',
      'p/ss',
      'a b',
    ]);
    assert.deepEqual(urlCredentials('https://openrouter.ai/api/v1'), []);
    assert.deepEqual(urlCredentials(''), []);
    assert.deepEqual(urlCredentials('not a url %zz?token=%zz'), ['%zz']);
  });
});

describe('declared secrets', () => {
  it('reads names, env, description, required and expose_to_agent, skipping malformed specs loosely', () => {
    assert.deepEqual(
      declaredSecrets({
        secrets: {
          GITHUB_TOKEN: { env: 'GH_TOKEN', description: 'clone token', required: false },
          PLAIN: null,
          BAD_ENV: { env: 'not a name', expose_to_agent: false },
          'my-token': {},
        },
      }),
      [
        { name: 'GITHUB_TOKEN', env: 'GH_TOKEN', description: 'clone token', required: false, exposeToAgent: true },
        { name: 'PLAIN', env: 'PLAIN', required: true, exposeToAgent: true },
        { name: 'BAD_ENV', env: 'BAD_ENV', required: true, exposeToAgent: false },
        { name: 'my-token', required: true, exposeToAgent: true },
      ],
    );
    assert.deepEqual(declaredSecrets({ secrets: ['A'] }), []);
    assert.deepEqual(declaredSecrets({}), []);
  });
});
