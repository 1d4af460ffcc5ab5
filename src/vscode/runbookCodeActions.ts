// Quick fixes: each fix of a finding shown as a diagnostic becomes a code action, either edits to the runbook or a
// command (e.g. "Set key…" runs jetty.setProviderKey).
import * as vscode from 'vscode';
import type { Finding } from '../core/runbook/lint';
import { toRange } from './runbookDetection';
import type { RunbookDiagnostics } from './runbookDiagnostics';

export function registerRunbookCodeActions(context: vscode.ExtensionContext, diagnostics: RunbookDiagnostics): void {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, _range, context) {
      const ours = context.diagnostics.filter((d) => d.source === 'jetty');
      if (ours.length === 0) return undefined;
      const findings = diagnostics.findingsFor(document);
      const actions: vscode.CodeAction[] = [];
      for (const diagnostic of ours) {
        const finding = findings.find((f) => sameFinding(f, diagnostic));
        for (const fix of finding?.fixes ?? []) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.isPreferred = fix.preferred ?? false;
          if ('edits' in fix) {
            action.edit = new vscode.WorkspaceEdit();
            for (const edit of fix.edits) action.edit.replace(document.uri, toRange(edit.range), edit.newText);
          } else {
            action.command = { title: fix.title, command: fix.command.command, arguments: fix.command.arguments };
          }
          actions.push(action);
        }
      }
      return actions;
    },
  };
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider({ language: 'markdown' }, provider, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  );
}

function sameFinding(finding: Finding, diagnostic: vscode.Diagnostic): boolean {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return code === finding.code && diagnostic.message === finding.message && diagnostic.range.isEqual(toRange(finding.range));
}
