// The injection grammars in syntaxes/, tokenized the way VS Code 1.100.3 does it: its own vscode-textmate and
// vscode-oniguruma, its own markdown and YAML grammars (all from the installed test host), with ours injected as the
// manifest says. A runbook gets Jetty scopes where Jetty reads something; plain markdown — a Jekyll page, Handlebars,
// GitHub Actions' ${{ }}, code — gets none, because a grammar cannot tell a runbook from a README.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ensureVSCodeServer, REPO_ROOT } from './vscode-server';

interface GrammarContribution {
  path: string;
  scopeName: string;
  injectTo?: string[];
}

/** Every grammar VS Code's built-in extensions and this extension contribute, by scope name. */
function grammarContributions(vscode: string): Map<string, { file: string; injectTo?: string[] }> {
  const found = new Map<string, { file: string; injectTo?: string[] }>();
  const add = (root: string) => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes?: { grammars?: GrammarContribution[] };
    };
    for (const g of manifest.contributes?.grammars ?? [])
      found.set(g.scopeName, { file: path.join(root, g.path), ...(g.injectTo ? { injectTo: g.injectTo } : {}) });
  };
  const extensions = path.join(vscode, 'extensions');
  for (const name of readdirSync(extensions))
    if (existsSync(path.join(extensions, name, 'package.json'))) add(path.join(extensions, name));
  add(REPO_ROOT);
  return found;
}

type Tokenize = (text: string) => { text: string; scopes: string[] }[];

/** The parts of vscode-textmate and vscode-oniguruma used here (the modules come from the VS Code install, untyped). */
interface TextMate {
  INITIAL: unknown;
  parseRawGrammar(content: string, file: string): unknown;
  Registry: new (options: {
    onigLib: Promise<{ createOnigScanner(patterns: string[]): unknown; createOnigString(text: string): unknown }>;
    loadGrammar(scopeName: string): Promise<unknown>;
    getInjections(scopeName: string): string[];
  }) => { loadGrammar(scopeName: string): Promise<Grammar | null> };
}
interface Grammar {
  tokenizeLine(
    line: string,
    stack: unknown,
  ): { tokens: { startIndex: number; endIndex: number; scopes: string[] }[]; ruleStack: unknown };
}
interface Oniguruma {
  loadWASM(wasm: ArrayBuffer): Promise<void>;
  OnigScanner: new (patterns: string[]) => unknown;
  OnigString: new (text: string) => unknown;
}

async function vscodeTokenizer(): Promise<Tokenize> {
  const vscode = await ensureVSCodeServer();
  const modules = path.join(vscode, 'node_modules');
  // VS Code's own engine, not a copy of ours: what the editor really does with these grammars.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const textmate = require(path.join(modules, 'vscode-textmate')) as TextMate;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const oniguruma = require(path.join(modules, 'vscode-oniguruma')) as Oniguruma;
  const wasm = readFileSync(path.join(modules, 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const grammars = grammarContributions(vscode);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      const entry = grammars.get(scopeName);
      return entry ? textmate.parseRawGrammar(readFileSync(entry.file, 'utf8'), entry.file) : null;
    },
    getInjections: (scopeName: string) =>
      [...grammars].filter(([, g]) => g.injectTo?.includes(scopeName)).map(([name]) => name),
  });
  const markdown = await registry.loadGrammar('text.html.markdown');
  assert.ok(markdown, "VS Code's markdown grammar loads");
  return (text) => {
    const tokens: { text: string; scopes: string[] }[] = [];
    let stack = textmate.INITIAL;
    for (const line of text.split('\n')) {
      const result = markdown.tokenizeLine(line, stack);
      for (const token of result.tokens)
        tokens.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
      stack = result.ruleStack;
    }
    return tokens;
  };
}

/** The text of every token carrying a scope of ours (…jetty), with that scope. */
function jettyTokens(tokenize: Tokenize, text: string): string[] {
  return tokenize(text).flatMap((t) =>
    t.scopes
      .filter((s) => s.endsWith('.jetty') && !s.startsWith('meta.') && !s.startsWith('punctuation.'))
      .map((s) => `${s}:${t.text}`),
  );
}

describe('the injection grammars, in VS Code 1.100.3’s TextMate engine', () => {
  let tokenize: Tokenize;
  before(async () => {
    tokenize = await vscodeTokenizer();
  });

  it('colour the Jetty-only front-matter keys and the variables Jetty fills in, in a runbook', () => {
    const runbook = [
      '---',
      'agent: claude-code',
      'model: claude-sonnet-4-6',
      'model_provider: anthropic',
      'snapshot: python312-uv',
      'primary_outputs: report.md',
      '---',
      '# Report',
      'Write it to `{{results_dir}}`… no: to {{results_dir}}/report.md, with {{ secrets.GH_TOKEN }}.',
    ].join('\n');
    assert.deepEqual(jettyTokens(tokenize, runbook), [
      'support.type.property-name.jetty:model_provider',
      'support.type.property-name.jetty:snapshot',
      'support.type.property-name.jetty:primary_outputs',
      'variable.other.jetty:results_dir',
      'variable.other.jetty:secrets.GH_TOKEN',
    ]);
  });

  it('leave plain markdown alone: Jekyll front-matter, Handlebars, GitHub Actions, code', () => {
    const readme = [
      '---',
      'title: Release notes',
      'image: /img/cover.png',
      'version: 2',
      'model: the one we ship',
      '---',
      'Hello {{ name }}, {{#each items}}{{this}}{{/each}} and {{{ raw }}}.',
      'In a workflow: `${{ secrets.GITHUB_TOKEN }}` and ${{ secrets.NPM_TOKEN }}.',
      '```yaml',
      'run: echo {{results_dir}} ${{ secrets.X }}',
      'snapshot: x',
      '```',
      '    indented code {{results_dir}}',
    ].join('\n');
    assert.deepEqual(jettyTokens(tokenize, readme), []);
  });
});
