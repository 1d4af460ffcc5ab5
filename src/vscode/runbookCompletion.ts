// Completion in runbooks: front-matter keys and values, models filtered by agent and provider, `{{variables}}`.
import * as vscode from 'vscode';
import { readConfiguration } from './settings';
import { completeAt, type CompletionEntry, type CompletionKind } from '../core/runbook/complete';
import { parsedRunbook, RUNBOOK_SELECTOR, toRange } from './runbookDetection';

const KIND: Record<CompletionKind, vscode.CompletionItemKind> = {
  key: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  agent: vscode.CompletionItemKind.EnumMember,
  provider: vscode.CompletionItemKind.EnumMember,
  model: vscode.CompletionItemKind.Value,
  snapshot: vscode.CompletionItemKind.Value,
  variable: vscode.CompletionItemKind.Variable,
};

export function registerRunbookCompletion(context: vscode.ExtensionContext): void {
  const provider: vscode.CompletionItemProvider = {
    provideCompletionItems(document, position) {
      const parsed = parsedRunbook(document);
      if (!parsed) return undefined;
      const snapshots = Object.keys(readConfiguration(document.uri).snapshots);
      const completion = completeAt(parsed, parsed.lines.offsetAt(position), { snapshots });
      if (!completion) return undefined;
      const range = toRange(parsed.lines.rangeOf(completion.span));
      return completion.items.map((entry) => toItem(entry, range));
    },
  };
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(RUNBOOK_SELECTOR, provider, ':', ' ', '{'),
  );
}

function toItem(entry: CompletionEntry, range: vscode.Range): vscode.CompletionItem {
  const item = new vscode.CompletionItem(entry.label, KIND[entry.kind]);
  item.range = range;
  item.insertText = entry.snippet ? new vscode.SnippetString(entry.insertText) : entry.insertText;
  if (entry.detail) item.detail = entry.detail;
  if (entry.documentation) item.documentation = new vscode.MarkdownString(entry.documentation);
  if (entry.sortText) item.sortText = entry.sortText;
  if (entry.additionalEdits)
    item.additionalTextEdits = entry.additionalEdits.map((e) => vscode.TextEdit.replace(toRange(e.range), e.newText));
  if (entry.retrigger) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
  return item;
}
