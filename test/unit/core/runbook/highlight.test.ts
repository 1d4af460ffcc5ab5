// Runbook highlighting: which characters are marked as Jetty keys and `{{variables}}`, and the manifest that colours them.
// Runbooks get semantic tokens (exact, from the parse); the TextMate grammars in syntaxes/ only mark what no other
// markdown uses (test/host/grammar.test.ts tokenizes plain markdown with VS Code's own engine to prove it), in the
// same scopes, so both layers colour alike.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { highlights, TOKEN_TYPES } from '../../../../src/core/runbook/highlight';
import { parseRunbook } from '../../../../src/core/runbook/parse';
import { FRONT_MATTER_KEYS } from '../../../../src/core/runbook/schema';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));

/** Each highlight as `kind:text`, in order. */
function marks(text: string): string[] {
  return highlights(parseRunbook(text)).map((h) => `${h.kind}:${text.slice(h.start, h.end)}`);
}

describe('runbook highlighting', () => {
  it("marks the front-matter's Jetty keys and no other key, nested keys and values included", () => {
    const text =
      '---\nagent: codex\ntitle: agent\nsecrets:\n  model: x\nmodel_provider: openai\n"snapshot": python312-uv\n---\nagent: body\n';
    assert.deepEqual(marks(text), ['key:agent', 'key:secrets', 'key:model_provider', 'key:"snapshot"']);
  });

  it('marks every key of the schema', () => {
    const text = `---\n${FRONT_MATTER_KEYS.map((key) => `${key}: x`).join('\n')}\n---\n`;
    assert.deepEqual(
      marks(text),
      FRONT_MATTER_KEYS.map((key) => `key:${key}`),
    );
  });

  it('marks {{variables}} in the body, braces included, wherever the runner fills them in (code blocks too)', () => {
    const text =
      '---\nagent: codex\nnote: "{{in_front_matter}}"\n---\nTo {{ results_dir }}/x and {{secrets.GH_TOKEN}}.\n```yaml\nrun: ${{ secrets.X }}\n```\n{{ 1 + 2 }} {{}}\n';
    assert.deepEqual(
      marks(text).filter((m) => m.startsWith('variable:')),
      ['variable:{{ results_dir }}', 'variable:{{secrets.GH_TOKEN}}', 'variable:{{ secrets.X }}'],
    );
  });

  it('gives exact offsets with CRLF line endings and a BOM', () => {
    const text = '\ufeff---\r\nmodel: gpt-5.5\r\n---\r\nx {{results_dir}}\r\n';
    const found = highlights(parseRunbook(text));
    assert.deepEqual(found, [
      { kind: 'key', start: 6, end: 11 },
      { kind: 'variable', start: text.indexOf('{{'), end: text.indexOf('}}') + 2 },
    ]);
  });

  it('the manifest declares the token types, each mapped to the scope its TextMate grammar uses', () => {
    const declared = manifest.contributes.semanticTokenTypes.map((t: { id: string }) => t.id).sort();
    assert.deepEqual(declared, Object.values(TOKEN_TYPES).sort());
    const scopes = manifest.contributes.semanticTokenScopes.find(
      (s: { language: string }) => s.language === 'markdown',
    ).scopes;
    assert.deepEqual(scopes, {
      [TOKEN_TYPES.key]: ['support.type.property-name.jetty'],
      [TOKEN_TYPES.variable]: ['variable.other.jetty'],
    });
    const grammars = JSON.stringify(
      manifest.contributes.grammars.map((g: { path: string }) =>
        JSON.parse(readFileSync(path.resolve(__dirname, '../../../../', g.path), 'utf8')),
      ),
    );
    for (const scope of ['support.type.property-name.jetty', 'variable.other.jetty'])
      assert.ok(grammars.includes(scope), `a grammar uses ${scope}`);
  });

  it("the front-matter grammar's keys are schema keys", () => {
    const grammar = JSON.parse(
      readFileSync(
        path.resolve(__dirname, '../../../../syntaxes/runbook-frontmatter.injection.tmLanguage.json'),
        'utf8',
      ),
    );
    const keys = (/\^\(([^)]+)\)/.exec(grammar.repository.key.match)?.[1] ?? '').split('|');
    assert.ok(keys.length > 0);
    for (const key of keys)
      assert.ok((FRONT_MATTER_KEYS as readonly string[]).includes(key), `${key} is a front-matter key`);
  });
});
