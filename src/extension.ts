// activate(): builds the services and registers each feature. No logic of its own: every feature lives in src/vscode/
// (one file each) over the pure core in src/core/.
import type * as vscode from 'vscode';
import { registerNotYetAvailable } from './vscode/notYetAvailable';

export function activate(context: vscode.ExtensionContext): void {
  registerNotYetAvailable(context);
}

export function deactivate(): void {}
