// `{{secrets.NAME}}` is rendered as a reference to the environment variable carrying it, never as the value.
import assert from 'node:assert/strict';
import { renderSecretReferences, secretReferenceResolver } from '../../../../src/core/run/render';
import { renderTemplate } from '../../../../src/core/runbook/template';

describe('rendering {{secrets.NAME}}', () => {
  const front = { secrets: { GITHUB_TOKEN: { env: 'GH_TOKEN' }, NPM_TOKEN: {} } };

  it('becomes ${VAR}: the declared env, else the secret’s own name', () => {
    assert.equal(
      renderSecretReferences('clone with {{secrets.GITHUB_TOKEN}}, publish with {{ secrets.NPM_TOKEN }}.', front),
      'clone with ${GH_TOKEN}, publish with ${NPM_TOKEN}.',
    );
  });

  it('an undeclared secret still becomes a reference, never stays a template a value could be filled into', () => {
    assert.equal(renderSecretReferences('{{secrets.UNDECLARED}}_suffix', front), '${UNDECLARED}_suffix');
  });

  it('leaves other variables for the run command to fill, and text without variables alone', () => {
    const body = 'write to {{results_dir}}/out.md using {{secrets.GITHUB_TOKEN}} and {{secrets.a.b}}';
    assert.equal(
      renderSecretReferences(body, front),
      'write to {{results_dir}}/out.md using ${GH_TOKEN} and {{secrets.a.b}}',
    );
    assert.equal(renderSecretReferences('plain', front), 'plain');
  });

  it('a name no shell could reference is left as written (lint reports it)', () => {
    assert.equal(renderSecretReferences('{{secrets.MY-TOKEN}}', {}), '{{secrets.MY-TOKEN}}');
    assert.equal(
      renderSecretReferences('{{secrets.MY-TOKEN}}', { secrets: { 'MY-TOKEN': {} } }),
      '{{secrets.MY-TOKEN}}',
    );
    assert.equal(
      renderSecretReferences('{{secrets.MY-TOKEN}}', { secrets: { 'MY-TOKEN': { env: 'MY_TOKEN' } } }),
      '${MY_TOKEN}',
    );
  });

  it('composes with the run command’s own resolver, and the value never appears', () => {
    const secrets = secretReferenceResolver(front);
    const value = 'ghp_the-real-value-123456';
    const resolve = (name: string) => secrets(name) ?? (name === 'results_dir' ? '/app/results' : undefined);
    const prompt = renderTemplate('{{results_dir}} {{secrets.GITHUB_TOKEN}}', resolve);
    assert.equal(prompt, '/app/results ${GH_TOKEN}');
    assert.ok(!prompt.includes(value));
  });
});
