// What "Jetty: New Runbook" writes: both skeletons, for every agent, provider, documented model and snapshot the command
// offers, lint with nothing above information, parse back with their choices and their parameter, and hold every
// section Jetty's create-runbook validator asks for. Also the runbook's outline (the editor's Outline view).
import assert from 'node:assert/strict';
import { AGENTS, AGENT_IDS, SNAPSHOTS, WIZARD_DEFAULTS, modelsFor } from '../../../../src/core/catalog';
import { lint } from '../../../../src/core/runbook/lint';
import { runbookOutline, type OutlineNode } from '../../../../src/core/runbook/outline';
import { runbookParameters } from '../../../../src/core/runbook/parameters';
import { frontMatterMapping, parseRunbook } from '../../../../src/core/runbook/parse';
import { runbookSkeleton, type SkeletonKind } from '../../../../src/core/runbook/skeleton';
import { fixture } from './helpers';

const KINDS: SkeletonKind[] = ['programmatic', 'rubric'];

describe('New Runbook skeleton', () => {
  it("defaults as Jetty's wizard: claude-code, anthropic/claude-sonnet-4.6 through openrouter, python312-uv", () => {
    assert.deepEqual(
      { ...WIZARD_DEFAULTS, source: undefined },
      {
        agent: 'claude-code',
        model: 'anthropic/claude-sonnet-4.6',
        provider: 'openrouter',
        snapshot: 'python312-uv',
        source: undefined,
      },
    );
    // The default model is one the catalog documents for the default agent and provider.
    assert.ok(modelsFor(WIZARD_DEFAULTS.agent, WIZARD_DEFAULTS.provider).some((m) => m.id === WIZARD_DEFAULTS.model));
  });

  it('lints with nothing above information for every choice the command offers', () => {
    let combinations = 0;
    for (const kind of KINDS)
      for (const agent of AGENT_IDS)
        for (const provider of AGENTS[agent].providers)
          for (const model of modelsFor(agent, provider))
            for (const snapshot of SNAPSHOTS) {
              const text = runbookSkeleton({
                kind,
                title: 'Weekly digest',
                agent,
                provider,
                model: model.id,
                snapshot: snapshot.name,
              });
              const loud = lint(text).filter((f) => f.severity !== 'information');
              assert.deepEqual(loud, [], `${kind} ${agent} ${provider} ${model.id} ${snapshot.name}`);
              combinations++;
            }
    assert.ok(combinations > 50, `${combinations} combinations`);
  });

  it('writes the choices into the front-matter, with the one parameter it declares and uses', () => {
    const text = runbookSkeleton({
      kind: 'rubric',
      title: '  Score the  pitch decks ',
      agent: 'claude-code',
      provider: 'bedrock',
      model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      snapshot: 'prism-playwright',
    });
    const parsed = parseRunbook(text);
    const front = frontMatterMapping(parsed)!;
    assert.deepEqual(
      [front.version, front.evaluation, front.agent, front.model_provider, front.model, front.snapshot, front.secrets],
      [
        '0.1.0',
        'rubric',
        'claude-code',
        'bedrock',
        'us.anthropic.claude-haiku-4-5-20251001-v1:0',
        'prism-playwright',
        null,
      ],
    );
    assert.ok(text.includes('\n# Score the pitch decks\n'));
    assert.deepEqual(
      runbookParameters(parsed).map((p) => [p.name, p.required, p.used]),
      [['subject', true, true]],
    );
    assert.deepEqual(lint(text), []);
    assert.ok(text.includes('## Step 3: Score Against the Rubric'));
    assert.ok(!runbookSkeleton({ ...WIZARD_DEFAULTS, kind: 'programmatic', title: 'x' }).includes('Rubric'));
  });

  it('holds what Jetty’s create-runbook validator checks, and keeps CRLF when asked', () => {
    for (const kind of KINDS) {
      const text = runbookSkeleton({ ...WIZARD_DEFAULTS, kind, title: 'T' });
      for (const needle of [
        /^## Objective$/m,
        /^## REQUIRED OUTPUT FILES/m,
        /^## Step \d+: Final Checklist/m,
        /validation_report\.json/,
        /summary\.md/,
        /^primary_outputs:$/m,
        /max 3 rounds/,
        /FINAL OUTPUT VERIFICATION/,
        /^## Parameters$/m,
        /^## Dependencies$/m,
        /^## Tips$/m,
      ])
        assert.match(text, needle, `${kind}: ${needle}`);
      assert.ok(!text.includes('{TODO:'));
    }
    const crlf = runbookSkeleton({ ...WIZARD_DEFAULTS, kind: 'programmatic', title: 'T', eol: '\r\n' });
    assert.ok(!/[^\r]\n/.test(crlf));
    assert.deepEqual(lint(crlf), []);
  });
});

/** The outline as names, nested. */
function names(nodes: OutlineNode[]): unknown[] {
  return nodes.map((n) => (n.children.length ? [n.name, names(n.children)] : n.name));
}

describe('runbook outline', () => {
  it('lists the front-matter settings, the sections by level, and the parameters under Parameters', () => {
    const text = fixture('accessibility-sweep');
    const outline = runbookOutline(parseRunbook(text));
    assert.deepEqual(names(outline), [
      [
        'Front-matter',
        [
          'version',
          'evaluation',
          'agent',
          'model',
          'model_provider',
          'snapshot',
          'primary_outputs',
          'origin',
          'secrets',
        ],
      ],
      [
        'Accessibility Sweep — Agent Runbook',
        [
          'Objective',
          'REQUIRED OUTPUT FILES (MANDATORY)',
          ['Parameters', ['target_url', 'max_pages', 'wcag_level', 'skip_paths']],
          'Dependencies',
          'Step 1: Environment Setup',
          'Step 2: Crawl',
          'Step 3: Check Each Page',
          'Step 4: Evaluate Outputs',
          'Step 5: Iterate (max 3 rounds)',
          'Step 6: Write the Report',
          ['Step 7: Final Checklist', ['Verification Script']],
          'Tips',
        ],
      ],
    ]);
    const settings = outline[0]!.children;
    assert.equal(settings.find((s) => s.name === 'agent')!.detail, 'claude-code');
    assert.equal(settings.find((s) => s.name === 'origin')!.detail, undefined);
    const parameters = outline[1]!.children[2]!;
    assert.equal(text.slice(parameters.selection.start, parameters.selection.end), 'Parameters');
    const target = parameters.children[0]!;
    assert.equal(text.slice(target.selection.start, target.selection.end), '{{target_url}}');
    assert.ok(parameters.span.start <= target.span.start && target.span.end <= parameters.span.end);
  });
});
