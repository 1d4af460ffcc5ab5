// Preparing a run the same way for the extension and the CLI: only the keys and secrets this run uses are asked for,
// settings are read by their ids (the CLI's from its environment), and the CLI never takes a runbook secret from a
// provider key's variable.
import assert from 'node:assert/strict';
import type { NeededKey } from '../../../../src/core/run/credentials';
import { environmentLookups, prepareRun, type RunSources } from '../../../../src/core/run/prepare';
import { readSettings, settingsFromEnv } from '../../../../src/core/settings';

const RUNBOOK = '---\nagent: codex\nmodel: gpt-5.5\nsecrets:\n  GITHUB_TOKEN:\n    env: GH_TOKEN\n---\nGo.\n';

describe('prepareRun', () => {
  it('asks for the route’s key, the Daytona key and the runbook’s secrets, nothing else, and plans with them', async () => {
    const asked: string[] = [];
    const stored: Record<string, string> = {
      'key:OPENAI_API_KEY': 'sk-proj-prepare-1',
      'key:DAYTONA_API_KEY': 'dtn_prepare',
      'key:ANTHROPIC_API_KEY': 'sk-ant-api03-unused',
      'secret:GITHUB_TOKEN': 'ghp_prepare_22',
    };
    const sources: RunSources = {
      text: RUNBOOK,
      name: 'prepare',
      sandbox: 'daytona',
      settings: readSettings(
        (id) => ({ 'jetty.codex.version': '0.170.0', 'jetty.daytona.snapshots': { a: 'b', bad: 3 } })[id],
      ),
      value: async (key: NeededKey) => (asked.push(`${key.kind}:${key.name}`), stored[`${key.kind}:${key.name}`]),
    };
    const prepared = await prepareRun(sources);
    assert.deepEqual(asked, ['key:OPENAI_API_KEY', 'key:DAYTONA_API_KEY', 'secret:GITHUB_TOKEN']);
    assert.ok(prepared.ok);
    assert.equal(prepared.plan.agentVersion, '0.170.0');
    assert.deepEqual(prepared.plan.request.env, { GH_TOKEN: 'ghp_prepare_22' });
    assert.ok(!prepared.plan.secretValues.includes('sk-ant-api03-unused'), 'a key the run does not use is never read');
    assert.equal(prepared.createProvider().kind, 'daytona');
  });

  it('uses jetty.lint.rules: a rule turned off no longer blocks the run', async () => {
    const text = '---\nagent: claude-code\nmodel: zai.glm-5\nmodel_provider: bedrock\n---\nGo.\n';
    const base = { text, name: 'x', sandbox: 'local' as const, value: () => 'ABSKprepare' };
    const linted = await prepareRun({ ...base, settings: readSettings(() => undefined) });
    assert.ok(!linted.ok && linted.blocked.reason === 'lint');
    const allowed = await prepareRun({
      ...base,
      settings: readSettings((id) =>
        id === 'jetty.lint.rules' ? { 'model-cross-family-bedrock': 'warning' } : undefined,
      ),
    });
    assert.ok(allowed.ok, JSON.stringify(!allowed.ok && allowed.blocked));
  });

  it('settings of the wrong type count as not set', () => {
    const settings = readSettings(
      (id) => ({ 'jetty.claudeCode.version': 7, 'jetty.daytona.snapshots': 'x', 'jetty.bedrock.region': ['eu'] })[id],
    );
    assert.deepEqual(settings.versions, {
      'claude-code': '2.1.126',
      codex: '0.169.0',
      'gemini-cli': '0.61.0',
      hermes: '0.19.0',
      opencode: '1.18.33',
    });
    assert.deepEqual(settings.snapshots, {});
    assert.equal(settings.provider.bedrockRegion, 'us-east-1');
  });
});

describe('environmentLookups (the CLI)', () => {
  const env = {
    OPENAI_API_KEY: 'sk-proj-env-1',
    DAYTONA_API_KEY: 'dtn_organisationkey',
    ANTHROPIC_API_KEY: 'sk-ant-api03-userkey',
    GH_TOKEN: 'ghp_clitoken123',
    HELPER: 'helper-value-1',
    JETTY_CODEX_VERSION: '0.170.0',
    OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1',
  };
  // Granted, as `--secret GH_TOKEN --secret HELPER --secret DAYTONA_API_KEY --secret ANTHROPIC_API_KEY` would.
  const { value } = environmentLookups(env, new Set(['GH_TOKEN', 'HELPER', 'DAYTONA_API_KEY', 'ANTHROPIC_API_KEY']));
  const setting = settingsFromEnv(env);
  const secret = (name: string, variable: string): NeededKey => ({
    name,
    kind: 'secret',
    env: variable,
    label: name,
    why: '',
    required: true,
  });

  it('reads keys from their own variables and settings from their JETTY_* or provider variables', () => {
    assert.equal(value({ name: 'OPENAI_API_KEY', kind: 'key', label: '', why: '', required: true }), 'sk-proj-env-1');
    assert.equal(setting('jetty.codex.version'), '0.170.0');
    assert.equal(setting('jetty.openrouter.baseUrl'), 'http://127.0.0.1:9/api/v1');
    assert.equal(setting('jetty.unknown'), undefined);
  });

  it('reads a runbook secret from the variable the agent gets, never from a provider key’s variable', () => {
    assert.equal(value(secret('GITHUB_TOKEN', 'GH_TOKEN')), 'ghp_clitoken123');
    assert.equal(value(secret('DAYTONA_API_KEY', 'HELPER')), 'helper-value-1');
    assert.equal(value(secret('STEAL', 'DAYTONA_API_KEY')), undefined);
    assert.equal(value(secret('ANTHROPIC_API_KEY', 'ANTHROPIC_API_KEY')), undefined, 'not even when granted');
  });

  it('reads a runbook secret only from a variable the user granted', () => {
    const ungranted = environmentLookups({ ...env, AWS_SECRET_ACCESS_KEY: 'aws-secret-value' }, new Set()).value;
    assert.equal(ungranted(secret('GITHUB_TOKEN', 'GH_TOKEN')), undefined);
    assert.equal(ungranted(secret('AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY')), undefined);
    assert.equal(
      ungranted({ name: 'OPENAI_API_KEY', kind: 'key', label: '', why: '', required: true }),
      'sk-proj-env-1',
    );
  });
});
