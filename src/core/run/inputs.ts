// What a run is given besides its runbook: run parameters (`--var NAME=VALUE`, or an example's input.json
// `params.vars`) and input files (`--file PATH`, or input.json `files`, relative to it), checked before anything starts.
import fs from 'node:fs';
import path from 'node:path';
import { runbookParameters } from '../runbook/parameters';
import { parseRunbook } from '../runbook/parse';
import type { InputFile } from './plan';
import { unfilledParameters } from './render';

/** Input files together may be this large: they are read into memory to be uploaded. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

export interface RunInputs {
  parameters: Record<string, string>;
  files: InputFile[];
}

/** A run parameter as a run asks for it. */
export interface RunParameter {
  name: string;
  description?: string;
  default?: string;
  required: boolean;
}

/**
 * The run parameters to ask for: those the runbook declares (with their defaults and descriptions) that can carry a
 * value to the agent, then any other `{{name}}` its body uses, in order.
 */
export function runParameters(text: string): RunParameter[] {
  const parsed = parseRunbook(text);
  const declared = runbookParameters(parsed)
    // A parameter named only by a table's words, and never written as {{name}}, has nowhere to put its value.
    .filter((p) => p.used || p.declaredBy === 'variable')
    .map(({ name, required, description, default: value }) => ({
      name,
      required,
      ...(description ? { description } : {}),
      ...(value !== undefined ? { default: value } : {}),
    }));
  const known = new Set(declared.map((p) => p.name));
  const undeclared = unfilledParameters(parsed.body, {}).filter((name) => !known.has(name));
  return [...declared, ...undeclared.map((name) => ({ name, required: false }))];
}

/** A reason the inputs cannot be used, in a sentence; nothing has started. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** `NAME=VALUE` as the parameter NAME, its value everything after the first `=`. */
export function parseVar(text: string): [string, string] {
  const at = text.indexOf('=');
  const name = at < 0 ? '' : text.slice(0, at).trim();
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(name)) {
    throw new InputError(`--var takes NAME=VALUE, with NAME as the runbook writes it in {{NAME}} (got "${text}")`);
  }
  if (name === 'secrets' || name.startsWith('secrets.')) {
    throw new InputError(
      `{{${name}}} is a secret, not a parameter: declare it under secrets and give it with --secret`,
    );
  }
  return [name, text.slice(at + 1)];
}

/** The name a file gets in {{assets_dir}}: one plain name, never a path out of the folder or a hidden file. */
export function assetName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  if (!base || base === '.' || base === '..' || base.startsWith('.') || base.includes('\0')) {
    throw new InputError(`"${name}" cannot be an input file's name: give a plain file name`);
  }
  return base;
}

/**
 * An example's input.json (`{"params": {"vars": {…}}, "files": [{"path", "filename"?}]}`, as Jetty's gallery keeps
 * them): its parameters as text and its files, their paths relative to the input.json's folder.
 */
export function readInputJson(text: string, file: string): RunInputs {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new InputError(`${file} is not a JSON object`);
  const record = data as { params?: unknown; files?: unknown };
  const params = record.params && typeof record.params === 'object' ? (record.params as Record<string, unknown>) : {};
  // Most examples keep their values under params.vars; a few put them straight in params.
  const vars = params.vars && typeof params.vars === 'object' ? (params.vars as Record<string, unknown>) : params;
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) {
    if (value === null || typeof value === 'object') continue;
    parameters[name] = String(value);
  }
  const files: InputFile[] = [];
  for (const entry of Array.isArray(record.files) ? record.files : []) {
    const spec = entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
    if (typeof spec.path !== 'string' || !spec.path)
      throw new InputError(`${file}: every entry of "files" needs a "path"`);
    const at = path.resolve(path.dirname(file), spec.path);
    files.push({ name: assetName(typeof spec.filename === 'string' && spec.filename ? spec.filename : at), path: at });
  }
  return { parameters, files };
}

/** Checks that every file is a readable plain file, that no two share a name, and that together they fit. */
export async function checkInputFiles(files: readonly InputFile[]): Promise<void> {
  const names = new Set<string>();
  let total = 0;
  for (const file of files) {
    if (names.has(file.name)) throw new InputError(`two input files are named ${file.name}: rename one`);
    names.add(file.name);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file.path);
    } catch {
      throw new InputError(`the input file ${file.path} does not exist or cannot be read`);
    }
    if (!stat.isFile()) throw new InputError(`the input file ${file.path} is not a file`);
    total += stat.size;
  }
  if (total > MAX_INPUT_BYTES) {
    throw new InputError(
      `the input files take ${Math.round(total / 1024 / 1024)} MB, more than the ${MAX_INPUT_BYTES / 1024 / 1024} MB a run can upload`,
    );
  }
}
