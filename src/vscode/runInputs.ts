// What a run is asked for before it starts: a value for each run parameter (an input box each, prefilled with the value
// used last time for this runbook, else its default; Escape cancels the run) and, for "Run Runbook with Files…", the
// files to upload into {{assets_dir}}.
import path from 'node:path';
import * as vscode from 'vscode';
import { assetName, checkInputFiles, InputError } from '../core/run/inputs';
import type { InputFile } from '../core/run/plan';

/** A parameter as the run asks for it. */
export interface AskedParameter {
  name: string;
  description?: string;
  default?: string;
  required?: boolean;
}

const LAST_VALUES = 'jetty.run.parameters';

/**
 * A value for every parameter not `given`, asked one by one; undefined when the user pressed Escape (nothing starts).
 * A parameter left empty that is not required stays unfilled (the agent reads `{{name}}`, as on Jetty).
 */
export async function askParameters(
  state: vscode.Memento,
  runbook: vscode.Uri,
  parameters: readonly AskedParameter[],
  given: Readonly<Record<string, string>> = {},
): Promise<Record<string, string> | undefined> {
  const remembered = state.get<Record<string, Record<string, string>>>(LAST_VALUES, {});
  const last = remembered[runbook.toString()] ?? {};
  const values: Record<string, string> = { ...given };
  const asked = parameters.filter((p) => !Object.hasOwn(given, p.name));
  for (const [i, parameter] of asked.entries()) {
    const value = await vscode.window.showInputBox({
      title: `Jetty: {{${parameter.name}}} (${i + 1}/${asked.length})`,
      prompt: parameter.description || `The value of {{${parameter.name}}} in the runbook.`,
      value: last[parameter.name] ?? parameter.default ?? '',
      placeHolder: parameter.required ? 'required' : 'empty: the agent reads {{' + parameter.name + '}} as written',
      ignoreFocusOut: true,
      validateInput: (text) => (parameter.required && !text ? `{{${parameter.name}}} needs a value.` : undefined),
    });
    if (value === undefined) return undefined;
    if (value !== '') values[parameter.name] = value;
  }
  if (asked.length) await state.update(LAST_VALUES, { ...remembered, [runbook.toString()]: values });
  return values;
}

/** Files the user picks for the run, checked (plain, readable, distinct names, within the upload limit). */
export async function pickInputFiles(runbook: vscode.Uri): Promise<InputFile[] | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: 'Give to the Run',
    title: 'Jetty: files for the agent (uploaded into {{assets_dir}}, /app/assets)',
    defaultUri: vscode.Uri.file(path.dirname(runbook.fsPath)),
  });
  if (!picked?.length) return undefined;
  return inputFiles(picked);
}

/** Files given by URI (a script's, or the picker's), as the run takes them; a file that cannot be used is an InputError. */
export async function inputFiles(uris: readonly vscode.Uri[]): Promise<InputFile[]> {
  const files = uris.map((uri) => {
    if (uri.scheme !== 'file') throw new InputError(`${uri.toString()} is not a file on this machine`);
    return { name: assetName(uri.fsPath), path: uri.fsPath };
  });
  await checkInputFiles(files);
  return files;
}
