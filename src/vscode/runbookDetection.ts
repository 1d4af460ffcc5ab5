// Which open documents are runbooks, and their parse, cached per document version so diagnostics, completion, hover and
// the code lens share one parse per keystroke. Also keeps the context key `jetty.isRunbook` (used by the manifest's
// menus) in step with the active editor. Plain markdown is never parsed past its first line.
import * as vscode from 'vscode';
import { DEFAULT_RUNBOOK_PATTERN, hasRunbookFrontMatter, matchesRunbookPattern } from '../core/runbook/detect';
import { parseRunbook, type ParsedRunbook } from '../core/runbook/parse';
import type { Range } from '../core/runbook/text';

interface Cached {
  version: number;
  pattern: string;
  parsed: ParsedRunbook | undefined;
  isRunbook: boolean;
}

const cache = new WeakMap<vscode.TextDocument, Cached>();

export function runbookFilePattern(): string {
  return vscode.workspace.getConfiguration('jetty').get<string>('runbookFilePattern') || DEFAULT_RUNBOOK_PATTERN;
}

function read(document: vscode.TextDocument): Cached {
  const pattern = runbookFilePattern();
  const hit = cache.get(document);
  if (hit && hit.version === document.version && hit.pattern === pattern) return hit;
  let entry: Cached;
  if (document.languageId !== 'markdown') {
    entry = { version: document.version, pattern, parsed: undefined, isRunbook: false };
  } else {
    const byName = matchesName(document.uri, pattern);
    const text = document.getText();
    // Most markdown has no front-matter: one look at the first characters settles it without a parse.
    const parsed = byName || /^\ufeff?---/.test(text) ? parseRunbook(text) : undefined;
    const isRunbook = byName || (parsed !== undefined && hasRunbookFrontMatter(parsed));
    entry = { version: document.version, pattern, parsed: isRunbook ? parsed : undefined, isRunbook };
  }
  cache.set(document, entry);
  return entry;
}

function matchesName(uri: vscode.Uri, pattern: string): boolean {
  const relative = vscode.workspace.asRelativePath(uri, false);
  return matchesRunbookPattern(relative, pattern) || matchesRunbookPattern(uri.path, pattern);
}

/** Whether the document is a runbook: markdown whose front-matter has `agent` or `model`, or whose path matches the pattern. */
export function isRunbook(document: vscode.TextDocument): boolean {
  return read(document).isRunbook;
}

/** The runbook's parse (current version), or undefined when the document is not a runbook. */
export function parsedRunbook(document: vscode.TextDocument): ParsedRunbook | undefined {
  return read(document).parsed;
}

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function registerRunbookDetection(context: vscode.ExtensionContext): void {
  const update = () => {
    const document = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand('setContext', 'jetty.isRunbook', document ? isRunbook(document) : false);
  };
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) update();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('jetty.runbookFilePattern')) update();
    }),
  );
  update();
}
