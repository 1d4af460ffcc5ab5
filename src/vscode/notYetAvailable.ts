// Commands declared in the manifest whose feature has not landed yet: each says so plainly instead of doing nothing.
// A feature's own register function replaces its entry here when it lands; this file disappears with the last one.
import * as vscode from 'vscode';

const PENDING: Record<string, string> = {
  'jetty.runRunbook': 'Running a runbook',
  'jetty.cancelRun': 'Cancelling a run',
  'jetty.cleanUpSandboxes': 'Cleaning up sandboxes',
};

export function registerNotYetAvailable(context: vscode.ExtensionContext, except: ReadonlySet<string> = new Set()): void {
  for (const [command, feature] of Object.entries(PENDING)) {
    if (except.has(command)) continue;
    context.subscriptions.push(
      vscode.commands.registerCommand(command, () =>
        vscode.window.showInformationMessage(`Jetty: ${feature} is not available yet in this version of the extension.`),
      ),
    );
  }
}
