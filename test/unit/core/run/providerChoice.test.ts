// The provider Jetty's runner would use: the runbook's own when its key is here, else the first other provider of the
// agent whose key is here, with the same model's ID there; never when strict, and never for a model only one provider
// names. Only the keys of the providers tried are looked at.
import assert from 'node:assert/strict';
import type { KeyName } from '../../../../src/core/keys';
import { chooseProvider } from '../../../../src/core/run/providerChoice';
import { prepareRun } from '../../../../src/core/run/prepare';
import { readSettings } from '../../../../src/core/settings';

const GALLERY = { agent: 'claude-code', model: 'anthropic/claude-sonnet-4.6', model_provider: 'openrouter' };

function keysHere(...names: KeyName[]) {
  const asked: string[] = [];
  const hasKeys = async (keys: readonly KeyName[]) => {
    asked.push(keys.join('+'));
    return keys.every((k) => names.includes(k));
  };
  return { hasKeys, asked };
}

describe('provider choice', () => {
  it('OpenRouter without its key, Anthropic with one: claude-sonnet-4-6 on Anthropic, and says so', async () => {
    const { hasKeys, asked } = keysHere('ANTHROPIC_API_KEY');
    assert.deepEqual(await chooseProvider(GALLERY, hasKeys, false), {
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      from: { provider: 'openrouter', model: 'anthropic/claude-sonnet-4.6' },
      note: 'OpenRouter has no key here: running on Anthropic as claude-sonnet-4-6, as Jetty does.',
    });
    assert.deepEqual(asked, ['OPENROUTER_API_KEY', 'ANTHROPIC_API_KEY'], 'the declared provider first, then in order');
  });

  it('tries the agent’s providers in the catalog’s order: Bedrock when only its token is here', async () => {
    const { hasKeys, asked } = keysHere('AWS_BEARER_TOKEN_BEDROCK');
    const choice = await chooseProvider(GALLERY, hasKeys, false);
    assert.equal(choice?.provider, 'bedrock');
    assert.equal(choice?.model, 'us.anthropic.claude-sonnet-4-6');
    assert.deepEqual(asked, ['OPENROUTER_API_KEY', 'ANTHROPIC_API_KEY', 'AWS_BEARER_TOKEN_BEDROCK']);
  });

  it('runs as written when its own key is here, when strict, or when no other provider has a key', async () => {
    assert.equal(
      await chooseProvider(GALLERY, keysHere('OPENROUTER_API_KEY', 'ANTHROPIC_API_KEY').hasKeys, false),
      undefined,
    );
    const strict = keysHere('ANTHROPIC_API_KEY');
    assert.equal(await chooseProvider(GALLERY, strict.hasKeys, true), undefined);
    assert.deepEqual(strict.asked, [], 'strict asks for no key at all');
    assert.equal(await chooseProvider(GALLERY, keysHere().hasKeys, false), undefined);
  });

  it('moves a model to the provider that names it, and never one no other provider names', async () => {
    const { hasKeys } = keysHere('ANTHROPIC_API_KEY', 'OPENROUTER_API_KEY');
    const opus = { agent: 'claude-code', model_provider: 'bedrock', model: 'us.anthropic.claude-opus-4-7' };
    assert.equal((await chooseProvider(opus, hasKeys, false))?.model, 'claude-opus-4-7', 'opus has an Anthropic ID');
    const unknown = { agent: 'claude-code', model_provider: 'bedrock', model: 'us.anthropic.claude-unknown-9' };
    assert.equal(await chooseProvider(unknown, hasKeys, false), undefined, 'an ID the catalog does not know stays');
    const only = keysHere('OPENROUTER_API_KEY');
    const haiku = { agent: 'claude-code', model_provider: 'anthropic', model: 'claude-haiku-4-5' };
    assert.equal(
      await chooseProvider(haiku, only.hasKeys, false),
      undefined,
      'no OpenRouter slug is documented for haiku',
    );
  });

  it('a runbook without a model takes the new provider’s default model', async () => {
    const choice = await chooseProvider(
      { agent: 'claude-code', model_provider: 'bedrock' },
      keysHere('ANTHROPIC_API_KEY').hasKeys,
      false,
    );
    assert.deepEqual(choice && [choice.provider, choice.model, choice.from], [
      'anthropic',
      'claude-sonnet-4-6',
      { provider: 'bedrock' },
    ]);
  });

  it('prepareRun plans on the chosen provider, lints the runbook as written, reads each key once', async () => {
    const asked: string[] = [];
    const text = `---\n${Object.entries(GALLERY)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')}\n---\nGo.\n`;
    const prepared = await prepareRun({
      text,
      name: 'gallery',
      sandbox: 'local',
      settings: readSettings(() => undefined),
      value: (key) => (asked.push(key.name), key.name === 'ANTHROPIC_API_KEY' ? 'sk-ant-api03-choice' : undefined),
    });
    assert.ok(prepared.ok, JSON.stringify(!prepared.ok && prepared.blocked));
    assert.deepEqual([prepared.plan.provider, prepared.plan.model], ['anthropic', 'claude-sonnet-4-6']);
    assert.deepEqual(prepared.plan.request.env, { ANTHROPIC_API_KEY: 'sk-ant-api03-choice' });
    assert.deepEqual(prepared.plan.providerSwitch?.from, {
      provider: 'openrouter',
      model: 'anthropic/claude-sonnet-4.6',
    });
    assert.deepEqual(asked, ['OPENROUTER_API_KEY', 'ANTHROPIC_API_KEY']);

    const strict = await prepareRun({
      text,
      name: 'gallery',
      sandbox: 'local',
      settings: { ...readSettings(() => undefined), strictProvider: true },
      value: (key) => (key.name === 'ANTHROPIC_API_KEY' ? 'sk-ant-api03-choice' : undefined),
    });
    assert.ok(!strict.ok && strict.blocked.reason === 'missing-keys');
    assert.deepEqual(strict.blocked.reason === 'missing-keys' && strict.blocked.keys.map((k) => k.name), [
      'OPENROUTER_API_KEY',
    ]);
  });
});
