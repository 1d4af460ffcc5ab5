// "▶ Run runbook" on the front-matter's first line of every runbook; it runs jetty.runRunbook with the document's URI.
import * as vscode from 'vscode';
import { parsedRunbook, RUNBOOK_SELECTOR } from './runbookDetection';

export function registerRunbookCodeLens(context: vscode.ExtensionContext): void {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(document) {
      const parsed = parsedRunbook(document);
      if (!parsed) return [];
      const line = parsed.frontMatter?.openRange.start.line ?? 0;
      return [
        new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: '▶ Run runbook',
          command: 'jetty.runRunbook',
          arguments: [document.uri],
        }),
      ];
    },
  };
  context.subscriptions.push(
    changed,
    vscode.languages.registerCodeLensProvider(RUNBOOK_SELECTOR, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('jetty.runbookFilePattern')) changed.fire();
    }),
  );
}
