// What integration tests may look at beyond the public API, offered only when VS Code runs the extension under test:
// the keys of what the extension keeps in global and workspace state, and where its logs go, so a test can scan them
// for a canary secret; the menus' context key; answers for modal confirmations; the SecretStorage the key store reads.
// Never available to other extensions in normal use.
import * as vscode from 'vscode';
import { scriptedConfirmations } from './confirm';

export interface TestingApi {
  /** Everything the extension keeps in global and workspace state, as stored. */
  storedState(): { global: Record<string, unknown>; workspace: Record<string, unknown> };
  /** The extension's log folder (its output channels and logs are written under the session folder above it). */
  logUri: vscode.Uri;
  /** What the context key `jetty.runbooks` (read by the manifest's menus) was last set to: the open runbooks' URIs. */
  openRunbooks(): readonly string[];
  /** Answers for the modal confirmations a test cannot click, and the questions asked. */
  confirmations: typeof scriptedConfirmations;
  /** The extension's own SecretStorage, for tests that watch how the key store uses it. */
  secrets: vscode.SecretStorage;
}

export function testingApi(
  context: vscode.ExtensionContext,
  runbooks: { openRunbooks(): readonly string[] },
): TestingApi | undefined {
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  const dump = (memento: vscode.Memento): Record<string, unknown> =>
    Object.fromEntries(memento.keys().map((key) => [key, memento.get(key)]));
  return {
    storedState: () => ({ global: dump(context.globalState), workspace: dump(context.workspaceState) }),
    logUri: context.logUri,
    openRunbooks: () => runbooks.openRunbooks(),
    confirmations: scriptedConfirmations,
    secrets: context.secrets,
  };
}
