// A runbook's declared run parameters, read from the gallery-shaped runbooks: both table shapes of Jetty's runbooks
// (`Parameter | Template Variable | Default | Description` and `Parameter | Default | Description`), an extra
// Required column, backticked names, `*(required)*` / `*(optional)*`, escaped pipes, Inputs lists; and what lint,
// completion, hover and the quick fix make of them.
import assert from 'node:assert/strict';
import { completeAt } from '../../../../src/core/runbook/complete';
import { hoverAt } from '../../../../src/core/runbook/hover';
import { lint } from '../../../../src/core/runbook/lint';
import { readDefault, runbookParameters, snakeCase } from '../../../../src/core/runbook/parameters';
import { parseRunbook } from '../../../../src/core/runbook/parse';
import { applyFix, fixture, replaced } from './helpers';

/** What a run needs of each parameter, in declaration order. */
function declared(text: string) {
  return runbookParameters(parseRunbook(text)).map(({ name, default: value, required, label, used, declaredBy }) => ({
    name,
    ...(value === undefined ? {} : { default: value }),
    required,
    ...(label === undefined ? {} : { label }),
    used,
    declaredBy,
  }));
}

describe('run parameters', () => {
  it('reads a Template Variable table: the {{name}} of each row, its default, and `*(optional)*` as no default', () => {
    assert.deepEqual(declared(fixture('invoice-extractor')), [
      {
        name: 'base_currency',
        default: 'EUR',
        required: false,
        label: 'Base currency',
        used: true,
        declaredBy: 'variable',
      },
      {
        name: 'min_confidence',
        default: '0.8',
        required: false,
        label: 'Minimum confidence',
        used: true,
        declaredBy: 'variable',
      },
      { name: 'suppliers', required: false, label: 'Supplier allow-list', used: true, declaredBy: 'variable' },
    ]);
    // The results directory and the uploaded invoices (no {{name}} in the Template Variable column) are not parameters.
    const [, confidence] = runbookParameters(parseRunbook(fixture('invoice-extractor')));
    assert.equal(confidence!.description, 'Below this OCR confidence a field is flagged | never guessed');
  });

  it('reads a `Parameter | Default | Description` table by its Parameter words in snake_case, then the Inputs list', () => {
    assert.deepEqual(declared(fixture('changelog-drafter')), [
      { name: 'operation', default: 'draft', required: false, label: 'Operation', used: true, declaredBy: 'label' },
      { name: 'since_tag', default: 'latest', required: false, label: 'Since tag', used: true, declaredBy: 'label' },
      { name: 'audience', required: false, label: 'Audience', used: true, declaredBy: 'label' },
      // An uploaded file described in the table: declared by its words, never used as {{repository}}.
      { name: 'repository', required: false, label: 'Repository', used: false, declaredBy: 'label' },
    ]);
  });

  it('reads a Required column, bold labels, `*(required)*` and `*(empty = none)*`, columns in another order', () => {
    const parameters = runbookParameters(parseRunbook(fixture('accessibility-sweep')));
    assert.deepEqual(
      parameters.map((p) => [p.name, p.label, p.default, p.required]),
      [
        ['target_url', 'Start URL', undefined, true],
        ['max_pages', 'Page limit', '25', false],
        ['wcag_level', 'WCAG level', 'AA', false],
        ['skip_paths', 'Skip paths', undefined, false],
      ],
    );
    assert.equal(parameters[2]!.description, '`A`, `AA` or `AAA`: the rules above this level are skipped');
  });

  it('reads backticked names in the Parameter column', () => {
    assert.deepEqual(
      declared(fixture('interview-synthesis')).map((p) => [p.name, p.default, p.required, p.used]),
      [
        ['focus', undefined, false, true],
        ['max_themes', '6', false, true],
        ['language', 'en', false, true],
      ],
    );
  });

  it('reads {{name}}s written in the Parameters section outside a table, and says when one is required', () => {
    const parameters = runbookParameters(parseRunbook(fixture('dependency-planner')));
    assert.deepEqual(
      parameters.map((p) => [p.name, p.required, p.description]),
      [
        ['repository', true, 'the repository as `owner/name` (required)'],
        ['ecosystems', true, 'which manifests to read, e.g. `npm,pip`; all that are found when empty'],
      ],
    );
  });

  it('reads labels, defaults and optional markers from an Inputs list', () => {
    const text = [
      '---',
      'agent: claude-code',
      '---',
      '# Audit',
      '## Inputs (already provided — do NOT ask the user)',
      '- **Target URL:** {{target_url}}',
      '- **Scope:** {{scope}} (default `full`)',
      '- **Competitors (optional):** {{competitor_urls}} — comma-separated',
      '## Steps',
      'Audit {{target_url}} at {{scope}} depth.',
    ].join('\n');
    assert.deepEqual(
      runbookParameters(parseRunbook(text)).map((p) => [p.name, p.label, p.default, p.required, p.description]),
      [
        ['target_url', 'Target URL', undefined, true, undefined],
        ['scope', 'Scope', 'full', false, '(default `full`)'],
        ['competitor_urls', 'Competitors', undefined, false, 'comma-separated'],
      ],
    );
  });

  it('ignores a Parameters heading inside a code block, and a table that is not under Parameters', () => {
    const text = [
      '---',
      'agent: claude-code',
      '---',
      '# T',
      '```markdown',
      '## Parameters',
      '| Parameter | Template Variable | Default | Description |',
      '|---|---|---|---|',
      '| X | `{{x}}` | 1 | in an example |',
      '```',
      '## Results',
      '| Parameter | Template Variable | Default | Description |',
      '|---|---|---|---|',
      '| Y | `{{y}}` | 2 | not under Parameters |',
    ].join('\n');
    assert.deepEqual(runbookParameters(parseRunbook(text)), []);
  });

  it('reads a Default cell: notes in parentheses, plain words, code spans and quotes', () => {
    assert.deepEqual(readDefault('*(required)*'), { required: true });
    assert.deepEqual(readDefault('*(required for build/redesign)*'), { required: true });
    assert.deepEqual(readDefault('*(optional)*'), { required: false });
    assert.deepEqual(readDefault('_(empty → use the uploaded file)_'), { required: false });
    assert.deepEqual(readDefault('required'), { required: true });
    assert.deepEqual(readDefault('None'), { required: false });
    assert.deepEqual(readDefault(''), { required: true });
    assert.deepEqual(readDefault('`"Marseille at dusk, rain"`'), {
      default: 'Marseille at dusk, rain',
      required: false,
    });
    assert.deepEqual(readDefault('`a \\| b`'), { default: 'a | b', required: false });
    assert.deepEqual(readDefault('**auto**'), { default: 'auto', required: false });
    assert.equal(snakeCase('Source repo URL'), 'source_repo_url');
    assert.equal(snakeCase('Input PDF(s)'), 'input_pdf');
    assert.equal(snakeCase('Top-N limit'), 'top_n_limit');
  });
});

