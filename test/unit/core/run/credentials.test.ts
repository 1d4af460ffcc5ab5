// The keys and secrets a run needs: a runbook's missing keys are listed before anything runs, and its secrets reach
// the agent under the variables it declares.
import assert from 'node:assert/strict';
import { keysNeeded, missingKeys, secretsEnvironment } from '../../../../src/core/run/credentials';

describe('missing keys before a run', () => {
  const front = {
    agent: 'codex',
    model: 'gpt-5.5',
    secrets: {
      GITHUB_TOKEN: { env: 'GH_TOKEN', description: 'GitHub token for cloning', required: true },
      OPTIONAL_THING: { required: false },
      CHECKS_ONLY: { expose_to_agent: false },
      OPENROUTER_API_KEY: {},
    },
  };
  const why = 'the runbook declares it under secrets';

  it('lists the provider key, the Daytona key and the runbook’s secrets the agent gets, each once, in that order', () => {
    assert.deepEqual(keysNeeded(front, { sandbox: 'daytona' }), [
      {
        name: 'OPENAI_API_KEY',
        kind: 'key',
        label: 'OpenAI API key',
        why: 'codex with OpenAI needs it',
        required: true,
      },
      {
        name: 'DAYTONA_API_KEY',
        kind: 'key',
        label: 'Daytona API key',
        why: 'the Daytona sandbox needs it',
        required: true,
      },
      { name: 'GITHUB_TOKEN', kind: 'secret', env: 'GH_TOKEN', label: 'GitHub token for cloning', why, required: true },
      {
        name: 'OPTIONAL_THING',
        kind: 'secret',
        env: 'OPTIONAL_THING',
        label: 'Runbook secret OPTIONAL_THING',
        why,
        required: false,
      },
      {
        name: 'OPENROUTER_API_KEY',
        kind: 'secret',
        env: 'OPENROUTER_API_KEY',
        label: 'Runbook secret OPENROUTER_API_KEY',
        why,
        required: true,
      },
    ]);
  });

  it('a secret named like a provider key is still the runbook’s own secret, never the stored key', () => {
    const needed = keysNeeded(
      { model: 'gpt-5.5', secrets: { OPENAI_API_KEY: { required: false }, DAYTONA_API_KEY: {} } },
      { sandbox: 'daytona' },
    );
    assert.deepEqual(
      needed.map((k) => [k.name, k.kind, k.required]),
      [
        ['OPENAI_API_KEY', 'key', true],
        ['DAYTONA_API_KEY', 'key', true],
        ['OPENAI_API_KEY', 'secret', false],
        ['DAYTONA_API_KEY', 'secret', true],
      ],
    );
  });

  it('a secret no variable can carry to the agent (no valid name, no env) is not asked for and not sent', () => {
    const odd = { model: 'claude-haiku-4-5', secrets: { 'my-token': {}, 'other-token': { env: 'OTHER_TOKEN' } } };
    assert.deepEqual(
      keysNeeded(odd, { sandbox: 'local' }).map((k) => `${k.kind}:${k.name}`),
      ['key:ANTHROPIC_API_KEY', 'secret:other-token'],
    );
    assert.deepEqual(secretsEnvironment(odd, { 'my-token': 'value-one-123', 'other-token': 'value-two-456' }), {
      OTHER_TOKEN: 'value-two-456',
    });
  });

  it('a local run needs no Daytona key', () => {
    assert.deepEqual(
      keysNeeded({ model: 'claude-haiku-4-5' }, { sandbox: 'local' }).map((k) => k.name),
      ['ANTHROPIC_API_KEY'],
    );
  });

  it('missingKeys keeps only the required ones that are not set', () => {
    const set = new Set(['key:OPENAI_API_KEY', 'secret:GITHUB_TOKEN', 'key:OPENROUTER_API_KEY']);
    assert.deepEqual(
      missingKeys(front, (k) => set.has(`${k.kind}:${k.name}`), { sandbox: 'daytona' }).map(
        (k) => `${k.kind}:${k.name}`,
      ),
      ['key:DAYTONA_API_KEY', 'secret:OPENROUTER_API_KEY'],
    );
    assert.deepEqual(
      missingKeys({ model: 'claude-haiku-4-5' }, () => true, { sandbox: 'daytona' }),
      [],
    );
  });

  it('an unsupported pair needs no provider key (it does not run at all)', () => {
    assert.deepEqual(keysNeeded({ agent: 'hermes' }, { sandbox: 'local' }), []);
  });

  it('secretsEnvironment puts each exposed secret that has a value under its declared env', () => {
    const values = {
      GITHUB_TOKEN: 'ghp_value-123456',
      CHECKS_ONLY: 'checks-only-value',
      OPENROUTER_API_KEY: 'sk-or-v1-abcdefgh',
    };
    assert.deepEqual(secretsEnvironment(front, values), {
      GH_TOKEN: 'ghp_value-123456',
      OPENROUTER_API_KEY: 'sk-or-v1-abcdefgh',
    });
    assert.deepEqual(secretsEnvironment({}, values), {});
  });
});
