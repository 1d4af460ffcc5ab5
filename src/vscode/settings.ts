// The extension's settings as one typed object per resource (a folder may set its own lint rules), read through the
// core's one table of settings (src/core/settings.ts), so no default or type is repeated in an adapter.
import * as vscode from 'vscode';
import { readSettings, type JettySettings } from '../core/settings';

export function readConfiguration(resource?: vscode.Uri): JettySettings {
  const config = vscode.workspace.getConfiguration(undefined, resource);
  return readSettings((id) => config.get(id));
}
