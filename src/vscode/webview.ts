// The page every Jetty webview starts from: a strict Content Security Policy (nothing remote, nothing inline, one
// script allowed by its nonce, styles, fonts and images only from the extension's and the run's own files), the
// codicon font shipped in dist/codicons, the theme's colours through VS Code's CSS variables (media/webview.css), and
// the panel's own script from dist/webview/.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface PageOptions {
  /** dist/webview/<script>.js */
  script: 'runView' | 'comparison';
  title: string;
  /** The page's skeleton, filled by the script (static markup only: no text from a run goes here). */
  body: string;
}

/** Where a Jetty webview may load files from: the extension's bundles, icons and styles, plus `extra` (a run folder). */
export function resourceRoots(extensionUri: vscode.Uri, extra: readonly vscode.Uri[] = []): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), ...extra];
}

export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, options: PageOptions): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('media', 'webview.css')}">
<title>${escapeHtml(options.title)}</title>
</head>
<body data-view="${options.script}">
${options.body}
<script nonce="${nonce}" src="${asset('dist', 'webview', `${options.script}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
