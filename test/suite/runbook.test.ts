// Runbook intelligence inside a real VS Code, through the APIs the editor itself calls: diagnostics at exact ranges
// with their codes, quick fixes, completion, hover, highlighting, the code lens, the Outline, settings and the
// `jetty.runbooks` context key, on runbooks shaped like Jetty's gallery; plain markdown is left alone, and so are
// virtual copies of a runbook (the left side of an SCM diff).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lint } from '../../src/core/runbook/lint';
import { EXTENSION_ID, jettyApi, until } from './helpers';

const CODE = 'model-cross-family-bedrock';

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
const jettyDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'jetty');

function folder(): vscode.Uri {
  const first = vscode.workspace.workspaceFolders?.[0];
  assert.ok(first, 'the suite runs with the examples folder open');
  return first.uri;
}

let counter = 0;
/** A new file in the workspace, opened in an editor. */
async function open(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.joinPath(folder(), `${Date.now().toString(36)}-${counter++}-${name}`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

const ZAI =
  '---\nagent: claude-code\nmodel: zai.glm-5\nmodel_provider: bedrock\n---\n# Summarise\nWrite to {{results_dir}}/notes.md\n';

/** A runbook shaped like Jetty's gallery: long origin block with comments, empty secrets, a Parameters table. */
const GALLERY = [
  '---',
  'version: "1.1.0"',
  'evaluation: programmatic',
  'agent: claude-code                    # the runtime',
  'model: anthropic/claude-sonnet-4.6',
  'model_provider: openrouter',
  'snapshot: python312-uv',
  'primary_outputs:',
  '  - invoices.json',
  '# Written by the importer that brought this runbook over.',
  'origin:',
  '  url: "https://example.org/skills/invoices"',
  '  source_host: "example.org"',
  '  imported_at: "2026-05-12T08:30:00Z"',
  '  imported_by: "skill-to-runbook-converter@1.1.0"',
  '  attribution:',
  '    collection_or_org: "example-finance"',
  '    confidence: "high"',
  'secrets:                              # none',
  '  # TOKEN:',
  '  #   env: TOKEN',
  '---',
  '',
  '# Invoice Line-Item Extractor — Agent Runbook',
  '',
  '## Objective',
  '',
  'Read the invoices uploaded to `/app/assets/` and write their line items as JSON.',
  '',
  '## REQUIRED OUTPUT FILES (MANDATORY)',
  '',
  '| File | Description |',
  '|------|-------------|',
  '| `/app/results/invoices.json` | One object per invoice |',
  '| `/app/results/summary.md` | Counts and flags |',
  '| `/app/results/validation_report.json` | Stages, results, `overall_passed` |',
  '',
  '## Parameters',
  '',
  '| Parameter | Template Variable | Default | Description |',
  '|-----------|-------------------|---------|-------------|',
  '| Results directory | `{{results_dir}}` | `/app/results` | Where outputs go |',
  '| Base currency | `{{base_currency}}` | `EUR` | Currency the totals are reported in |',
  '| Minimum confidence | `{{min_confidence}}` | `0.8` | Below it a field is flagged \\| never guessed |',
  '',
  '## Step 1: Read Each Invoice',
  '',
  '```bash',
  '# one pass over the uploads',
  'ls /app/assets/',
  '```',
  '',
  'Keep the raw text of every page in memory. Flag fields read under {{min_confidence}}.',
  'Convert the totals to {{base_currency}} with the printed rate.',
  '',
  '## Step 2: Evaluate Outputs',
  '',
  '| Status | Criteria |',
  '|--------|----------|',
  '| `PASS` | Lines sum to the total |',
  '',
  '## Step 3: Iterate on Errors (max 3 rounds)',
  '',
  'Re-read failing pages; stop after 3 rounds.',
  '',
  '## Step 4: Final Checklist',
  '',
  '```bash',
  'echo "=== FINAL OUTPUT VERIFICATION ==="',
  'for f in invoices.json summary.md validation_report.json; do test -s "/app/results/$f" && echo "PASS: $f"; done',
  '```',
  '',
].join('\n');

/**
 * Nothing above information in the editor: lint has run once a marker left on purpose (`{TODO: …}`) shows up as the
 * only warning, and once the marker is gone the warnings and errors are none.
 */
async function assertLintsClean(document: vscode.TextDocument): Promise<void> {
  const loud = () => jettyDiagnostics(document.uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
  const marker = new vscode.WorkspaceEdit();
  marker.insert(document.uri, new vscode.Position(document.lineCount - 1, 0), '{TODO: lint check}\n');
  assert.ok(await vscode.workspace.applyEdit(marker));
  await until(() => loud().some((d) => codeOf(d) === 'todo-left'), `todo-left on ${document.uri.toString()}`);
  assert.deepEqual(
    loud().map((d) => codeOf(d)),
    ['todo-left'],
  );
  const undo = new vscode.WorkspaceEdit();
  const line = document.lineCount - 2;
  undo.delete(document.uri, new vscode.Range(line, 0, line + 1, 0));
  assert.ok(await vscode.workspace.applyEdit(undo));
  await until(() => loud().length === 0, `no warning or error left on ${document.uri.toString()}`);
  assert.deepEqual(
    lint(document.getText()).filter((f) => f.severity !== 'information'),
    [],
  );
}

describe('runbook intelligence', () => {
  before(async () => {
    await jettyApi();
  });

  afterEach(async () => {
    await vscode.workspace
      .getConfiguration('jetty')
      .update('lint.rules', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('flags zai.glm-5 under claude-code at the exact range with its code, and the quick fix switches the agent to hermes', async () => {
    const document = await open('zai.md', ZAI);
    const diagnostic = await until(
      () => jettyDiagnostics(document.uri).find((d) => codeOf(d) === CODE),
      `${CODE} on ${document.uri.path}`,
    );
    assert.deepEqual(
      [
        diagnostic.range.start.line,
        diagnostic.range.start.character,
        diagnostic.range.end.line,
        diagnostic.range.end.character,
      ],
      [2, 7, 2, 16],
    );
    assert.equal(document.getText(diagnostic.range), 'zai.glm-5');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, /HTTP 400/);

    // Right after a document opens, the workbench may answer before its copy of the text is in place: ask until it has.
    const toHermes = await until(async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        diagnostic.range,
      );
      return actions.find((a) => a.title === 'Switch agent to hermes');
    }, 'the quick fix "Switch agent to hermes"');
    assert.ok(toHermes.edit);
    assert.equal(toHermes.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(toHermes.edit));
    assert.equal(document.lineAt(1).text, 'agent: hermes');
    await until(
      () => !jettyDiagnostics(document.uri).some((d) => codeOf(d) === CODE),
      `${CODE} to clear after the fix`,
    );
  });

  it('updates diagnostics as the user types', async () => {
    // The unknown snapshot's finding shows the runbook has been linted once before the edit.
    const document = await open(
      'typing.md',
      '---\nagent: codex\nmodel: gpt-5.5\nmodel_provider: openai\nsnapshot: no-such-snapshot\n---\n',
    );
    await until(
      () => jettyDiagnostics(document.uri).some((d) => codeOf(d) === 'snapshot-unknown'),
      'the first lint (snapshot-unknown)',
    );
    assert.ok(!jettyDiagnostics(document.uri).some((d) => codeOf(d) === 'model-wrong-family'));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(2, 7, 2, 14), 'claude-opus-4-7');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const diagnostic = await until(
      () => jettyDiagnostics(document.uri).find((d) => codeOf(d) === 'model-wrong-family'),
      'model-wrong-family after typing',
    );
    assert.equal(document.getText(diagnostic.range), 'claude-opus-4-7');
  });

  it("completes `model:` with the agent's documented models and never a broken one", async () => {
    const document = await open('complete.md', '---\nagent: claude-code\nmodel: \n---\n');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      new vscode.Position(2, 7),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const expected of [
      'claude-sonnet-4-6',
      'claude-opus-4-7',
      'claude-haiku-4-5',
      'us.anthropic.claude-sonnet-4-6',
    ])
      assert.ok(labels.includes(expected), `${expected} in ${labels.join(', ')}`);
    for (const never of ['zai.glm-5', 'deepseek.v3.2', 'gpt-5.5', 'nvidia.nemotron-nano-3-30b'])
      assert.ok(!labels.includes(never), `${never} is not offered`);
    // Every model offered, inserted with the edits that come with it, is one lint accepts.
    for (const item of list.items.filter((i) => i.kind === vscode.CompletionItemKind.Value)) {
      const model = typeof item.label === 'string' ? item.label : item.label.label;
      const provider = item.additionalTextEdits?.[0]?.newText.match(/model_provider: (\S+)/)?.[1];
      const text = `---\nagent: claude-code\nmodel: ${model}\n${provider ? `model_provider: ${provider}\n` : ''}---\n`;
      const errors = lint(text).filter((f) => f.severity === 'error' || f.code === 'model-undocumented');
      assert.deepEqual(errors, [], `${model} completes to a runbook lint flags`);
    }
  });

  it('completes template variables after {{', async () => {
    const document = await open(
      'vars.md',
      '---\nagent: codex\nsecrets:\n  GH_TOKEN:\n    env: GH_TOKEN\n---\nWrite to {{\n',
    );
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      new vscode.Position(6, 11),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('results_dir') && labels.includes('secrets.GH_TOKEN'), labels.join(', '));
  });

  it("shows a declared parameter's row on hover, and offers it with its description after {{", async () => {
    const document = await open('gallery-params.md', GALLERY);
    const line = GALLERY.split('\n').findIndex((l) => l.startsWith('Convert the totals to'));
    const hovers = await until(async () => {
      const found = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        new vscode.Position(line, 'Convert the totals to {{'.length + 2),
      );
      return found.length ? found : undefined;
    }, 'a hover on {{base_currency}}');
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*\{\{base_currency\}\}\*\*: run parameter "Base currency"/);
    assert.match(text, /Currency the totals are reported in\n\nDefault: `EUR`\./);
    assert.equal(document.getText(hovers[0]!.range), '{{base_currency}}');

    // Typing `{{` on a new line of the body.
    const edit = new vscode.WorkspaceEdit();
    const end = document.lineCount - 1;
    edit.insert(document.uri, new vscode.Position(end, 0), 'Flag totals above {{');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      new vscode.Position(end, 'Flag totals above {{'.length),
      '{',
    );
    const currency = list.items.find(
      (i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'base_currency',
    );
    assert.ok(currency, list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)).join(', '));
    assert.equal(currency.detail, 'parameter: Base currency');
    assert.match((currency.documentation as vscode.MarkdownString).value, /Default: `EUR`/);
    assert.equal(currency.insertText, 'base_currency}}');
    const jettyVariable = list.items.find(
      (i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'results_dir',
    );
    assert.ok(jettyVariable && currency.sortText! < jettyVariable.sortText!, "the runbook's parameters come first");
  });

  it('flags an undeclared {{name}} in a gallery-shaped runbook, and the quick fix declares it in the table', async () => {
    const document = await open(
      'gallery-undeclared.md',
      GALLERY.replace('Keep the raw text', 'Use {{output_name}}. Keep'),
    );
    const diagnostic = await until(
      () => jettyDiagnostics(document.uri).find((d) => codeOf(d) === 'template-unknown'),
      'template-unknown on {{output_name}}',
    );
    assert.equal(document.getText(diagnostic.range), '{{output_name}}');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    const declare = await until(async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        diagnostic.range,
      );
      return actions.find((a) => a.title === 'Declare {{output_name}} in the Parameters table');
    }, 'the quick fix that declares the parameter');
    assert.ok(declare.edit && (await vscode.workspace.applyEdit(declare.edit)));
    assert.ok(document.getText().includes('| Output name | `{{output_name}}` | *(required)* | |'));
    await until(
      () => !jettyDiagnostics(document.uri).some((d) => codeOf(d) === 'template-unknown'),
      'template-unknown to clear once declared',
    );
  });

  it("puts the runbook's sections in the Outline, with its settings and its parameters", async () => {
    const document = await open('gallery-outline.md', GALLERY);
    const symbols = await until(async () => {
      const all = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        document.uri,
      );
      return all?.find((s) => s.name === 'Front-matter') ? all : undefined;
    }, "the runbook's outline");
    const settings = symbols.find((s) => s.name === 'Front-matter')!;
    assert.deepEqual(
      settings.children.slice(0, 3).map((c) => [c.name, c.detail]),
      [
        ['version', '1.1.0'],
        ['evaluation', 'programmatic'],
        ['agent', 'claude-code'],
      ],
    );
    const title = symbols.find((s) => s.name === 'Invoice Line-Item Extractor — Agent Runbook' && s.children.length)!;
    assert.ok(title, symbols.map((s) => s.name).join(', '));
    const parameters = title.children.find((c) => c.name === 'Parameters')!;
    assert.deepEqual(
      parameters.children.map((c) => [c.name, c.kind]),
      [
        ['base_currency', vscode.SymbolKind.Variable],
        ['min_confidence', vscode.SymbolKind.Variable],
      ],
    );
    assert.equal(document.getText(parameters.selectionRange), 'Parameters');
    assert.ok(title.children.some((c) => c.name === 'Step 3: Iterate on Errors (max 3 rounds)'));
  });

  it('"Jetty: New Runbook" writes a runbook that lints clean the moment it opens, to a file or untitled', async () => {
    const uri = vscode.Uri.joinPath(folder(), `${Date.now().toString(36)}-new`, 'RUNBOOK.md');
    const written = await vscode.commands.executeCommand<vscode.TextDocument>('jetty.newRunbook', {
      kind: 'programmatic',
      title: 'Weekly invoice digest',
      agent: 'claude-code',
      provider: 'openrouter',
      model: 'anthropic/claude-sonnet-4.6',
      snapshot: 'python312-uv',
      uri,
    });
    assert.equal(written.uri.toString(), uri.toString());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), /^# Weekly invoice digest$/m);
    await assertLintsClean(written);

    const untitled = await vscode.commands.executeCommand<vscode.TextDocument>('jetty.newRunbook', {
      kind: 'rubric',
      title: 'Pitch review',
      agent: 'codex',
      provider: 'openai',
      model: 'gpt-5.5',
      snapshot: 'prism-playwright',
    });
    assert.equal(untitled.uri.scheme, 'untitled');
    assert.match(untitled.getText(), /^evaluation: rubric$/m);
    await assertLintsClean(untitled);

    // An existing file is never overwritten: the command says so and writes nothing.
    const again = await vscode.commands.executeCommand('jetty.newRunbook', {
      kind: 'programmatic',
      title: 'Other',
      agent: 'claude-code',
      provider: 'openrouter',
      model: 'anthropic/claude-sonnet-4.6',
      snapshot: 'python312-uv',
      uri,
    });
    assert.equal(again, undefined);
    assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), /^# Weekly invoice digest$/m);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(uri, '..'), { recursive: true });
  });

  it('offers New Runbook as the first step of the walkthrough, whose pages ship with the extension', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const [walkthrough] = extension.packageJSON.contributes.walkthroughs as {
      steps: { id: string; description: string; media: { markdown: string }; completionEvents: string[] }[];
    }[];
    const [first] = walkthrough!.steps;
    assert.match(first!.description, /\[New Runbook\]\(command:jetty\.newRunbook\)/);
    assert.deepEqual(first!.completionEvents, ['onCommand:jetty.newRunbook']);
    for (const step of walkthrough!.steps) {
      const page = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, step.media.markdown));
      assert.ok(page.byteLength > 0, `${step.media.markdown} ships`);
    }
    assert.ok((await vscode.commands.getCommands(true)).includes('jetty.newRunbook'));
  });

  it("shows a model's runtime, provider and status on hover", async () => {
    const document = await open('hover.md', ZAI);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(2, 10),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*zai\.glm-5\*\*/);
    assert.match(text, /Zhipu GLM-5 on Bedrock/);
    assert.match(text, /Runtime: hermes · provider: AWS Bedrock · status: documented/);
  });

  it('puts "▶ Run runbook" on the front-matter\'s first line, running jetty.runRunbook with the document', async () => {
    const document = await open('lens.md', ZAI);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    const run = lenses.filter((l) => l.command?.command === 'jetty.runRunbook');
    assert.equal(run.length, 1);
    assert.equal(run[0]!.command!.title, '▶ Run runbook');
    assert.equal(run[0]!.range.start.line, 0);
    assert.equal(String(run[0]!.command!.arguments?.[0]), String(document.uri));
  });

  it('leaves plain markdown alone: no diagnostics, no code lens, even with front-matter and {{braces}}', async () => {
    const plain = await open(
      'notes.md',
      '---\ntitle: Notes\ntags: [a]\n---\n# Notes\nSee {{whatever}} and {{result_dir}}.\n',
    );
    const bare = await open('bare.md', '# Just text\n{{nope}}\n');
    // A runbook opened afterwards gets its diagnostics: by then the plain files have had their chance to get some.
    const runbook = await open('after.md', ZAI);
    await until(() => jettyDiagnostics(runbook.uri).length > 0, 'diagnostics on the runbook');
    assert.deepEqual(vscode.languages.getDiagnostics(plain.uri), []);
    assert.deepEqual(vscode.languages.getDiagnostics(bare.uri), []);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', plain.uri);
    assert.equal(lenses.filter((l) => l.command?.command === 'jetty.runRunbook').length, 0);
  });

  it('treats a file matching the runbook pattern as a runbook even without agent or model', async () => {
    const document = await open('named.runbook.md', '# Task\nWrite to {{result_dir}}/x.md\n');
    const diagnostic = await until(
      () => jettyDiagnostics(document.uri).find((d) => codeOf(d) === 'template-unknown'),
      'template-unknown on a runbook by name',
    );
    assert.equal(document.getText(diagnostic.range), '{{result_dir}}');
  });

  it('applies a severity override from jetty.lint.rules, and switches the rule off', async () => {
    const document = await open('override.md', ZAI);
    await until(
      () =>
        jettyDiagnostics(document.uri).find(
          (d) => codeOf(d) === CODE && d.severity === vscode.DiagnosticSeverity.Error,
        ),
      'the error',
    );
    await vscode.workspace
      .getConfiguration('jetty')
      .update('lint.rules', { [CODE]: 'warning' }, vscode.ConfigurationTarget.Workspace);
    await until(
      () =>
        jettyDiagnostics(document.uri).find(
          (d) => codeOf(d) === CODE && d.severity === vscode.DiagnosticSeverity.Warning,
        ),
      'the warning',
    );
    await vscode.workspace
      .getConfiguration('jetty')
      .update('lint.rules', { [CODE]: 'off' }, vscode.ConfigurationTarget.Workspace);
    await until(() => !jettyDiagnostics(document.uri).some((d) => codeOf(d) === CODE), 'the rule to go quiet');
  });

  it('highlights Jetty keys and {{variables}} in a runbook, and gives plain markdown no tokens at all', async () => {
    const text =
      '---\nagent: codex\ntitle: x\n---\nWrite to {{ results_dir }}/a.md\n```yaml\nrun: ${{ secrets.X }}\n```\n';
    const runbook = await open('tokens.md', text);
    // Front-matter a static-site generator reads, with Jetty's own key names, and braces of other template languages.
    const plain = await open(
      'jekyll.md',
      '---\ntitle: Post\nimage: /a.png\nversion: 2\n---\nHello {{ name }}\n```yaml\nrun: ${{ secrets.X }}\n```\n',
    );
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>(
      'vscode.provideDocumentSemanticTokensLegend',
      runbook.uri,
    );
    const tokens = await until(
      () =>
        vscode.commands.executeCommand<vscode.SemanticTokens | undefined>(
          'vscode.provideDocumentSemanticTokens',
          runbook.uri,
        ),
      'semantic tokens for the runbook',
    );
    // The encoded tokens (line delta, start delta, length, type, modifiers) decoded into what they cover.
    const covered: string[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      const [deltaLine, deltaStart, length, type] = Array.from(tokens.data.slice(i, i + 4)) as [
        number,
        number,
        number,
        number,
      ];
      line += deltaLine;
      character = deltaLine === 0 ? character + deltaStart : deltaStart;
      covered.push(`${legend.tokenTypes[type]}:${runbook.lineAt(line).text.slice(character, character + length)}`);
    }
    assert.deepEqual(covered, ['jettyKey:agent', 'jettyVariable:{{ results_dir }}', 'jettyVariable:{{ secrets.X }}']);

    const none = await vscode.commands.executeCommand<vscode.SemanticTokens | undefined>(
      'vscode.provideDocumentSemanticTokens',
      plain.uri,
    );
    assert.ok(!none || none.data.length === 0, `plain markdown got ${none?.data.length} token numbers`);
  });

  it("leaves a virtual copy of a runbook alone (an SCM diff's left side): only file and untitled documents are linted", async () => {
    const scheme = 'jetty-test-diff';
    const registration = vscode.workspace.registerTextDocumentContentProvider(scheme, {
      provideTextDocumentContent: () => ZAI,
    });
    try {
      const onDisk = await open('ondisk.md', ZAI);
      assert.equal(onDisk.uri.scheme, 'file', 'the extension host sees workspace files as file: documents');
      const copy = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme, path: '/copy.md' }));
      await vscode.window.showTextDocument(copy, vscode.ViewColumn.Beside);
      assert.equal(copy.languageId, 'markdown');
      const untitled = await vscode.workspace.openTextDocument({ language: 'markdown', content: ZAI });
      // The copy was opened before the untitled runbook, whose diagnostics show linting has come round.
      await until(
        () => jettyDiagnostics(untitled.uri).some((d) => codeOf(d) === CODE),
        `${CODE} on the untitled runbook`,
      );
      await until(() => jettyDiagnostics(onDisk.uri).some((d) => codeOf(d) === CODE), `${CODE} on the runbook on disk`);
      assert.deepEqual(jettyDiagnostics(copy.uri), []);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        copy.uri,
      );
      assert.equal(lenses.filter((l) => l.command?.command === 'jetty.runRunbook').length, 0);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        copy.uri,
        new vscode.Position(2, 10),
      );
      assert.equal(hovers.length, 0);
    } finally {
      registration.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it("keeps `jetty.runbooks` (the menus' context key) to the open runbooks, as edits make files runbooks or not", async () => {
    const testing = (await jettyApi()).testing;
    assert.ok(testing, 'the extension offers its test hooks under test');
    const runbook = await open('split-runbook.md', ZAI);
    const plain = await open('split-plain.md', '---\ntitle: Notes\n---\n# Notes\n');
    await vscode.window.showTextDocument(runbook, vscode.ViewColumn.Beside);
    await until(() => testing.openRunbooks().includes(runbook.uri.toString()), 'the runbook in jetty.runbooks');
    assert.ok(!testing.openRunbooks().includes(plain.uri.toString()), 'a plain markdown file is not in jetty.runbooks');

    // Typing `agent:` into the plain file's front-matter makes it a runbook.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(plain.uri, new vscode.Position(1, 0), 'agent: codex\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await until(() => testing.openRunbooks().includes(plain.uri.toString()), 'the edited file in jetty.runbooks');

    // And deleting `agent:` and `model:` makes a runbook plain markdown again.
    const unmake = new vscode.WorkspaceEdit();
    unmake.delete(runbook.uri, new vscode.Range(1, 0, 3, 0));
    assert.ok(await vscode.workspace.applyEdit(unmake));
    await until(
      () => !testing.openRunbooks().includes(runbook.uri.toString()),
      'the former runbook to leave jetty.runbooks',
    );
    assert.ok(testing.openRunbooks().includes(plain.uri.toString()));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Run Runbook" with no runbook editor in front offers the workspace\'s runbooks in a quick pick', async () => {
    // Named to come first in the list; its lint error stops the run before anything starts.
    const uri = vscode.Uri.joinPath(folder(), '000-picked.md');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(ZAI));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const running = vscode.commands.executeCommand<{ status: string; error?: { message: string } }>('jetty.runRunbook');
    let settled = false;
    void Promise.resolve(running).finally(() => (settled = true));
    // A person would press Enter on the first runbook offered: accept until the quick pick has shown up and taken it.
    await until(async () => {
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled;
    }, 'the run to take the runbook picked from the quick pick');
    const result = await running;
    assert.equal(result.status, 'blocked', JSON.stringify(result));
    assert.match(result.error?.message ?? '', /000-picked\.md/);
    await vscode.workspace.fs.delete(uri);
  });
});
