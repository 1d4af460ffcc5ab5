// The core's actions (src/core/actions.ts) as VS Code commands: the one place that says which command sets a key,
// opens a setting or shows the problems, for quick fixes and for the buttons of run errors alike.
import type * as vscode from 'vscode';
import type { Action } from '../core/actions';

export function actionCommand(action: Action): vscode.Command {
  switch (action.kind) {
    case 'set-key':
      return {
        title: `Set ${action.key}`,
        command: 'jetty.setProviderKey',
        arguments: [{ name: action.key, ...(action.secret ? { kind: 'secret' } : {}) }],
      };
    case 'open-setting':
      return { title: 'Open Settings', command: 'workbench.action.openSettings', arguments: [action.setting] };
    case 'show-problems':
      return { title: 'Show Problems', command: 'workbench.actions.view.problems' };
    case 'clean-up-sandboxes':
      return { title: 'Clean Up Sandboxes', command: 'jetty.cleanUpSandboxes' };
    case 'show-output':
      return { title: 'Show Output', command: 'jetty.showOutput' };
  }
}
