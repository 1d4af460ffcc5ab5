// "Jetty: Clean Up Sandboxes": deletes the sandboxes this extension created that are still there (after a crash, or a
// window closed mid-run). It asks the kind of sandbox the settings choose, so a Daytona clean-up never touches this
// machine's temporary folders, and spares this window's own live runs.
import * as vscode from 'vscode';
import { readConfiguration } from './settings';
import { createDaytonaProvider } from '../core/run/daytona';
import { explainUnexpected, type RunError } from '../core/run/errors';
import { createLocalProvider } from '../core/run/local';
import { SandboxError, type SandboxProvider } from '../core/run/sandbox';
import type { KeyStore } from './keyStore';
import { showRunError } from './runNotifications';

export interface CleanUpResult {
  found: number;
  deleted: string[];
  error?: string;
}

export interface CleanUpDeps {
  keyStore: KeyStore;
  redact: (text: string) => string;
  /** The run ids (`jetty-run` labels) of this window's live runs: their sandboxes stay. */
  liveRunIds: () => ReadonlySet<string>;
}

export function registerCleanUpSandboxes(context: vscode.ExtensionContext, deps: CleanUpDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('jetty.cleanUpSandboxes', (arg?: unknown) => cleanUp(deps, arg)),
  );
}

/** `{confirmed: true}` skips the confirmation, for scripts and tests. */
async function cleanUp({ keyStore, redact, liveRunIds }: CleanUpDeps, arg?: unknown): Promise<CleanUpResult> {
  const confirmed = Boolean(arg && typeof arg === 'object' && 'confirmed' in arg && arg.confirmed === true);
  await keyStore.load();
  const settings = readConfiguration();
  const local = settings.sandbox === 'local';
  const daytonaKey = local ? undefined : await keyStore.get('DAYTONA_API_KEY');
  if (!local && !daytonaKey) {
    const error: RunError = {
      message: 'No Daytona API key is set, so Daytona cannot be asked which sandboxes are left.',
      nextStep: 'Set DAYTONA_API_KEY, then clean up again.',
      actions: [{ kind: 'set-key', key: 'DAYTONA_API_KEY' }],
    };
    showRunError(error, redact);
    return { found: 0, deleted: [], error: 'DAYTONA_API_KEY is not set' };
  }
  const { daytonaApiUrl: apiUrl, daytonaTarget: target } = settings.provider;
  const provider: SandboxProvider = daytonaKey
    ? createDaytonaProvider({ apiKey: daytonaKey, apiUrl, target })
    : createLocalProvider();
  try {
    const own = liveRunIds();
    // Other windows' live runs cannot be told apart from a crash's leftovers: the confirmation says so.
    const found = (await provider.listLeftovers()).filter((leftover) => !own.has(leftover.labels['jetty-run'] ?? ''));
    if (found.length === 0) {
      void vscode.window.showInformationMessage(
        `Jetty: no ${local ? 'local sandbox folder' : 'Daytona sandbox'} is left behind.`,
      );
      return { found: 0, deleted: [] };
    }
    if (!confirmed) {
      const choice = await vscode.window.showWarningMessage(
        `Delete ${found.length} sandbox${found.length === 1 ? '' : 'es'} created by Jetty Runbooks?`,
        { modal: true, detail: 'Runs going on in other VS Code windows or terminals lose their sandbox too.' },
        'Delete',
      );
      if (choice !== 'Delete') return { found: found.length, deleted: [] };
    }
    const deleted: string[] = [];
    for (const { id } of found) {
      await provider.deleteLeftover(id);
      deleted.push(id);
    }
    void vscode.window.showInformationMessage(
      `Jetty: deleted ${deleted.length} sandbox${deleted.length === 1 ? '' : 'es'}.`,
    );
    return { found: found.length, deleted };
  } catch (error) {
    const explained = explainCleanUpFailure(error);
    showRunError(explained, redact);
    return { found: 0, deleted: [], error: redact(explained.message) };
  } finally {
    await provider.dispose().catch(() => undefined);
  }
}

function explainCleanUpFailure(error: unknown): RunError {
  if (!(error instanceof SandboxError)) return explainUnexpected(error);
  const actions: RunError['actions'] =
    error.kind === 'auth'
      ? [{ kind: 'set-key', key: 'DAYTONA_API_KEY' }]
      : error.kind === 'unreachable'
        ? [{ kind: 'open-setting', setting: 'jetty.daytona.apiUrl' }]
        : [];
  return { message: error.message, nextStep: error.nextStep, actions };
}
