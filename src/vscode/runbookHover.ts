// Hover in runbooks: a key's meaning, a model's runtime, provider and status, an agent, a `{{variable}}`.
import * as vscode from 'vscode';
import { hoverAt } from '../core/runbook/hover';
import { parsedRunbook, RUNBOOK_SELECTOR, toRange } from './runbookDetection';

export function registerRunbookHover(context: vscode.ExtensionContext): void {
  const provider: vscode.HoverProvider = {
    provideHover(document, position) {
      const parsed = parsedRunbook(document);
      if (!parsed) return undefined;
      const hover = hoverAt(parsed, parsed.lines.offsetAt(position));
      return (
        hover && new vscode.Hover(new vscode.MarkdownString(hover.markdown), toRange(parsed.lines.rangeOf(hover.span)))
      );
    },
  };
  context.subscriptions.push(vscode.languages.registerHoverProvider(RUNBOOK_SELECTOR, provider));
}
