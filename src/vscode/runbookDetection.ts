// Which open documents are runbooks, and their parse, cached per document version so diagnostics, completion, hover,
// semantic tokens and the code lens share one parse per keystroke. Plain markdown is never parsed past its first line.
// Also the context key that lets the manifest's menus show on runbooks, and a quick pick of the workspace's runbooks.
import * as vscode from 'vscode';
import { readConfiguration } from './settings';
import { hasRunbookFrontMatter, isRunbook as isRunbookText, matchesRunbookPattern } from '../core/runbook/detect';
import { parseRunbook, type ParsedRunbook } from '../core/runbook/parse';
import type { Range } from '../core/runbook/text';

/**
 * Where runbook features apply: markdown on disk or not yet saved. Every provider registers with this selector. The
 * left side of an SCM diff (`git:`), a search result or any other virtual copy of a runbook would otherwise get a
 * second set of diagnostics in Problems.
 */
export const RUNBOOK_SELECTOR: vscode.DocumentFilter[] = [
  { language: 'markdown', scheme: 'file' },
  { language: 'markdown', scheme: 'untitled' },
];
const SCHEMES = new Set(RUNBOOK_SELECTOR.map((filter) => filter.scheme));

/**
 * The context key the manifest's `when` clauses read: the URIs of the open runbooks, so its menus can ask `resource in
 * jetty.runbooks` per editor (a single "is the active editor a runbook" flag is wrong in split editors).
 */
export const RUNBOOKS_CONTEXT_KEY = 'jetty.runbooks';

interface Cached {
  version: number;
  pattern: string;
  parsed: ParsedRunbook | undefined;
  isRunbook: boolean;
}

const cache = new WeakMap<vscode.TextDocument, Cached>();

export function runbookFilePattern(): string {
  return readConfiguration().runbookFilePattern;
}

function read(document: vscode.TextDocument): Cached {
  const pattern = runbookFilePattern();
  const hit = cache.get(document);
  if (hit && hit.version === document.version && hit.pattern === pattern) return hit;
  let entry: Cached;
  if (document.languageId !== 'markdown' || !SCHEMES.has(document.uri.scheme)) {
    entry = { version: document.version, pattern, parsed: undefined, isRunbook: false };
  } else {
    const byName = matchesName(document.uri, pattern);
    // Most markdown has no front-matter: its first line settles it without copying the text out, let alone parsing it.
    const parsed = byName || /^\ufeff?---/.test(document.lineAt(0).text) ? parseRunbook(document.getText()) : undefined;
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

/**
 * Whether the document is a runbook: markdown (on disk or untitled) whose front-matter has `agent` or `model`, or whose
 * path matches the pattern.
 */
export function isRunbook(document: vscode.TextDocument): boolean {
  return read(document).isRunbook;
}

/** The runbook's parse (current version), or undefined when the document is not a runbook. */
export function parsedRunbook(document: vscode.TextDocument): ParsedRunbook | undefined {
  return read(document).parsed;
}

/** How many markdown files the runbook quick pick looks at, at most. */
const MAX_FILES_LOOKED_AT = 2000;

/**
 * A quick pick of the workspace's runbooks, for "Run Runbook" with no runbook editor in front (the Jetty view's welcome
 * button, a keybinding). Undefined when there is none or the user dismissed it.
 */
export async function pickWorkspaceRunbook(): Promise<vscode.Uri | undefined> {
  const pattern = runbookFilePattern();
  const files = await vscode.workspace.findFiles(
    '**/*.{md,markdown}',
    '**/{node_modules,.git,.jetty}/**',
    MAX_FILES_LOOKED_AT,
  );
  const runbooks: vscode.Uri[] = [];
  for (const uri of files) {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open ? isRunbook(open) : await isRunbookFile(uri, pattern)) runbooks.push(uri);
  }
  if (runbooks.length === 0) return undefined;
  const items = runbooks
    .map((uri) => ({
      uri,
      label: uri.path.slice(uri.path.lastIndexOf('/') + 1),
      description: vscode.workspace.asRelativePath(uri, true),
    }))
    .sort((a, b) => a.description.localeCompare(b.description));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Jetty: Run Runbook',
    placeHolder: 'Which runbook to run',
    matchOnDescription: true,
  });
  return picked?.uri;
}

async function isRunbookFile(uri: vscode.Uri, pattern: string): Promise<boolean> {
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return (
      isRunbookText(text, vscode.workspace.asRelativePath(uri, false), pattern) ||
      matchesRunbookPattern(uri.path, pattern)
    );
  } catch {
    // Unreadable (deleted meanwhile, no permission): not offered.
    return false;
  }
}

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export interface RunbookDetection {
  /** The URIs (as the extension host spells them) of the open runbooks: what `jetty.runbooks` holds. */
  openRunbooks(): readonly string[];
}

/** Edits are looked at once typing pauses: whether a file is a runbook changes rarely, and the menus can wait that long. */
const SETTLE_MS = 150;

export function registerRunbookDetection(context: vscode.ExtensionContext): RunbookDetection {
  const open = new Map<string, vscode.Uri>();
  let published: readonly string[] = [];
  const edited = new Set<vscode.TextDocument>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Called on open, close, edit and a pattern change, but the context key is only set when the set of runbooks changed:
  // typing in a runbook (or in any markdown) costs a cached lookup, not a round trip to the workbench.
  const publish = () => {
    if (open.size === published.length && published.every((uri) => open.has(uri))) return;
    published = [...open.keys()].sort();
    // URIs, not strings: VS Code turns them into the workbench's own spelling of the URI (`vscode-remote://…` when the
    // extension host is remote, as in code-server, SSH or WSL), which is what `resource` holds. Strings of the
    // extension host's `file://` URIs would never match there (measured in the VS Code 1.100 server).
    void vscode.commands.executeCommand('setContext', RUNBOOKS_CONTEXT_KEY, [...open.values()]);
  };
  const track = (document: vscode.TextDocument) => {
    const uri = document.uri.toString();
    if (isRunbook(document)) open.set(uri, document.uri);
    else open.delete(uri);
  };
  const trackAll = () => {
    open.clear();
    for (const document of vscode.workspace.textDocuments) track(document);
    publish();
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((document) => {
      track(document);
      publish();
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      // Adding or removing `agent:` makes a markdown file a runbook or not.
      if (e.document.languageId !== 'markdown' || e.contentChanges.length === 0) return;
      edited.add(e.document);
      clearTimeout(timer);
      timer = setTimeout(() => {
        for (const document of edited) if (!document.isClosed) track(document);
        edited.clear();
        publish();
      }, SETTLE_MS);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      edited.delete(document);
      open.delete(document.uri.toString());
      publish();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('jetty.runbookFilePattern')) trackAll();
    }),
    { dispose: () => clearTimeout(timer) },
  );
  trackAll();
  return { openRunbooks: () => published };
}