describe('parameters in lint, completion and hover', () => {
  it('gets no finding for a declared {{name}}, in either table shape, where each was a warning before', () => {
    for (const name of ['invoice-extractor', 'changelog-drafter', 'accessibility-sweep', 'interview-synthesis']) {
      const codes = lint(fixture(name)).map((f) => f.code);
      assert.ok(!codes.includes('template-unknown'), `${name}: ${codes.join(', ')}`);
    }
  });

  it('flags an undeclared {{name}}, and the fix adds a row in the table’s own columns that declares it', () => {
    const text = replaced(
      fixture('invoice-extractor'),
      'Keep the raw text',
      'Name the output after {{output_name}}. Keep the raw text',
    );
    const finding = lint(text).find((f) => f.code === 'template-unknown')!;
    assert.match(finding.message, /`\{\{output_name\}\}` is neither a variable Jetty fills in nor a parameter/);
    const fix = finding.fixes.find((f) => f.title === 'Declare {{output_name}} in the Parameters table')!;
    const fixed = applyFix(text, fix);
    assert.ok(
      fixed.includes(
        '| Supplier allow-list | `{{suppliers}}` | *(optional)* | Comma-separated supplier names; others are flagged, not dropped |\n| Output name | `{{output_name}}` | *(required)* | |\n\n---',
      ),
    );
    assert.deepEqual(
      lint(fixed).filter((f) => f.severity !== 'information'),
      [],
    );
    assert.deepEqual(
      runbookParameters(parseRunbook(fixed))
        .map((p) => [p.name, p.required, p.used])
        .at(-1),
      ['output_name', true, true],
    );
  });

  it('adds the row to a `Parameter | Default | Description` table by a label that reads back as the name', () => {
    const text = replaced(fixture('changelog-drafter'), 'Stop after 2 rounds.', 'Stop after {{max_rounds}} rounds.');
    const finding = lint(text).find((f) => f.code === 'template-unknown')!;
    const fixed = applyFix(text, finding.fixes.at(-1)!);
    assert.ok(
      fixed.includes(
        '| Repository | *(uploaded)* | A git bundle or a zip of the repository, in `/app/assets/` |\n| Max rounds | *(required)* | |\n',
      ),
    );
    assert.ok(!lint(fixed).some((f) => f.code === 'template-unknown'));
  });

  it('creates the Parameters section after REQUIRED OUTPUT FILES when there is none', () => {
    const text = [
      '---',
      'agent: claude-code',
      'model: claude-sonnet-4-6',
      'model_provider: anthropic',
      '---',
      '# Digest',
      '## REQUIRED OUTPUT FILES',
      '| File | Description |',
      '|---|---|',
      '| `/app/results/digest.md` | the digest |',
      '',
      '## Step 1: Read',
      'Read the feed at {{feed_url}}.',
      '',
    ].join('\n');
    const finding = lint(text).find((f) => f.code === 'template-unknown')!;
    const fixed = applyFix(text, finding.fixes.at(-1)!);
    assert.ok(
      fixed.includes(
        '| `/app/results/digest.md` | the digest |\n\n## Parameters\n\n| Parameter | Template Variable | Default | Description |\n|-----------|-------------------|---------|-------------|\n| Feed url | `{{feed_url}}` | *(required)* | |\n\n## Step 1: Read',
      ),
      fixed,
    );
    assert.deepEqual(lint(fixed), []);
  });

  it('puts a table under a Parameters heading that has none, and appends the section to a runbook without headings', () => {
    const planner = replaced(
      fixture('dependency-planner'),
      'of {{ecosystems}}',
      'of {{ecosystems}} to a depth of {{depth}}',
    );
    const planned = applyFix(
      planner,
      lint(planner)
        .find((f) => f.code === 'template-unknown')!
        .fixes.at(-1)!,
    );
    assert.ok(planned.includes('## Parameters\n\n| Parameter | Template Variable | Default | Description |'));
    assert.ok(!lint(planned).some((f) => f.code === 'template-unknown'));

    const bare = '---\nagent: codex\nmodel: gpt-5.5\nmodel_provider: openai\n---\nSummarise {{topic}}.\n';
    const fixed = applyFix(
      bare,
      lint(bare)
        .find((f) => f.code === 'template-unknown')!
        .fixes.at(-1)!,
    );
    assert.equal(
      fixed,
      `${bare}\n## Parameters\n\n| Parameter | Template Variable | Default | Description |\n|-----------|-------------------|---------|-------------|\n| Topic | \`{{topic}}\` | *(required)* | |\n`,
    );
    assert.deepEqual(lint(fixed), []);
  });

  it('suggests the declared parameter a {{name}} is a typo of', () => {
    const text = replaced(fixture('invoice-extractor'), 'to {{base_currency}} with', 'to {{base_curency}} with');
    const finding = lint(text).find((f) => f.code === 'template-unknown')!;
    assert.match(finding.message, /Did you mean `\{\{base_currency\}\}`\?/);
    assert.equal(finding.fixes[0]!.title, 'Change to {{base_currency}}');
    assert.ok(!lint(applyFix(text, finding.fixes[0]!)).some((f) => f.code === 'template-unknown'));
  });

  it('completes {{ with the declared parameters first, each with its description and default', () => {
    const text = fixture('invoice-extractor');
    const cursor = text.indexOf('{{base_currency}} with') + 2;
    const typed = text.slice(0, cursor) + text.slice(cursor + 'base_currency}}'.length);
    const completion = completeAt(parseRunbook(typed), cursor)!;
    const labels = completion.items.map((i) => i.label);
    assert.deepEqual(labels.slice(0, 3), ['base_currency', 'min_confidence', 'suppliers']);
    assert.ok(labels.includes('results_dir'));
    const currency = completion.items[0]!;
    assert.equal(currency.detail, 'parameter: Base currency');
    assert.equal(currency.insertText, 'base_currency}}');
    assert.equal(
      currency.documentation,
      'Currency the totals are reported in; lines keep their own\n\nDefault: `EUR`.',
    );
  });

  it('shows a parameter’s row on hover over its {{name}}, and says what a required one needs', () => {
    const text = fixture('accessibility-sweep');
    const parsed = parseRunbook(text);
    const used = text.indexOf('Start at {{target_url}}') + 'Start at {{'.length;
    const hover = hoverAt(parsed, used)!;
    assert.equal(
      hover.markdown,
      '**{{target_url}}**: run parameter "Start URL", declared in the runbook\'s Parameters.\n\nThe page the crawl starts from; only its host is crawled\n\nRequired: no default, a run must pass a value.',
    );
    assert.equal(text.slice(hover.span.start, hover.span.end), '{{target_url}}');
    const pages = hoverAt(parsed, text.indexOf('{{max_pages}} pages') + 3)!;
    assert.match(pages.markdown, /Pages checked at most\n\nDefault: `25`\./);
  });
});
