// What integration tests may look at beyond the public API, offered only when VS Code runs the extension under test:
// the keys of what the extension keeps in global and workspace state, and where its logs go, so a test can scan them
// for a canary secret. Never available to other extensions in normal use.
import * as vscode from 'vscode';

export interface TestingApi {
  /** Everything the extension keeps in global and workspace state, as stored. */
  storedState(): { global: Record<string, unknown>; workspace: Record<string, unknown> };
  /** The extension's log folder (its output channels and logs are written under the session folder above it). */
  logUri: vscode.Uri;
  /** What the context key `jetty.runbooks` (read by the manifest's menus) was last set to: the open runbooks' URIs. */
  openRunbooks(): readonly string[];
}

export function testingApi(context: vscode.ExtensionContext, runbooks: { openRunbooks(): readonly string[] }): TestingApi | undefined {
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  const dump = (memento: vscode.Memento): Record<string, unknown> => Object.fromEntries(memento.keys().map((key) => [key, memento.get(key)]));
  return {
    storedState: () => ({ global: dump(context.globalState), workspace: dump(context.workspaceState) }),
    logUri: context.logUri,
    openRunbooks: () => runbooks.openRunbooks(),
  };
}
