// provider-key-missing: an information finding on `model` when the provider's key is not set, with a fix that runs
// "Jetty: Set Provider Key" for that key; quiet when the key store's state is unknown or the pair cannot run.
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../../../src/core/runbook/parse';
import { Runbook } from '../../../../../src/core/runbook/runbook';
import { providerKeyMissing } from '../../../../../src/core/runbook/rules/provider-key-missing';
import type { LintEnvironment } from '../../../../../src/core/runbook/lint';

function check(text: string, environment: LintEnvironment) {
  return providerKeyMissing.check(new Runbook(parseRunbook(text)), environment);
}

const unset: LintEnvironment = { isKeySet: () => false };

describe('provider-key-missing', () => {
  it('points at the model’s value and offers to set the key the provider needs', () => {
    const text = '---\nagent: codex\nmodel: qwen/qwen3-coder\nmodel_provider: openrouter\n---\n# Body\n';
    const asked: string[] = [];
    const findings = check(text, { isKeySet: (name) => (asked.push(name), false) });
    assert.deepEqual(asked, ['OPENROUTER_API_KEY']);
    assert.deepEqual(findings, [
      {
        message:
          'OPENROUTER_API_KEY is not set: codex with OpenRouter needs the OpenRouter API key to run this runbook.',
        range: { start: { line: 2, character: 7 }, end: { line: 2, character: 23 } },
        fixes: [
          {
            title: 'Set OPENROUTER_API_KEY…',
            action: { kind: 'set-key', key: 'OPENROUTER_API_KEY' },
            preferred: true,
          },
        ],
        data: { key: 'OPENROUTER_API_KEY' },
      },
    ]);
  });

  it('infers the provider as Jetty does (a gpt model → codex → OpenAI)', () => {
    const [finding] = check('---\nmodel: gpt-5.5\n---\n', unset);
    assert.match(finding?.message ?? '', /^OPENAI_API_KEY is not set: codex with OpenAI/);
  });

  it('without a model, it points at the front-matter’s opening line', () => {
    const [finding] = check('---\nagent: claude-code\nmodel_provider: bedrock\n---\n', unset);
    assert.match(finding?.message ?? '', /^AWS_BEARER_TOKEN_BEDROCK is not set/);
    assert.deepEqual(finding?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } });
  });

  it('is quiet when the key is set, when the store’s state is unknown, and without a key store at all (the CLI)', () => {
    const text = '---\nagent: claude-code\nmodel: claude-sonnet-4-6\n---\n';
    assert.deepEqual(check(text, { isKeySet: () => true }), []);
    assert.deepEqual(check(text, { isKeySet: () => undefined }), []);
    assert.deepEqual(check(text, {}), []);
  });

  it('is quiet for pairs that cannot run, invalid agents or providers, and text without front-matter', () => {
    assert.deepEqual(check('---\nagent: codex\nmodel_provider: anthropic\n---\n', unset), []);
    assert.deepEqual(check('---\nagent: opencode\nmodel_provider: google\n---\n', unset), []);
    assert.deepEqual(check('---\nagent: claude-kode\n---\n', unset), []);
    assert.deepEqual(check('---\nagent: codex\nmodel_provider: openia\n---\n', unset), []);
    assert.deepEqual(check('# just markdown\n', unset), []);
  });
});
