// Every rule: a failing case whose finding must sit exactly on the «marked» text, a passing case, and for each mechanical
// fix the text after applying it (then lint again: the finding is gone).
import assert from 'node:assert/strict';
import { lint, RULES, type Finding } from '../../../../src/core/runbook/lint';
import { applyFix, fixture, marked, replaced } from './helpers';

interface Case {
  code: string;
  /** The «marked» text is where the finding must be. */
  failing: string;
  passing: string;
  /** A piece the message must contain (what happens at run time, how to fix it). */
  message: RegExp;
  fixes?: { title: string; result: string }[];
  environment?: Parameters<typeof lint>[2];
}

const fm = (...lines: string[]) => `---\n${lines.join('\n')}\n---\n# Task\nDo it.\n`;

// Gallery-shaped runbooks (test/fixtures/runbooks), each clean as it is: the failing cases below change one thing.
const invoice = fixture('invoice-extractor');
const changelog = fixture('changelog-drafter');
const INVOICE_TITLE = '# Invoice Line-Item Extractor — Agent Runbook';
const marker = (text: string, part: string) => replaced(text, part, `«${part}»`);

const CASES: Case[] = [
  {
    code: 'frontmatter-unclosed',
    failing: '«---»\nagent: codex\nmodel: gpt-5.5\n\n# Task\n',
    passing: fm('agent: codex'),
    message: /never closed.*Add a `---` line/,
    fixes: [{ title: 'Close the front-matter with ---', result: '---\nagent: codex\nmodel: gpt-5.5\n---\n\n# Task\n' }],
  },
  {
    code: 'yaml-syntax',
    failing: '---\nagent: codex\nmodel: [gpt-5.5\n«»---\n',
    passing: fm('agent: codex', 'model: [gpt-5.5]'),
    message: /YAML error: .*run fails/,
  },
  {
    code: 'frontmatter-not-mapping',
    failing: '---\n«- agent: codex\n- model: gpt-5.5\n»---\n',
    passing: fm('agent: codex'),
    message: /is a list, not `key: value` settings/,
  },
  {
    code: 'key-duplicate',
    failing: fm('agent: codex', 'model: gpt-5.4', '«model»: gpt-5.5', 'model_provider: openai'),
    passing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai'),
    message: /already set on line 3/,
    fixes: [
      {
        title: 'Remove this duplicate `model`',
        result: fm('agent: codex', 'model: gpt-5.4', 'model_provider: openai'),
      },
    ],
  },
  {
    code: 'key-unknown',
    failing: fm('agent: codex', '«modle»: gpt-5.5', 'model_provider: openai'),
    passing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai'),
    message: /Jetty ignores it\. Did you mean `model`\?/,
    fixes: [{ title: 'Rename to `model`', result: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai') }],
  },
  {
    code: 'key-required',
    failing: fm(
      'agent: codex',
      'model: gpt-5.5',
      'model_provider: openai',
      'mcp_servers:',
      '  «playwright»:',
      '    args: ["-y"]',
    ),
    passing: fm(
      'agent: codex',
      'model: gpt-5.5',
      'model_provider: openai',
      'mcp_servers:',
      '  playwright:',
      '    command: npx',
      '    args: ["-y"]',
    ),
    message: /`mcp_servers\.playwright` has no `command`/,
  },
  {
    code: 'value-type',
    failing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'version: «1.0»'),
    passing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'version: "1.0"'),
    message: /YAML reads `1\.0` as a number \(1\)\. Quote it/,
    fixes: [
      {
        title: 'Quote it: "1.0"',
        result: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'version: "1.0"'),
      },
    ],
  },
  {
    code: 'value-enum',
    failing: fm('agent: «claude»', 'model: claude-sonnet-4-6', 'model_provider: anthropic'),
    passing: fm('agent: claude-code', 'model: claude-sonnet-4-6', 'model_provider: anthropic'),
    message: /not an agent Jetty knows.*Did you mean `claude-code`\?/,
    fixes: [
      {
        title: 'Change to `claude-code`',
        result: fm('agent: claude-code', 'model: claude-sonnet-4-6', 'model_provider: anthropic'),
      },
    ],
  },
  {
    code: 'model-cross-family-bedrock',
    failing: fm('agent: claude-code', 'model: «zai.glm-5»', 'model_provider: bedrock'),
    passing: fm('agent: hermes', 'model: zai.glm-5', 'model_provider: bedrock'),
    message: /HTTP 400 "Request metadata contains a value that violates the regular expression".*hermes/,
    fixes: [
      { title: 'Switch agent to hermes', result: fm('agent: hermes', 'model: zai.glm-5', 'model_provider: bedrock') },
      {
        title: 'Use us.anthropic.claude-sonnet-4-6 (Anthropic on Bedrock)',
        result: fm('agent: claude-code', 'model: us.anthropic.claude-sonnet-4-6', 'model_provider: bedrock'),
      },
    ],
  },
  {
    code: 'model-wrong-family',
    failing: fm('agent: claude-code', 'model: «gpt-5.5»', 'model_provider: anthropic'),
    passing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai'),
    message: /claude-code cannot run OpenAI models.*Use the codex agent/,
    // The provider goes with the agent: codex cannot use anthropic.
    fixes: [{ title: 'Switch agent to codex', result: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai') }],
  },
  {
    code: 'model-broken',
    failing: fm('agent: claude-code', 'model: «claude-sonnet-4-6»', 'model_provider: openrouter'),
    passing: fm('agent: claude-code', 'model: anthropic/claude-sonnet-4.6', 'model_provider: openrouter'),
    message: /fails with openrouter: .*vendor\/name.*Use `anthropic\/claude-sonnet-4\.6`/,
    fixes: [
      {
        title: 'Use anthropic/claude-sonnet-4.6',
        result: fm('agent: claude-code', 'model: anthropic/claude-sonnet-4.6', 'model_provider: openrouter'),
      },
    ],
  },
  {
    code: 'model-undocumented',
    failing: fm('agent: codex', 'model: «gpt-4.1»', 'model_provider: openai'),
    passing: fm('agent: codex', 'model: o4-mini', 'model_provider: openai'),
    message: /not documented for codex with openai.*Documented: `gpt-5\.5`, `gpt-5\.4`, `o4-mini`/,
    fixes: [{ title: 'Use gpt-5.5', result: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai') }],
  },
  {
    code: 'provider-unsupported',
    failing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: «anthropic»'),
    passing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openrouter'),
    message: /codex cannot use the anthropic provider/,
    fixes: [
      { title: 'Set model_provider to openai', result: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai') },
      {
        title: 'Switch agent to claude-code',
        result: fm('agent: claude-code', 'model: gpt-5.5', 'model_provider: anthropic'),
      },
    ],
  },
  {
    code: 'agent-missing',
    failing: '«---»\nmodel: gpt-5.5\nmodel_provider: openai\n---\n',
    passing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai'),
    message: /No `agent`: Jetty infers codex from the model `gpt-5\.5`/,
    fixes: [
      { title: 'Write agent: codex', result: '---\nagent: codex\nmodel: gpt-5.5\nmodel_provider: openai\n---\n' },
    ],
  },
  {
    code: 'model-missing',
    failing: fm('«agent»: claude-code', 'model_provider: anthropic'),
    passing: fm('agent: claude-code', 'model: claude-sonnet-4-6', 'model_provider: anthropic'),
    message: /No `model`: claude-code uses its default, `claude-sonnet-4-6`/,
    fixes: [
      {
        title: 'Write model: claude-sonnet-4-6',
        result: fm('agent: claude-code', 'model: claude-sonnet-4-6', 'model_provider: anthropic'),
      },
    ],
  },
  {
    code: 'provider-missing',
    failing: fm('agent: claude-code', '«model»: us.anthropic.claude-sonnet-4-6', 'snapshot: python312-uv'),
    passing: fm(
      'agent: claude-code',
      'model: us.anthropic.claude-sonnet-4-6',
      'model_provider: bedrock',
      'snapshot: python312-uv',
    ),
    message: /Jetty assumes anthropic for claude-code, but `us\.anthropic\.claude-sonnet-4-6` is spelled for bedrock/,
    fixes: [
      {
        title: 'Write model_provider: bedrock',
        result: fm(
          'agent: claude-code',
          'model: us.anthropic.claude-sonnet-4-6',
          'model_provider: bedrock',
          'snapshot: python312-uv',
        ),
      },
    ],
  },
  {
    code: 'snapshot-image-conflict',
    failing: fm(
      'agent: codex',
      'model: gpt-5.5',
      'model_provider: openai',
      'snapshot: python312-uv',
      '«image»: ghcr.io/me/img:1',
    ),
    passing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'image: ghcr.io/me/img:1'),
    message: /exclude each other/,
    fixes: [
      {
        title: 'Remove `image`',
        result: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'snapshot: python312-uv'),
      },
      {
        title: 'Remove `snapshot`',
        result: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'image: ghcr.io/me/img:1'),
      },
    ],
  },
  {
    code: 'snapshot-unknown',
    failing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'snapshot: «python312»'),
    passing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'snapshot: prism-playwright'),
    message: /not a snapshot Jetty documents.*Did you mean `python312-uv`\?/,
    fixes: [
      {
        title: 'Change to `python312-uv`',
        result: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'snapshot: python312-uv'),
      },
    ],
  },
  {
    code: 'outputs-reserved',
    failing: fm(
      'agent: codex',
      'model: gpt-5.5',
      'model_provider: openai',
      'primary_outputs:',
      '  - report.md',
      '  - «summary.md»',
    ),
    passing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'primary_outputs:', '  - report.md'),
    message: /written by Jetty itself/,
    fixes: [
      {
        title: 'Remove summary.md from primary_outputs',
        result: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'primary_outputs:', '  - report.md'),
      },
    ],
  },
  {
    code: 'outputs-absolute',
    failing: fm(
      'agent: codex',
      'model: gpt-5.5',
      'model_provider: openai',
      'primary_outputs: [«/app/results/report.md», b.md]',
    ),
    passing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'primary_outputs: [report.md, b.md]'),
    message: /relative to results_dir.*Write `report\.md`/,
    fixes: [
      {
        title: 'Write report.md',
        result: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'primary_outputs: [report.md, b.md]'),
      },
    ],
  },
  {
    code: 'checks-timeout',
    failing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'code_checks:', '  timeout_sec: «1200»'),
    passing: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'code_checks:', '  timeout_sec: 900'),
    message: /at most 900 seconds/,
    fixes: [
      {
        title: 'Set timeout_sec to 900',
        result: fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'code_checks:', '  timeout_sec: 900'),
      },
    ],
  },
  {
    code: 'secret-env-invalid',
    failing: fm(
      'agent: codex',
      'model: gpt-5.5',
      'model_provider: openai',
      'secrets:',
      '  «my-token»:',
      '    description: deploys',
    ),
    passing: fm(
      'agent: codex',
      'model: gpt-5.5',
      'model_provider: openai',
      'secrets:',
      '  my-token:',
      '    env: MY_TOKEN',
      '  GH_TOKEN: {}',
    ),
    message: /never asks for it.*Add `env: MY_TOKEN`/,
  },
  {
    code: 'template-unknown',
    failing: '---\nagent: codex\nmodel: gpt-5.5\nmodel_provider: openai\n---\nWrite to «{{ result_dir }}»/x.md\n',
    passing:
      '---\nagent: codex\nmodel: gpt-5.5\nmodel_provider: openai\n---\nWrite to {{ results_dir }}/x.md and {{checks_dir}}\n',
    message: /reads it literally.*Did you mean `\{\{results_dir\}\}`\?/,
    fixes: [
      {
        title: 'Change to {{results_dir}}',
        result: '---\nagent: codex\nmodel: gpt-5.5\nmodel_provider: openai\n---\nWrite to {{ results_dir }}/x.md\n',
      },
    ],
  },
  {
    code: 'template-secret-undeclared',
    failing: '---\nagent: codex\nmodel: gpt-5.5\nmodel_provider: openai\n---\nClone with «{{secrets.GH_TOKEN}}»\n',
    passing:
      '---\nagent: codex\nmodel: gpt-5.5\nmodel_provider: openai\nsecrets:\n  GH_TOKEN:\n    env: GH_TOKEN\n---\nClone with {{secrets.GH_TOKEN}}\n',
    message: /does not declare.*Declare `GH_TOKEN` under `secrets:`/,
    fixes: [
      {
        title: 'Declare secret GH_TOKEN',
        result:
          '---\nagent: codex\nmodel: gpt-5.5\nmodel_provider: openai\nsecrets:\n  GH_TOKEN:\n    env: GH_TOKEN\n---\nClone with {{secrets.GH_TOKEN}}\n',
      },
    ],
  },
  {
    code: 'frontmatter-too-large',
    // 70,000 characters of settings: over the 64 Ki characters lint reads.
    failing: `«---»\nagent: codex\n${'retry_note: keep going until it works\n'.repeat(1900)}---\n# Task\n`,
    passing: invoice,
    message: /more than the 64 Ki characters lint reads, so none of it is checked/,
  },
  {
    code: 'parameter-unused',
    failing: replaced(
      invoice,
      '| Supplier allow-list |',
      '| Dry run | `«{{dry_run}}»` | `false` | Only report what would be written |\n| Supplier allow-list |',
    ),
    passing: invoice,
    message:
      /`\{\{dry_run\}\}` is declared as a parameter, but no step uses it: the agent sees its value only in the Parameters table/,
  },
  {
    code: 'objective-missing',
    failing: marker(replaced(invoice, '## Objective', '## Background'), INVOICE_TITLE),
    passing: invoice,
    message: /No `## Objective` section: the agent is not told what the run is for.*create-runbook validator/,
  },
  {
    code: 'output-files-missing',
    failing: marker(replaced(invoice, '## REQUIRED OUTPUT FILES (MANDATORY)', '## Outputs'), INVOICE_TITLE),
    passing: invoice,
    message: /No `## REQUIRED OUTPUT FILES` section: nothing tells the agent which files it must write/,
  },
  {
    code: 'report-unlisted',
    failing: marker(
      replaced(
        invoice,
        '| `/app/results/validation_report.json` | Stages, pass/partial/fail counts and `overall_passed` |\n',
        '',
      ),
      'REQUIRED OUTPUT FILES (MANDATORY)',
    ),
    passing: invoice,
    message: /does not name `validation_report\.json`.*where Jetty reads the run's evaluation/,
  },
  {
    code: 'summary-unlisted',
    failing: marker(
      replaced(
        invoice,
        '| `/app/results/summary.md` | Counts, flagged invoices and why, anything that could not be read |\n',
        '',
      ),
      'REQUIRED OUTPUT FILES (MANDATORY)',
    ),
    passing: invoice,
    message: /does not name `summary\.md`/,
  },
  {
    code: 'primary-output-unlisted',
    failing: replaced(invoice, '  - invoices.csv\n', '  - invoices.csv\n  - «totals.xlsx»\n'),
    passing: invoice,
    message: /`totals\.xlsx` is a primary output, but REQUIRED OUTPUT FILES never names it.*Main output/,
  },
  {
    code: 'iteration-unbounded',
    failing: marker(
      replaced(
        replaced(invoice, '## Step 5: Iterate on Errors (max 3 rounds)', '## Step 5: Iterate on Errors'),
        'Stop after 3 rounds and keep the best result',
        'Keep the best result',
      ),
      'Step 5: Iterate on Errors',
    ),
    passing: invoice,
    message: /does not say how many rounds at most.*"\(max 3 rounds\)"/,
  },
  {
    code: 'checklist-missing',
    failing: marker(
      replaced(invoice, '## Step 7: Final Checklist (MANDATORY — do not skip)', '## Step 7: Wrap Up'),
      INVOICE_TITLE,
    ),
    passing: invoice,
    message: /No `## Final Checklist` section: the agent is not asked to check its outputs/,
  },
  {
    code: 'todo-left',
    failing: replaced(changelog, 'in the words a user', '«{TODO: say who reads it}» in the words a user'),
    passing: changelog,
    message: /A `\{TODO: …\}` marker is still here: the agent reads the marker/,
  },
];

