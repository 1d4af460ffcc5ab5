// Highlighting in runbooks: Jetty's front-matter keys and the body's `{{variables}}` as semantic tokens. Semantic tokens
// are asked for per document, so plain markdown gets none and keeps exactly the colours VS Code gives it; the manifest
// maps the two token types to TextMate scopes (`semanticTokenScopes`) so every theme colours them like a property name
// and a variable.
import * as vscode from 'vscode';
import { highlights, TOKEN_TYPES, type HighlightKind } from '../core/runbook/highlight';
import { parsedRunbook, RUNBOOK_SELECTOR } from './runbookDetection';

const KINDS = Object.keys(TOKEN_TYPES) as HighlightKind[];
const LEGEND = new vscode.SemanticTokensLegend(KINDS.map((kind) => TOKEN_TYPES[kind]));

export function registerRunbookSemanticTokens(context: vscode.ExtensionContext): void {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.DocumentSemanticTokensProvider = {
    // Edits ask again by themselves; a new runbook file pattern can turn a file into a runbook without one.
    onDidChangeSemanticTokens: changed.event,
    provideDocumentSemanticTokens(document) {
      const parsed = parsedRunbook(document);
      if (!parsed) return undefined;
      const builder = new vscode.SemanticTokensBuilder(LEGEND);
      for (const { kind, start, end } of highlights(parsed)) {
        const from = parsed.lines.positionAt(start);
        const to = parsed.lines.positionAt(end);
        // A token lives on one line; keys and variables never span two, but a quoted YAML key could in theory.
        if (from.line !== to.line) continue;
        builder.push(from.line, from.character, to.character - from.character, KINDS.indexOf(kind));
      }
      return builder.build();
    },
  };
  context.subscriptions.push(
    changed,
    vscode.languages.registerDocumentSemanticTokensProvider(RUNBOOK_SELECTOR, provider, LEGEND),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('jetty.runbookFilePattern')) changed.fire();
    }),
  );
}
