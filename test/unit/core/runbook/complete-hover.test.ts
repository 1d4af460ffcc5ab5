import assert from 'node:assert/strict';
import { completeAt } from '../../../../src/core/runbook/complete';
import { isRunbook, matchesRunbookPattern } from '../../../../src/core/runbook/detect';
import { hoverAt } from '../../../../src/core/runbook/hover';
import { lint } from '../../../../src/core/runbook/lint';
import { parseRunbook } from '../../../../src/core/runbook/parse';
import { applyEdits } from './helpers';

/** `|` marks the cursor. */
function at(source: string) {
  const offset = source.indexOf('|');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  return { parsed: parseRunbook(text), offset, text };
}
const labels = (source: string) => {
  const { parsed, offset } = at(source);
  return completeAt(parsed, offset)?.items.map((i) => i.label);
};

describe('completion', () => {
  it('offers the keys not yet written, each with documentation and a value snippet', () => {
    const { parsed, offset } = at('---\nagent: codex\nmo|\n---\n');
    const completion = completeAt(parsed, offset)!;
    assert.deepEqual(completion.span, { start: offset - 2, end: offset });
    const names = completion.items.map((i) => i.label);
    assert.ok(names.includes('model') && names.includes('mcp_servers') && !names.includes('agent'));
    const provider = completion.items.find((i) => i.label === 'model_provider')!;
    assert.equal(provider.insertText, 'model_provider: ${1|anthropic,openrouter,openai,google,bedrock|}');
    assert.match(provider.documentation!, /Who serves the model/);
  });

  it('offers nested keys by indentation, also inside list items', () => {
    assert.deepEqual(labels('---\ncode_checks:\n  |\n---\n'), [
      'executor',
      'timeout_sec',
      'sources',
      'mcp_servers',
      'references',
    ]);
    assert.deepEqual(labels('---\ncode_checks:\n  sources:\n    - name: x\n      |\n---\n'), [
      'name',
      'type',
      'url',
      'ref',
      'secret',
    ]);
    assert.deepEqual(labels('---\nmcp_servers:\n  playwright:\n    |\n---\n'), ['command', 'args', 'env']);
  });

  it("offers the agent's models for the written provider only", () => {
    assert.deepEqual(labels('---\nagent: codex\nmodel_provider: openrouter\nmodel: |\n---\n'), [
      'moonshotai/kimi-k2-0905',
      'qwen/qwen3-coder',
    ]);
    assert.deepEqual(labels('---\nagent: codex\nmodel_provider: openai\nmodel: g|\n---\n'), [
      'gpt-5.5',
      'gpt-5.4',
      'o4-mini',
    ]);
  });

  it("without model_provider, offers every provider's models and writes the provider with those that need it; none is flagged", () => {
    const { parsed, offset, text } = at('---\nagent: claude-code\nmodel: |\n---\n');
    const items = completeAt(parsed, offset)!.items;
    assert.ok(!items.some((i) => i.label === 'zai.glm-5'), 'a broken ID is never offered');
    for (const item of items) {
      const edits = [
        { range: parsed.lines.range(offset, offset), newText: item.insertText },
        ...(item.additionalEdits ?? []),
      ];
      const result = applyEdits(text, edits);
      const flagged = lint(result).filter((f) => f.severity === 'error' || f.code === 'model-undocumented');
      assert.deepEqual(flagged, [], `${item.label} → ${result}`);
    }
    assert.ok(
      items
        .find((i) => i.label === 'us.anthropic.claude-sonnet-4-6')!
        .additionalEdits?.[0]?.newText.includes('model_provider: bedrock'),
    );
  });

  it('offers agents, providers the agent can use, snapshots, evaluation modes and enum values', () => {
    assert.deepEqual(labels('---\nagent: |\n---\n'), ['claude-code', 'codex', 'gemini-cli', 'hermes', 'opencode']);
    assert.deepEqual(labels('---\nagent: codex\nmodel_provider: |\n---\n'), ['openai', 'openrouter']);
    assert.deepEqual(labels('---\nsnapshot: py|\n---\n'), ['python312-uv', 'python312-uv-node', 'prism-playwright']);
    assert.deepEqual(labels('---\nevaluation: |\n---\n'), ['programmatic', 'rubric']);
    assert.deepEqual(labels('---\ncode_checks:\n  executor: |\n---\n'), ['jetty', 'agent']);
  });

  it('completes {{ with the Jetty variables and the declared secrets, closing the braces', () => {
    const { parsed, offset } = at('---\nagent: codex\nsecrets:\n  GH: {env: GH}\n---\nUse {{ se|\n');
    const completion = completeAt(parsed, offset)!;
    assert.deepEqual(
      completion.items.map((i) => i.label),
      ['results_dir', 'checks_dir', 'assets_dir', 'secrets.GH'],
    );
    assert.equal(completion.items[3]!.insertText, 'secrets.GH}}');
    assert.deepEqual(completion.span, { start: offset - 2, end: offset });
  });

  it('offers nothing in plain prose', () => {
    assert.equal(labels('---\nagent: codex\n---\nJust | text\n'), undefined);
  });
});

