// jetty-runbook check: lints runbooks from a terminal or CI, with the editor's rules and the same severity overrides.
// Prints `path:line:col: severity code message` (1-based, readable by a VS Code problem matcher) or a JSON array.
// Exit: 0 no errors, 1 at least one error, 2 bad usage or unreadable input.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_RUNBOOK_PATTERN, hasRunbookFrontMatter, matchesRunbookPattern } from '../core/runbook/detect';
import { lint, RULES, type Finding } from '../core/runbook/lint';
import { parseRunbook } from '../core/runbook/parse';
import {
  LINT_RULE_OPTIONS,
  LINT_RULE_USAGE,
  UsageError,
  fileProblem,
  lintRulesFrom,
  readCommandLine,
  usageFailed,
  type Subcommand,
} from './common';

export const CHECK_USAGE = `usage: jetty-runbook check <paths…> [options]
  Lints runbooks: each file named, and every runbook under each directory named (markdown whose front-matter
  has \`agent\` or \`model\`, or whose path matches the runbook pattern; node_modules and dot-folders are skipped).
options:
  --format text|json        text (default): path:line:col: severity code message; json: an array of findings
${LINT_RULE_USAGE}                            (a config may also set "jetty.runbookFilePattern")
  --pattern <glob>          the runbook file pattern (default ${DEFAULT_RUNBOOK_PATTERN})
  --list-rules              print every rule's code, default severity and description
exit status: 0 no errors, 1 errors found, 2 bad usage or unreadable input
`;

const check: Subcommand = async (args) => {
  const line = readCommandLine('check', CHECK_USAGE, args, {
    ...LINT_RULE_OPTIONS,
    format: { type: 'string', default: 'text' },
    pattern: { type: 'string' },
    'list-rules': { type: 'boolean', default: false },
  });
  if (typeof line === 'number') return line;
  const { values, positionals: paths } = line;
  if (values['list-rules']) {
    for (const rule of RULES) process.stdout.write(`${rule.code}\t${levelWord(rule.severity)}\t${rule.description}\n`);
    return 0;
  }
  let options: { format: 'text' | 'json'; rules: Record<string, string>; pattern: string };
  try {
    if (values.format !== 'text' && values.format !== 'json')
      throw new UsageError(`--format must be text or json, not '${values.format}'`);
    if (!paths.length) throw new UsageError('no paths given');
    const { rules, pattern } = lintRulesFrom(values);
    // The flag wins over the config file.
    options = { format: values.format, rules, pattern: values.pattern ?? pattern ?? DEFAULT_RUNBOOK_PATTERN };
  } catch (error) {
    if (error instanceof UsageError) return usageFailed('check', CHECK_USAGE, error);
    throw error;
  }

  let unreadable = false;
  const files: string[] = [];
  for (const given of paths) {
    try {
      const stat = statSync(given);
      if (stat.isDirectory()) files.push(...walk(given));
      else files.push(given);
    } catch (error) {
      process.stderr.write(`jetty-runbook check: cannot read ${given}: ${fileProblem(error)}\n`);
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
      process.stderr.write(`jetty-runbook check: cannot read ${file}: ${fileProblem(error)}\n`);
      unreadable = true;
      continue;
    }
    // As in VS Code, the BOM is not part of the text: columns on line 1 then match the editor's.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const parsed = parseRunbook(text);
    const display = toDisplayPath(file);
    if (!matchesRunbookPattern(display, options.pattern) && !hasRunbookFrontMatter(parsed)) {
      if (paths.includes(file))
        process.stderr.write(
          `jetty-runbook check: ${display} is not a runbook (no agent or model in its front-matter), skipped\n`,
        );
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
      process.stdout.write(
        `${file}:${line + 1}:${character + 1}: ${levelWord(finding.severity)} ${finding.code} ${finding.message}\n`,
      );
    }
    const count = (s: Finding['severity']) => results.filter((r) => r.finding.severity === s).length;
    process.stderr.write(
      `${checked} runbook${checked === 1 ? '' : 's'} checked: ${count('error')} error(s), ${count('warning')} warning(s), ${count('information')} info\n`,
    );
  }
  if (unreadable) return 2;
  return results.some((r) => r.finding.severity === 'error') ? 1 : 0;
};

export default check;

/** Markdown files under a directory, in a stable order; node_modules and dot-folders are not runbook homes. */
function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
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
  return (relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file)
    .split(path.sep)
    .join('/');
}

function levelWord(severity: string): string {
  return severity === 'information' ? 'info' : severity;
}
