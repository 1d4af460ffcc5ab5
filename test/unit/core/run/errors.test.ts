// How sandbox failures are explained to the user: the message, the next step and the action the buttons take.
import assert from 'node:assert/strict';
import { providerSettingsFromEnv } from '../../../../src/core/keys';
import { explainAgentFailure, explainSandboxError, FailureWatch } from '../../../../src/core/run/errors';
import { DEFAULT_VERSIONS } from '../../../../src/core/agents';
import { planRun, type RunPlan } from '../../../../src/core/run/plan';
import { SandboxError } from '../../../../src/core/run/sandbox';
import { VSCODE_WORDS } from '../../../../src/vscode/words';
import { CLI_WORDS } from '../../../../src/cli/words';

function plan(): RunPlan {
  const result = planRun({
    text: '---\nagent: claude-code\nmodel: claude-sonnet-4-6\n---\nGo.\n',
    name: 'hello',
    sandbox: 'daytona',
    settings: { provider: providerSettingsFromEnv({}), versions: DEFAULT_VERSIONS, snapshots: {} },
    keys: { ANTHROPIC_API_KEY: 'sk-ant-api03-errors-test', DAYTONA_API_KEY: 'dtn_errorstest' },
    secrets: {},
  });
  assert.ok(result.ok);
  return result.plan;
}

describe('explaining sandbox failures', () => {
  it('a rejected Daytona key (401): set a valid key, with the button that does it', () => {
    const error = new SandboxError(
      'auth',
      'Daytona rejected the API key (HTTP 401) while trying to create the sandbox.',
      'Set a valid Daytona API key.',
      { status: 401 },
    );
    assert.deepEqual(explainSandboxError(error, plan(), VSCODE_WORDS), {
      message: error.message,
      nextStep: 'Set a valid Daytona API key (DAYTONA_API_KEY) and run again.',
      actions: [{ kind: 'set-key', key: 'DAYTONA_API_KEY' }],
    });
  });

  it('a refused request (403) is not a bad key: the service’s own next step, no "Set key"', () => {
    const nextStep = 'Check that the Daytona API key belongs to the right organisation and may create sandboxes.';
    const error = new SandboxError(
      'auth',
      'Daytona refused access (HTTP 403) while trying to create the sandbox: forbidden',
      nextStep,
      { status: 403 },
    );
    for (const words of [VSCODE_WORDS, CLI_WORDS])
      assert.deepEqual(explainSandboxError(error, plan(), words), { message: error.message, nextStep, actions: [] });
  });
});

describe('explaining how the agent failed', () => {
  function planFor(text: string, keys: Record<string, string>): RunPlan {
    const result = planRun({
      text,
      name: 'hello',
      sandbox: 'daytona',
      settings: { provider: providerSettingsFromEnv({}), versions: DEFAULT_VERSIONS, snapshots: {} },
      keys: { ...keys, DAYTONA_API_KEY: 'dtn_errorstest' },
      secrets: {},
    });
    assert.ok(result.ok);
    return result.plan;
  }
  const gemini = () =>
    planFor('---\nagent: gemini-cli\nmodel: gemini-2.5-pro\n---\nGo.\n', { GEMINI_API_KEY: 'AIza-errors-test' });
  const hermes = () =>
    planFor('---\nagent: hermes\nmodel: zai.glm-5\nmodel_provider: bedrock\n---\nGo.\n', {
      AWS_BEARER_TOKEN_BEDROCK: 'ABSK-errors-test',
    });

  it('gemini-cli’s exit code 145 says the key was rejected, even with no event to say it', () => {
    assert.deepEqual(explainAgentFailure(gemini(), 145, new FailureWatch(), '', CLI_WORDS), {
      message: 'Google AI Studio rejected GEMINI_API_KEY.',
      nextStep: CLI_WORDS.setKey('GEMINI_API_KEY'),
      actions: [{ kind: 'set-key', key: 'GEMINI_API_KEY' }],
    });
    // Another exit code of its is its own failure, said with the end of its stderr.
    assert.equal(
      explainAgentFailure(gemini(), 1, new FailureWatch(), 'boom\n', CLI_WORDS)?.message,
      'gemini-cli exited with code 1: boom',
    );
  });

  it('hermes exits 0 after a rejected key: its events say it, and so does the error', () => {
    const watch = new FailureWatch();
    const message =
      'An error occurred (AccessDeniedException) when calling the ConverseStream operation: Authentication failed: Please make sure your API Key is valid.';
    watch.add([{ kind: 'error', line: 5, message, fatal: true }]);
    assert.deepEqual(
      explainAgentFailure(hermes(), 0, watch, '', CLI_WORDS)?.message,
      `AWS Bedrock rejected AWS_BEARER_TOKEN_BEDROCK: ${message}`,
    );
    assert.equal(explainAgentFailure(hermes(), 0, new FailureWatch(), '', CLI_WORDS), undefined, 'a run that worked');
  });
});