describe('hover', () => {
  const hover = (source: string) => {
    const { parsed, offset } = at(source);
    return hoverAt(parsed, offset);
  };

  it('explains a key from the schema', () => {
    assert.match(
      hover('---\nmodel_pro|vider: bedrock\n---\n')!.markdown,
      /^\*\*model_provider\*\*: Who serves the model/,
    );
  });

  it("describes a model: runtime, provider, status, and the verdict for this runbook's agent", () => {
    const text = hover(
      '---\nagent: claude-code\nmodel: us.anthropic.claude-son|net-4-6\nmodel_provider: bedrock\n---\n',
    )!.markdown;
    assert.match(text, /Runtimes: claude-code, hermes · provider: AWS Bedrock · status: confirmed/);
    assert.match(text, /Documented for claude-code with bedrock/);
    assert.match(
      hover('---\nagent: claude-code\nmodel: zai.gl|m-5\n---\n')!.markdown,
      /claude-code cannot run it .* use hermes/,
    );
  });

  it('describes an agent and a variable', () => {
    assert.match(
      hover('---\nagent: her|mes\n---\n')!.markdown,
      /^\*\*Hermes\*\* \(`hermes`\): .*\n\nProviders: bedrock, anthropic, openai, openrouter, google\.\n/,
    );
    assert.match(hover('---\nagent: codex\n---\nto {{resu|lts_dir}}\n')!.markdown, /\/app\/results/);
    assert.match(hover('---\nagent: codex\n---\n{{secrets.T|OK}}\n')!.markdown, /never appears in trajectories/);
  });
});

describe('detection', () => {
  it('is a runbook by front-matter agent or model, or by file pattern; never plain markdown', () => {
    assert.equal(isRunbook('---\nagent: codex\n---\n', 'notes.md'), true);
    assert.equal(isRunbook('---\nmodel: gpt-5.5\n---\n', undefined), true);
    assert.equal(isRunbook('---\ntitle: Notes\n---\n', 'notes.md'), false);
    assert.equal(isRunbook('# Notes\nagent: codex\n', 'notes.md'), false);
    assert.equal(isRunbook('# Task\n', 'docs/deploy.runbook.md'), true);
    assert.equal(isRunbook('# Task\n', 'docs/deploy.md', 'docs/*.md'), true);
  });

  it('matches the glob on relative and Windows-style paths', () => {
    assert.equal(matchesRunbookPattern('a\\b\\c.runbook.md'), true);
    assert.equal(matchesRunbookPattern('.hidden/c.runbook.md'), true);
    assert.equal(matchesRunbookPattern('c.md'), false);
    assert.equal(matchesRunbookPattern('c.md', '[invalid'), false);
  });
});