/** Rules whose tests live with their owner's code. */
const TESTED_ELSEWHERE = new Set(['provider-key-missing']);

function findingsOf(text: string, code: string, environment?: Case['environment']): Finding[] {
  return lint(text, {}, environment).filter((f) => f.code === code);
}

describe('lint rules', () => {
  it('has a failing and a passing case for every registered rule', () => {
    const covered = new Set(CASES.map((c) => c.code));
    const missing = RULES.map((r) => r.code).filter((code) => !covered.has(code) && !TESTED_ELSEWHERE.has(code));
    assert.deepEqual(missing, []);
    assert.equal(new Set(RULES.map((r) => r.code)).size, RULES.length, 'rule codes are unique');
  });

  for (const c of CASES) {
    describe(c.code, () => {
      const { text, range } = marked(c.failing);

      it('reports the failing case at the exact range, with a message that says what happens and what to do', () => {
        const found = findingsOf(text, c.code, c.environment);
        assert.equal(found.length, 1, `expected one ${c.code} finding, got ${JSON.stringify(found)}`);
        assert.deepEqual(found[0]!.range, range);
        assert.match(found[0]!.message, c.message);
        assert.ok(!found[0]!.message.includes('\n'), 'messages are one line (the CLI prints them as such)');
        assert.equal(found[0]!.severity, RULES.find((r) => r.code === c.code)!.severity);
      });

      it('stays quiet on the passing case', () => {
        assert.deepEqual(findingsOf(c.passing, c.code, c.environment), []);
      });

      for (const expected of c.fixes ?? []) {
        it(`fix "${expected.title}" edits the runbook as expected and clears the finding`, () => {
          const finding = findingsOf(text, c.code, c.environment)[0]!;
          const fix = finding.fixes.find((f) => f.title === expected.title);
          assert.ok(fix, `no fix "${expected.title}" among ${JSON.stringify(finding.fixes.map((f) => f.title))}`);
          const fixed = applyFix(text, fix);
          assert.equal(fixed, expected.result);
          assert.deepEqual(findingsOf(fixed, c.code, c.environment), []);
        });
      }
    });
  }
});

