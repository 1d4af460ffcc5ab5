// The model a runbook without `model` runs with depends on its provider, and the run and the model-missing quick fix
// agree on it: claude-code on Bedrock needs a `us.anthropic.…` ID, on OpenRouter a `vendor/name` slug.
import assert from 'node:assert/strict';
import { providerSettingsFromEnv } from '../../../../src/core/keys';
import { DEFAULT_VERSIONS } from '../../../../src/core/agents';
import { planRun } from '../../../../src/core/run/plan';
import { parseRunbook } from '../../../../src/core/runbook/parse';
import { Runbook } from '../../../../src/core/runbook/runbook';
import { modelMissing } from '../../../../src/core/runbook/rules/model-missing';

const KEYS = {
  ANTHROPIC_API_KEY: 'sk-ant-api03-default-model',
  OPENAI_API_KEY: 'sk-proj-default-model',
  OPENROUTER_API_KEY: 'sk-or-v1-default-model',
  AWS_BEARER_TOKEN_BEDROCK: 'ABSKdefaultmodel',
};

function planned(front: string): string {
  const result = planRun({
    text: `---\n${front}\n---\nGo.\n`,
    name: 'default',
    sandbox: 'local',
    settings: { provider: providerSettingsFromEnv({}), versions: DEFAULT_VERSIONS, snapshots: {} },
    keys: KEYS,
    secrets: {},
  });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.blocked));
  return result.plan.model;
}

function offered(front: string): string | undefined {
  const [finding] = modelMissing.check(new Runbook(parseRunbook(`---\n${front}\n---\nGo.\n`)), {});
  return /^Write model: (.+)$/.exec(finding?.fixes?.[0]?.title ?? '')?.[1];
}

describe('the default model, per agent and provider', () => {
  const cases: [string, string][] = [
    ['agent: claude-code', 'claude-sonnet-4-6'],
    ['agent: claude-code\nmodel_provider: anthropic', 'claude-sonnet-4-6'],
    ['agent: claude-code\nmodel_provider: bedrock', 'us.anthropic.claude-sonnet-4-6'],
    ['agent: claude-code\nmodel_provider: openrouter', 'anthropic/claude-sonnet-4.6'],
    ['agent: codex', 'gpt-5.4'],
    ['agent: codex\nmodel_provider: openrouter', 'moonshotai/kimi-k2-0905'],
  ];
  for (const [front, model] of cases) {
    it(`${front.replace('\n', ', ')} → ${model}, in the run and in the quick fix`, () => {
      assert.equal(planned(front), model);
      assert.equal(offered(front), model);
    });
  }

  it('an agent with a provider it cannot use is offered its own default (other rules say what is wrong)', () => {
    assert.equal(offered('agent: claude-code\nmodel_provider: openai'), 'claude-sonnet-4-6');
  });
});
