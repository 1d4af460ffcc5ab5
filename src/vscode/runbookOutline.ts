// The runbook in the Outline view and the breadcrumbs: its front-matter settings, its sections by heading level, and
// the run parameters under the Parameters section that declares them (core/runbook/outline.ts works them out).
import * as vscode from 'vscode';
import { runbookOutline, type OutlineKind, type OutlineNode } from '../core/runbook/outline';
import type { ParsedRunbook } from '../core/runbook/parse';
import { parsedRunbook, RUNBOOK_SELECTOR, toRange } from './runbookDetection';

const KIND: Record<OutlineKind, vscode.SymbolKind> = {
  settings: vscode.SymbolKind.Namespace,
  setting: vscode.SymbolKind.Property,
  section: vscode.SymbolKind.String,
  parameter: vscode.SymbolKind.Variable,
};

export function registerRunbookOutline(context: vscode.ExtensionContext): void {
  const provider: vscode.DocumentSymbolProvider = {
    provideDocumentSymbols(document) {
      const parsed = parsedRunbook(document);
      return parsed ? runbookOutline(parsed).map((node) => toSymbol(parsed, node)) : undefined;
    },
  };
  context.subscriptions.push(
    vscode.languages.registerDocumentSymbolProvider(RUNBOOK_SELECTOR, provider, { label: 'Jetty runbook' }),
  );
}

function toSymbol(parsed: ParsedRunbook, node: OutlineNode): vscode.DocumentSymbol {
  const symbol = new vscode.DocumentSymbol(
    node.name,
    node.detail ?? '',
    KIND[node.kind],
    toRange(parsed.lines.rangeOf(node.span)),
    toRange(parsed.lines.rangeOf(node.selection)),
  );
  symbol.children = node.children.map((child) => toSymbol(parsed, child));
  return symbol;
}
