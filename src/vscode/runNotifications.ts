// How a run's failure reaches the user: one error notification whose buttons take the next step the core named
// (set the key, open the setting, show the problems…). Shared by the run command and "Clean Up Sandboxes", so every
// error of a run reads and acts the same way.
import * as vscode from 'vscode';
import type { RunAction, RunError } from '../core/run/errors';

/**
 * Shows `error` with a button per action. Not awaited by callers: a command resolves while its notification is up.
 * `afterKeySet` runs when the user set a key through the notification (the run command uses it to go on).
 */
export function showRunError(error: RunError, redact: (text: string) => string, afterKeySet?: () => void): void {
  const buttons = error.actions.map((action) => ({ title: actionTitle(action), action }));
  const text = `Jetty: ${error.message.replace(/\n\s*/g, ' ')} ${error.nextStep}`;
  void vscode.window.showErrorMessage(redact(text), ...buttons).then(async (choice) => {
    if (!choice) return;
    const done = await perform(choice.action);
    if (done && afterKeySet && choice.action.kind === 'set-key') afterKeySet();
  });
}

export function openSetting(id: string): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', id);
}

function actionTitle(action: RunAction): string {
  switch (action.kind) {
    case 'set-key':
      return `Set ${action.key}`;
    case 'open-setting':
      return 'Open Settings';
    case 'show-problems':
      return 'Show Problems';
    case 'clean-up-sandboxes':
      return 'Clean Up Sandboxes';
    case 'show-output':
      return 'Show Output';
  }
}

/** Takes the action; resolves whether it got done (for set-key: whether the key is set now). */
async function perform(action: RunAction): Promise<boolean> {
  switch (action.kind) {
    case 'set-key': {
      const result = await vscode.commands.executeCommand<{ set?: boolean } | undefined>('jetty.setProviderKey', {
        name: action.key,
        kind: action.secret ? 'secret' : 'key',
      });
      return Boolean(result?.set);
    }
    case 'open-setting':
      await openSetting(action.setting);
      return true;
    case 'show-problems':
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      return true;
    case 'clean-up-sandboxes':
      await vscode.commands.executeCommand('jetty.cleanUpSandboxes');
      return true;
    case 'show-output':
      await vscode.commands.executeCommand('jetty.showOutput');
      return true;
  }
}
