// The TextMate injection grammars: their patterns compile, highlight what they should and nothing else, and the list of
// front-matter keys stays the schema's (a key added to the schema and not to the grammar fails here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FRONT_MATTER_KEYS } from '../../../src/core/runbook/schema';

const root = path.resolve(__dirname, '../../..');
const grammar = (file: string) => JSON.parse(readFileSync(path.join(root, 'syntaxes', file), 'utf8'));
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('runbook grammars', () => {
  const keys = grammar('runbook-frontmatter.injection.tmLanguage.json');
  const variables = grammar('runbook.injection.tmLanguage.json');
  const keyPattern = new RegExp(keys.repository.key.match);
  const variablePattern = new RegExp(variables.repository.variable.match, 'g');

  it('are contributed by the manifest with their scope names, injected into markdown', () => {
    for (const g of [keys, variables]) {
      const entry = manifest.contributes.grammars.find((c: { scopeName: string }) => c.scopeName === g.scopeName);
      assert.ok(entry, `${g.scopeName} is contributed`);
      assert.deepEqual(entry.injectTo, ['text.html.markdown']);
    }
    assert.equal(keys.injectionSelector, 'L:meta.embedded.block.frontmatter', 'keys are highlighted only inside the front-matter');
  });

  it('highlights exactly the schema keys at the start of a front-matter line', () => {
    const inGrammar = /\^\(([^)]*)\)/.exec(keys.repository.key.match)![1]!.split('|').sort();
    assert.deepEqual(inGrammar, [...FRONT_MATTER_KEYS].sort());
    assert.equal(keyPattern.exec('model_provider: bedrock')?.[1], 'model_provider');
    assert.equal(keyPattern.exec('agent:')?.[1], 'agent');
    for (const not of ['modelx: a', '  model: nested', 'model_providers: a', 'agent:x', '# agent: comment']) assert.equal(keyPattern.exec(not), null, not);
  });

  it('highlights {{variables}} with and without spaces, and not other braces', () => {
    const names = (text: string) => [...text.matchAll(variablePattern)].map((m) => m[2]);
    assert.deepEqual(names('to {{results_dir}}/x and {{ secrets.GH_TOKEN }}'), ['results_dir', 'secrets.GH_TOKEN']);
    assert.deepEqual(names('{{}} {{ 1 + 2 }} {{#each}}'), []);
  });
});