describe('lint', () => {
  const wrong = fm('agent: claude-code', 'model: zai.glm-5', 'model_provider: bedrock');

  it('applies severity overrides by code, and switches a rule off', () => {
    const code = 'model-cross-family-bedrock';
    assert.equal(lint(wrong).find((f) => f.code === code)!.severity, 'error');
    assert.equal(lint(wrong, { rules: { [code]: 'warning' } }).find((f) => f.code === code)!.severity, 'warning');
    assert.equal(
      lint(wrong, { rules: { [code]: 'off' } }).find((f) => f.code === code),
      undefined,
    );
    assert.equal(
      lint(wrong, { rules: { [code]: 'loud' } }).find((f) => f.code === code)!.severity,
      'error',
      'an unknown value is ignored',
    );
  });

  it('finds nothing in the example runbooks that are right', () => {
    const good = fm(
      'agent: claude-code',
      'model: claude-sonnet-4-6',
      'model_provider: anthropic',
      'snapshot: python312-uv',
      'version: "1.0.0"',
      'primary_outputs:',
      '  - hello.md',
    );
    assert.deepEqual(lint(good + 'Write to {{results_dir}}/hello.md\n'), []);
  });

  it('does not flag a cross-family Bedrock ID behind a region prefix under hermes, and flags it under claude-code', () => {
    assert.deepEqual(
      lint(fm('agent: hermes', 'model: us.deepseek.r1-v1:0', 'model_provider: bedrock')).filter(
        (f) => f.severity === 'error',
      ),
      [],
    );
    const found = lint(fm('agent: claude-code', 'model: us.deepseek.r1-v1:0', 'model_provider: bedrock'));
    assert.ok(found.some((f) => f.code === 'model-cross-family-bedrock'));
  });

  it('treats a missing agent as the inferred one: zai.glm-5 alone is claude-code, and the fix writes agent: hermes', () => {
    const text = '---\nmodel: zai.glm-5\nmodel_provider: bedrock\n---\n';
    const finding = lint(text).find((f) => f.code === 'model-cross-family-bedrock')!;
    assert.equal(
      applyFix(text, finding.fixes[0]!),
      '---\nagent: hermes\nmodel: zai.glm-5\nmodel_provider: bedrock\n---\n',
    );
  });

  it('offers the bare-Bedrock-ID fix with the region prefix', () => {
    const text = fm('agent: hermes', 'model: anthropic.claude-sonnet-4-6', 'model_provider: bedrock');
    const finding = lint(text).find((f) => f.code === 'model-broken')!;
    assert.equal(
      applyFix(text, finding.fixes[0]!),
      fm('agent: hermes', 'model: us.anthropic.claude-sonnet-4-6', 'model_provider: bedrock'),
    );
  });

  it('flags a Bedrock profile ID sent to the anthropic provider, and the fix switches the provider', () => {
    const text = fm('agent: claude-code', 'model: us.anthropic.claude-opus-4-7', 'model_provider: anthropic');
    const finding = lint(text).find((f) => f.code === 'model-broken')!;
    assert.equal(finding.fixes[0]!.title, 'Set model_provider to bedrock');
    assert.deepEqual(lint(applyFix(text, finding.fixes[0]!)), []);
  });

  it('flags qwen.qwen3-32b-v1:0 on hermes as documented broken', () => {
    const found = lint(fm('agent: hermes', 'model: qwen.qwen3-32b-v1:0', 'model_provider: bedrock'));
    assert.match(found.find((f) => f.code === 'model-broken')!.message, /documented to fail on hermes/);
  });

  it('keeps CRLF line endings in inserted lines', () => {
    const text = '---\r\nmodel: gpt-5.5\r\nmodel_provider: openai\r\n---\r\n';
    const finding = lint(text).find((f) => f.code === 'agent-missing')!;
    assert.equal(
      applyFix(text, finding.fixes[0]!),
      '---\r\nagent: codex\r\nmodel: gpt-5.5\r\nmodel_provider: openai\r\n---\r\n',
    );
  });

  it('creates the front-matter for a runbook-by-name that has none', () => {
    const text = '# Task\n';
    const finding = lint(text).find((f) => f.code === 'agent-missing')!;
    assert.equal(applyFix(text, finding.fixes[0]!), '---\nagent: claude-code\n---\n# Task\n');
  });

  it('declares a secret into an existing secrets block', () => {
    const text = '---\nagent: codex\nsecrets:\n  A:\n    env: A\n---\n{{secrets.B}}\n';
    const finding = lint(text).find((f) => f.code === 'template-secret-undeclared')!;
    const fixed = applyFix(text, finding.fixes[0]!);
    assert.equal(fixed, '---\nagent: codex\nsecrets:\n  B:\n    env: B\n  A:\n    env: A\n---\n{{secrets.B}}\n');
  });

  it('flags a secret whose declared env is not a variable name, on the env value', () => {
    const { text, range } = marked(fm('agent: codex', 'secrets:', '  GH_TOKEN:', '    env: «gh-token»'));
    const finding = lint(text).find((f) => f.code === 'secret-env-invalid');
    assert.deepEqual(finding?.range, range);
    assert.match(
      finding!.message,
      /`env: gh-token` is not an environment variable name.*gets the secret as `\$GH_TOKEN`.*such as `GH_TOKEN`/,
    );
  });

  it('quotes booleans written as yes/no and unquotes quoted true/false', () => {
    const text = fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'strict_evaluation: yes');
    const finding = lint(text).find((f) => f.code === 'value-type')!;
    assert.equal(
      applyFix(text, finding.fixes[0]!),
      fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'strict_evaluation: true'),
    );
  });

  it('never reports model rules for an agent it does not know', () => {
    const found = lint(fm('agent: claud', 'model: gpt-5.5', 'model_provider: openai'));
    assert.deepEqual(
      found.map((f) => f.code),
      ['value-enum'],
    );
  });

  it('passes the environment to rules: extra snapshot names are known', () => {
    const text = fm('agent: codex', 'model: gpt-5.5', 'model_provider: openai', 'snapshot: my-snap');
    assert.equal(lint(text).filter((f) => f.code === 'snapshot-unknown').length, 1);
    assert.equal(lint(text, {}, { snapshots: ['my-snap'] }).filter((f) => f.code === 'snapshot-unknown').length, 0);
  });
});
