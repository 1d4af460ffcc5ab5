// How a run's failure reaches the user: one error notification whose buttons take the next step the core named
// (set the key, open the setting, show the problems…). Shared by the run command and "Clean Up Sandboxes", so every
// error of a run reads and acts the same way.
import * as vscode from 'vscode';
import type { RunAction, RunError } from '../core/run/errors';
import { actionCommand } from './actions';

/**
 * Shows `error` with a button per action. Not awaited by callers: a command resolves while its notification is up.
 * `afterKeySet` runs when the user set a key through the notification (the run command uses it to go on).
 */
export function showRunError(
  error: RunError,
  redact: (text: string) => string,
  afterKeySet?: () => void,
  openRun?: () => void,
): void {
  const buttons: { title: string; action?: RunAction }[] = error.actions.map((action) => ({
    title: actionCommand(action).title,
    action,
  }));
  // A run that got as far as its own view: the view says what happened in full.
  if (openRun) buttons.unshift({ title: OPEN_RUN });
  const text = `Jetty: ${error.message.replace(/\n\s*/g, ' ')} ${error.nextStep}`;
  void vscode.window.showErrorMessage(redact(text), ...buttons).then(async (choice) => {
    if (!choice) return;
    if (!choice.action) return openRun?.();
    const done = await perform(choice.action);
    if (done && afterKeySet && choice.action.kind === 'set-key') afterKeySet();
  });
}

/** The button on a run's end notification that opens its run view. */
export const OPEN_RUN = 'Open Run';
export const OPEN_MAIN_OUTPUT = 'Open Main Output';

export function openSetting(setting: string): Thenable<unknown> {
  const { command, arguments: args = [] } = actionCommand({ kind: 'open-setting', setting });
  return vscode.commands.executeCommand(command, ...args);
}

/** Takes the action; resolves whether it got done (for set-key: whether the key is set now). */
async function perform(action: RunAction): Promise<boolean> {
  const { command, arguments: args = [] } = actionCommand(action);
  const result = await vscode.commands.executeCommand<{ set?: boolean } | undefined>(command, ...args);
  return action.kind === 'set-key' ? Boolean(result?.set) : true;
}
