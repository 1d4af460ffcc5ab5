// Quick fixes: each fix of a finding under the cursor becomes a code action, either edits to the runbook or the
// command of its action (src/vscode/actions.ts). Findings switched off in settings have no diagnostic and no fix.
import * as vscode from 'vscode';
import type { Finding } from '../core/runbook/lint';
import { actionCommand } from './actions';
import { RUNBOOK_SELECTOR, toRange } from './runbookDetection';
import type { RunbookDiagnostics } from './runbookDiagnostics';

export function registerRunbookCodeActions(context: vscode.ExtensionContext, diagnostics: RunbookDiagnostics): void {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, range, context) {
      const actions: vscode.CodeAction[] = [];
      for (const finding of diagnostics.findingsFor(document)) {
        const findingRange = toRange(finding.range);
        if (finding.fixes.length === 0 || !findingRange.intersection(range)) continue;
        const matching = context.diagnostics.filter((d) => sameFinding(finding, d));
        for (const fix of finding.fixes) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = matching;
          action.isPreferred = fix.preferred ?? false;
          if ('edits' in fix) {
            action.edit = new vscode.WorkspaceEdit();
            for (const edit of fix.edits) action.edit.replace(document.uri, toRange(edit.range), edit.newText);
          } else {
            action.command = { ...actionCommand(fix.action), title: fix.title };
          }
          actions.push(action);
        }
      }
      return actions;
    },
  };
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(RUNBOOK_SELECTOR, provider, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
  );
}

function sameFinding(finding: Finding, diagnostic: vscode.Diagnostic): boolean {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return diagnostic.source === 'jetty' && code === finding.code && diagnostic.range.isEqual(toRange(finding.range));
}
