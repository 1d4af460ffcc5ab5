// What runbooks shaped like Jetty's gallery get from lint: nothing above information when they are fine (long `origin`
// blocks with comments, `secrets:` empty, parameters of both table shapes, bodies writing /app/results), structure
// findings only for runbooks Jetty evaluates, the body's sections as the agent reads them, and messages that claim a
// rejection only where Jetty's own tooling is documented to reject.
import assert from 'node:assert/strict';
import { completeAt } from '../../../../src/core/runbook/complete';
import { hoverAt } from '../../../../src/core/runbook/hover';
import { lint } from '../../../../src/core/runbook/lint';
import { parseRunbook } from '../../../../src/core/runbook/parse';
import { bodyStructure } from '../../../../src/core/runbook/sections';
import { FIXTURE_NAMES, fixture, replaced } from './helpers';

const above = (text: string) => lint(text).filter((f) => f.severity !== 'information');

describe('gallery-shaped runbooks', () => {
  it('has gallery-shaped fixtures to test on', () => {
    assert.deepEqual(FIXTURE_NAMES, [
      'accessibility-sweep',
      'changelog-drafter',
      'dependency-planner',
      'interview-synthesis',
      'invoice-extractor',
    ]);
  });

  for (const name of FIXTURE_NAMES) {
    it(`${name}: no finding above information`, () => {
      assert.deepEqual(above(fixture(name)), []);
    });
  }

  it('knows origin and its sub-keys, comments between them included, and lets a newer converter add keys', () => {
    const text = replaced(
      fixture('invoice-extractor'),
      '  is_directory_mirror: false\n',
      '  is_directory_mirror: false\n  # written by converter 2.0\n  content_hash: "sha256:0f3a"\n',
    );
    assert.deepEqual(above(text), []);
    // A typo at the top level is still one.
    const typo = replaced(text, 'origin:', 'orign:');
    assert.deepEqual(
      lint(typo)
        .filter((f) => f.code === 'key-unknown')
        .map((f) => f.message),
      ['`orign` is not a runbook key: Jetty ignores it. Did you mean `origin`?'],
    );
  });

  it('reads `secrets:` with nothing after it (or only comments) as no secrets, and `secrets: {}` too', () => {
    for (const secrets of ['secrets:\n', 'secrets:   # none\n  # EXAMPLE:\n  #   env: EXAMPLE\n', 'secrets: {}\n']) {
      const text = `---\nagent: claude-code\nmodel: claude-sonnet-4-6\nmodel_provider: anthropic\n${secrets}---\n# T\n`;
      assert.deepEqual(lint(text), [], secrets);
    }
    // A list is still not a mapping of secrets, and the message says what happens rather than a rejection.
    const list = lint('---\nagent: claude-code\nsecrets:\n  - GH_TOKEN\n---\n').find((f) => f.code === 'value-type')!;
    assert.equal(
      list.message,
      '`secrets` must be a mapping of `key: value`, but here it is a list: Jetty documents only a mapping of `key: value` here, so the setting does not work as written.',
    );
  });

  it('completes and explains origin’s keys', () => {
    const text = '---\nagent: claude-code\norigin:\n  \n---\n';
    const labels = completeAt(parseRunbook(text), text.indexOf('  \n---') + 2)!.items.map((i) => i.label);
    assert.deepEqual(labels, [
      'url',
      'user_supplied_url',
      'source_host',
      'source_title',
      'imported_at',
      'imported_by',
      'is_directory_mirror',
      'license',
      'notice',
      'attribution',
    ]);
    const runbook = fixture('invoice-extractor');
    const parsed = parseRunbook(runbook);
    assert.match(
      hoverAt(parsed, runbook.indexOf('origin:') + 2)!.markdown,
      /^\*\*origin\*\*: Where the runbook came from/,
    );
    assert.equal(
      hoverAt(parsed, runbook.indexOf('imported_by:') + 2)!.markdown,
      '**origin.imported_by**: What imported it, e.g. `skill-to-runbook-converter@1.1.0`.',
    );
    assert.match(
      hoverAt(parsed, runbook.indexOf('confidence:') + 2)!.markdown,
      /^\*\*origin\.attribution\.confidence\*\*: How sure the converter is/,
    );
  });

  it('holds only runbooks that declare `evaluation` to the template structure', () => {
    const freeForm =
      '---\nagent: codex\nmodel: gpt-5.5\nmodel_provider: openai\n---\n# Task\nWrite {{results_dir}}/a.md\n';
    assert.deepEqual(lint(freeForm), []);
    const evaluated = freeForm.replace('agent: codex', 'evaluation: programmatic\nagent: codex');
    assert.deepEqual(
      lint(evaluated).map((f) => f.code),
      ['objective-missing', 'output-files-missing', 'checklist-missing'],
    );
  });

  it('counts a section an unclosed fence swallowed, as the agent reading the raw text does', () => {
    // The ~~~ fence around the summary template is never closed: a renderer shows the rest as code, the agent does not.
    const text = replaced(
      fixture('invoice-extractor'),
      '## Step 6: Write the Summary and the Validation Report',
      '## Step 6: Write the Summary and the Validation Report\n\n~~~markdown\n# Summary for {date}\n',
    );
    const structure = bodyStructure(parseRunbook(text));
    assert.ok(!structure.sections.some((s) => s.name.startsWith('Final Checklist')), 'a renderer sees code there');
    assert.deepEqual(above(text), []);
  });

  it('reads the sections as headings outside code blocks, with their Step prefix taken off for matching', () => {
    const structure = bodyStructure(parseRunbook(fixture('invoice-extractor')));
    assert.deepEqual(
      structure.sections.map((s) => [s.level, s.name]),
      [
        [1, 'Invoice Line-Item Extractor — Agent Runbook'],
        [2, 'Objective'],
        [2, 'REQUIRED OUTPUT FILES (MANDATORY)'],
        [2, 'Parameters'],
        [2, 'Dependencies'],
        [2, 'Environment Setup'],
        [2, 'Read Each Invoice'],
        [2, 'Extract the Fields'],
        [2, 'Evaluate Outputs'],
        [2, 'Iterate on Errors (max 3 rounds)'],
        [3, 'Common Fixes'],
        [2, 'Write the Summary and the Validation Report'],
        [2, 'Final Checklist (MANDATORY — do not skip)'],
        [3, 'Verification Script'],
        [2, 'Tips'],
      ],
    );
    // `# Install…` comments inside the bash blocks are not headings; the H1 spans the whole body.
    const [title, objective] = structure.sections;
    assert.equal(title!.span.end, fixture('invoice-extractor').length);
    assert.equal(objective!.title, 'Objective');
  });

  it('never says "Jetty rejects" except where Jetty’s own validator is documented to (evaluation)', () => {
    const broken = [
      '---',
      'version: 1.0',
      'evaluation: visual',
      'agent: claud',
      'model_provider: replicate',
      'strict_evaluation: yes',
      'snapshot: python312-uv',
      'image: ghcr.io/me/x:1',
      'secrets: [GH_TOKEN]',
      'primary_outputs: {a: b}',
      'code_checks:',
      '  timeout_sec: "600"',
      '  sources:',
      '    - type: git',
      'mcp_servers:',
      '  pw:',
      '    args: [x]',
      '---',
      '# T',
    ].join('\n');
    const findings = lint(broken);
    assert.ok(findings.length >= 10, findings.map((f) => f.code).join(', '));
    const claims = findings.filter((f) => /rejects/.test(f.message));
    assert.deepEqual(
      claims.map((f) => f.message),
      [
        "`visual` is not an evaluation mode (programmatic, rubric): Jetty's create-runbook validator rejects the runbook.",
      ],
    );
    assert.match(
      findings.find((f) => f.message.startsWith('`replicate`'))!.message,
      /Jetty routes models only through these, so the agent has no route to its model/,
    );
  });
});
