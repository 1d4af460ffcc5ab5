// jetty-runbook check: lints runbooks from a terminal or CI, with the editor's rules and the same severity overrides.
// Prints `path:line:col: severity code message` (1-based, readable by a VS Code problem matcher) or a JSON array.
// Exit: 0 no errors, 1 at least one error, 2 bad usage or unreadable input.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
// The ESM build: the UMD one (package main) loads its parts with a require() esbuild cannot follow.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { DEFAULT_RUNBOOK_PATTERN, hasRunbookFrontMatter, matchesRunbookPattern } from '../core/runbook/detect';
import { lint, RULES, SEVERITY_SETTINGS, type Finding } from '../core/runbook/lint';
import { parseRunbook } from '../core/runbook/parse';
import type { Subcommand } from './common';

export const CHECK_USAGE = `usage: jetty-runbook check <paths…> [options]
  Lints runbooks: each file named, and every runbook under each directory named (markdown whose front-matter
  has \`agent\` or \`model\`, or whose path matches the runbook pattern; node_modules and dot-folders are skipped).
options:
  --format text|json      text (default): path:line:col: severity code message; json: an array of findings
  --rule <code>=<level>   change a rule's severity: error, warning, info (or information), off; repeatable
  --config <file>         JSON (comments allowed) with "jetty.lint.rules" or "rules" (code → level) and optionally
                          "jetty.runbookFilePattern"; a VS Code settings.json works as it is
  --pattern <glob>        the runbook file pattern (default ${DEFAULT_RUNBOOK_PATTERN})
  --list-rules            print every rule's code, default severity and description
exit status: 0 no errors, 1 errors found, 2 bad usage or unreadable input
`;

class UsageError extends Error {}

interface Options {
  format: 'text' | 'json';
  rules: Record<string, string>;
  pattern: string;
  paths: string[];
  listRules: boolean;
  help: boolean;
}

const check: Subcommand = async (args) => {
  let options: Options;
  try {
    options = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`jetty-runbook check: ${error.message}\n${CHECK_USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(CHECK_USAGE);
    return 0;
  }
  if (options.listRules) {
    for (const rule of RULES) process.stdout.write(`${rule.code}\t${levelWord(rule.severity)}\t${rule.description}\n`);
    return 0;
  }

  let unreadable = false;
  const files: string[] = [];
  for (const given of options.paths) {
    try {
      const stat = statSync(given);
      if (stat.isDirectory()) files.push(...walk(given));
      else files.push(given);
    } catch (error) {
      process.stderr.write(`jetty-runbook check: cannot read ${given}: ${reason(error)}\n`);
      unreadable = true;
    }
  }

  const results: { file: string; finding: Finding }[] = [];
  let checked = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      process.stderr.write(`jetty-runbook check: cannot read ${file}: ${reason(error)}\n`);
      unreadable = true;
      continue;
    }
    // As in VS Code, the BOM is not part of the text: columns on line 1 then match the editor's.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const parsed = parseRunbook(text);
    const display = toDisplayPath(file);
    if (!matchesRunbookPattern(display, options.pattern) && !hasRunbookFrontMatter(parsed)) {
      if (options.paths.includes(file)) process.stderr.write(`jetty-runbook check: ${display} is not a runbook (no agent or model in its front-matter), skipped\n`);
      continue;
    }
    checked++;
    for (const finding of lint(parsed, { rules: options.rules })) results.push({ file: display, finding });
  }

  if (options.format === 'json') {
    const out = results.map(({ file, finding }) => ({
      file,
      line: finding.range.start.line + 1,
      column: finding.range.start.character + 1,
      endLine: finding.range.end.line + 1,
      endColumn: finding.range.end.character + 1,
      severity: levelWord(finding.severity),
      code: finding.code,
      message: finding.message,
    }));
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    for (const { file, finding } of results) {
      const { line, character } = finding.range.start;
      process.stdout.write(`${file}:${line + 1}:${character + 1}: ${levelWord(finding.severity)} ${finding.code} ${finding.message}\n`);
    }
    const count = (s: Finding['severity']) => results.filter((r) => r.finding.severity === s).length;
    process.stderr.write(`${checked} runbook${checked === 1 ? '' : 's'} checked: ${count('error')} error(s), ${count('warning')} warning(s), ${count('information')} info\n`);
  }
  if (unreadable) return 2;
  return results.some((r) => r.finding.severity === 'error') ? 1 : 0;
};

export default check;

function parseArgs(args: string[]): Options {
  const options: Options = { format: 'text', rules: {}, pattern: DEFAULT_RUNBOOK_PATTERN, paths: [], listRules: false, help: false };
  const fromFlags: Record<string, string> = {};
  let config: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const format = value();
        if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
        options.format = format;
        break;
      }
      case '--rule': {
        const [code, level] = splitRule(value());
        fromFlags[code] = level;
        break;
      }
      case '--config':
        config = value();
        break;
      case '--pattern':
        options.pattern = value();
        break;
      case '--list-rules':
        options.listRules = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        return options;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        options.paths.push(arg);
    }
  }
  if (config !== undefined) {
    const fromConfig = readConfig(config);
    Object.assign(options.rules, fromConfig.rules);
    if (fromConfig.pattern) options.pattern = fromConfig.pattern;
  }
  // Flags win over the config file.
  Object.assign(options.rules, fromFlags);
  if (!options.listRules && options.paths.length === 0) throw new UsageError('no paths given');
  return options;
}

function splitRule(spec: string): [string, string] {
  const at = spec.indexOf('=');
  if (at <= 0) throw new UsageError(`--rule wants <code>=<level>, not '${spec}'`);
  return [checkCode(spec.slice(0, at)), normaliseLevel(spec.slice(at + 1), `--rule ${spec}`)];
}

function checkCode(code: string): string {
  if (!RULES.some((r) => r.code === code)) throw new UsageError(`unknown rule '${code}' (see --list-rules)`);
  return code;
}

function normaliseLevel(level: string, where: string): string {
  const normal = level === 'info' ? 'information' : level;
  if (!(SEVERITY_SETTINGS as readonly string[]).includes(normal)) throw new UsageError(`${where}: level must be error, warning, info or off, not '${level}'`);
  return normal;
}

function readConfig(file: string): { rules: Record<string, string>; pattern?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config ${file}: ${reason(error)}`);
  }
  const errors: ParseError[] = [];
  const data: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length) throw new UsageError(`config ${file} is not valid JSON: ${printParseErrorCode(errors[0]!.error)} at offset ${errors[0]!.offset}`);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`config ${file} must hold a JSON object`);
  const object = data as Record<string, unknown>;
  const rules = object['jetty.lint.rules'] ?? object.rules ?? {};
  if (rules === null || typeof rules !== 'object' || Array.isArray(rules)) throw new UsageError(`config ${file}: "jetty.lint.rules" must be an object of code → level`);
  const out: Record<string, string> = {};
  for (const [code, level] of Object.entries(rules as Record<string, unknown>)) {
    out[checkCode(code)] = normaliseLevel(String(level), `config ${file}, rule ${code}`);
  }
  const pattern = object['jetty.runbookFilePattern'] ?? object.pattern;
  return typeof pattern === 'string' && pattern ? { rules: out, pattern } : { rules: out };
}

/** Markdown files under a directory, in a stable order; node_modules and dot-folders are not runbook homes. */
function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      out.push(...walk(full));
    } else if (entry.isFile() && /\.(md|markdown)$/i.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

function toDisplayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return (relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file).split(path.sep).join('/');
}

function levelWord(severity: string): string {
  return severity === 'information' ? 'info' : severity;
}

function reason(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
