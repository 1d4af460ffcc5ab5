// Diagnostics for runbooks as the user types: lint findings become `vscode.Diagnostic`s with the rule's code, updated
// shortly after each change, on open, when settings or the lint environment change (refresh()), and removed on close.
// Only runbooks on disk or untitled get any (runbookDetection decides): a `git:` copy in a diff gets none.
import * as vscode from 'vscode';
import { errorMessage } from '../core/text';
import { readConfiguration } from './settings';
import { lint, type Finding, type LintEnvironment, type Severity } from '../core/runbook/lint';
import { parsedRunbook, toRange } from './runbookDetection';

/** Long enough to skip the keystrokes of a word, short enough to feel immediate. */
const DEBOUNCE_MS = 120;

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export interface RunbookDiagnostics {
  /** Lints every open runbook again (after a key is set or cleared, say). */
  refresh(): void;
  /** The findings for the document as it is now (linted again if it changed since). */
  findingsFor(document: vscode.TextDocument): readonly Finding[];
}

export function registerRunbookDiagnostics(
  context: vscode.ExtensionContext,
  getEnvironment: () => LintEnvironment = () => ({}),
): RunbookDiagnostics {
  const collection = vscode.languages.createDiagnosticCollection('jetty');
  const latest = new Map<string, { version: number; findings: readonly Finding[] }>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const findingsFor = (document: vscode.TextDocument): readonly Finding[] => {
    const key = document.uri.toString();
    const cached = latest.get(key);
    if (cached && cached.version === document.version) return cached.findings;
    const parsed = parsedRunbook(document);
    let findings: readonly Finding[] = [];
    if (parsed) {
      // One read for both: the rules and the snapshot names of the runbook's own folder.
      const settings = readConfiguration(document.uri);
      try {
        findings = lint(
          parsed,
          { rules: settings.lintRules },
          { snapshots: Object.keys(settings.snapshots), ...getEnvironment() },
        );
      } catch (error) {
        // A rule's bug must not surface as an error per keystroke; the fuzz tests are where it gets caught.
        console.warn(`Jetty: linting ${document.uri.fsPath} failed: ${errorMessage(error)}`);
      }
    }
    latest.set(key, { version: document.version, findings });
    return findings;
  };

  const update = (document: vscode.TextDocument) => {
    if (document.languageId !== 'markdown') return;
    const findings = findingsFor(document);
    if (findings.length === 0 && !collection.has(document.uri)) return;
    collection.set(document.uri, findings.map(toDiagnostic));
  };

  const schedule = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        update(document);
      }, DEBOUNCE_MS),
    );
  };

  const refresh = () => {
    latest.clear();
    for (const document of vscode.workspace.textDocuments) update(document);
  };

  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0) schedule(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      const key = document.uri.toString();
      clearTimeout(timers.get(key));
      timers.delete(key);
      latest.delete(key);
      collection.delete(document.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        e.affectsConfiguration('jetty.lint.rules') ||
        e.affectsConfiguration('jetty.runbookFilePattern') ||
        e.affectsConfiguration('jetty.daytona.snapshots')
      )
        refresh();
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  refresh();
  return { refresh, findingsFor };
}

function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, SEVERITY[finding.severity]);
  diagnostic.code = finding.code;
  diagnostic.source = 'jetty';
  return diagnostic;
}
