#!/usr/bin/env node
// jetty-runbook: the extension's core from a terminal or CI. `check` lints runbooks, `replay` prints a saved
// trajectory, `run` runs a runbook, `compare` compares saved runs. Each subcommand lives in src/cli/<name>.ts and
// returns its exit code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { usage, type Subcommand } from './cli/common';
import { errorMessage } from './core/text';

const SUBCOMMANDS: Record<string, () => Promise<Subcommand>> = {
  check: async () => (await import('./cli/check')).default,
  compare: async () => (await import('./cli/compare')).default,
  replay: async () => (await import('./cli/replay')).default,
  run: async () => (await import('./cli/run')).default,
  schema: async () => (await import('./cli/schema')).default,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage(Object.keys(SUBCOMMANDS)));
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const load = SUBCOMMANDS[name];
  if (!load) {
    process.stderr.write(`jetty-runbook: unknown command '${name}'.\n${usage(Object.keys(SUBCOMMANDS))}`);
    return 2;
  }
  const command = await load();
  return command(rest);
}

/** Set by the build (esbuild.mjs `define`) to package.json's version; from source, package.json is read instead. */
declare const JETTY_VERSION: string | undefined;

function version(): string {
  if (typeof JETTY_VERSION === 'string') return JETTY_VERSION;
  return (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`jetty-runbook: ${errorMessage(error)}\n`);
    process.exitCode = 2;
  },
);
