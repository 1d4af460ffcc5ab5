// What every jetty-runbook subcommand shares: its signature, reading its command line (node:util parseArgs, with
// `--help` on stdout and exit 0, bad usage on stderr and exit 2), a file error in words, and the lint-rule options
// (`--rule`, `--config`) that `check` and `run` both take.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
// The ESM build: the UMD one (package main) loads its parts with a require() esbuild cannot follow.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { RULES, SEVERITY_SETTINGS } from '../core/runbook/lint';
import { errorMessage } from '../core/text';

/** A subcommand takes its arguments (after its name) and resolves to the process exit code. */
export type Subcommand = (args: string[]) => Promise<number>;

export function usage(commands: string[]): string {
  const list = commands.length ? commands.join(' | ') : '(none yet)';
  return `usage: jetty-runbook <command> [options]\n  commands: ${list}\n  jetty-runbook <command> --help: its options\n`;
}

/** Bad usage, in words that finish "jetty-runbook <command>: …": exit code 2 with the usage text. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

/**
 * The subcommand's options and positionals, or its exit code when there is nothing to run: 0 after printing the usage
 * for `--help`/`-h`, 2 after saying what is wrong (then the usage) on stderr.
 */
export function readCommandLine<O extends Options>(
  command: string,
  usageText: string,
  args: string[],
  options: O,
): Parsed<O> | number {
  if (args.some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(usageText);
    return 0;
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    return usageFailed(command, usageText, new UsageError(parseArgsProblem(error)));
  }
}

/** Says what is wrong with the command line, then the usage, on stderr; returns exit code 2. */
export function usageFailed(command: string, usageText: string, error: UsageError): number {
  process.stderr.write(`jetty-runbook ${command}: ${error.message}\n${usageText}`);
  return 2;
}

/** node's parseArgs messages, shortened to what a user needs ("unknown option '--x'", "--format needs a value"). */
function parseArgsProblem(error: unknown): string {
  const message = errorMessage(error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option '${unknown[1]}'`;
  const missing = /^Option '(-\S+)(?:, (-\S+))? <value>' argument missing/.exec(message);
  if (missing) return `${missing[2] ?? missing[1]} needs a value`;
  const noValue = /^Option '(-\S+)(?:, (-\S+))?' does not take an argument/.exec(message);
  if (noValue) return `${noValue[2] ?? noValue[1]} takes no value`;
  return message;
}

/** Why a file could not be read, in words ("no such file", "permission denied", "it is a folder"). */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return errorMessage(error);
}

/** `--rule <code>=<level>` (repeatable) and `--config <file>`: the severity overrides of jetty.lint.rules. */
export const LINT_RULE_OPTIONS = {
  rule: { type: 'string', multiple: true },
  config: { type: 'string' },
} as const satisfies Options;

export const LINT_RULE_USAGE = `  --rule <code>=<level>     change a rule's severity: error, warning, info (or information), off; repeatable
  --config <file>           JSON (comments allowed) with "jetty.lint.rules" or "rules" (code → level); a VS Code
                            settings.json works as it is
`;

/** The severity overrides from --config, then --rule (flags win), and the config's runbook pattern. Throws UsageError. */
export function lintRulesFrom(values: { rule?: string[]; config?: string }): {
  rules: Record<string, string>;
  pattern?: string;
} {
  const fromConfig = values.config === undefined ? { rules: {} } : readConfig(values.config);
  const rules: Record<string, string> = { ...fromConfig.rules };
  for (const spec of values.rule ?? []) {
    const at = spec.indexOf('=');
    if (at <= 0) throw new UsageError(`--rule wants <code>=<level>, not '${spec}'`);
    rules[checkCode(spec.slice(0, at))] = normaliseLevel(spec.slice(at + 1), `--rule ${spec}`);
  }
  return fromConfig.pattern ? { rules, pattern: fromConfig.pattern } : { rules };
}

function checkCode(code: string): string {
  if (!RULES.some((r) => r.code === code))
    throw new UsageError(`unknown rule '${code}' (see jetty-runbook check --list-rules)`);
  return code;
}

function normaliseLevel(level: string, where: string): string {
  const normal = level === 'info' ? 'information' : level;
  if (!(SEVERITY_SETTINGS as readonly string[]).includes(normal))
    throw new UsageError(`${where}: level must be error, warning, info or off, not '${level}'`);
  return normal;
}

function readConfig(file: string): { rules: Record<string, string>; pattern?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config ${file}: ${fileProblem(error)}`);
  }
  const errors: ParseError[] = [];
  const data: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length)
    throw new UsageError(
      `config ${file} is not valid JSON: ${printParseErrorCode(errors[0]!.error)} at offset ${errors[0]!.offset}`,
    );
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new UsageError(`config ${file} must hold a JSON object`);
  const object = data as Record<string, unknown>;
  const rules = object['jetty.lint.rules'] ?? object.rules ?? {};
  if (rules === null || typeof rules !== 'object' || Array.isArray(rules))
    throw new UsageError(`config ${file}: "jetty.lint.rules" must be an object of code → level`);
  const out: Record<string, string> = {};
  for (const [code, level] of Object.entries(rules as Record<string, unknown>)) {
    out[checkCode(code)] = normaliseLevel(String(level), `config ${file}, rule ${code}`);
  }
  const pattern = object['jetty.runbookFilePattern'] ?? object.pattern;
  return typeof pattern === 'string' && pattern ? { rules: out, pattern } : { rules: out };
}
