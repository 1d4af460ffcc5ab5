// Lint: runs every rule in rules/ over a runbook and returns findings as plain data (the editor turns them into
// diagnostics and code actions, the CLI into lines or JSON). A rule is a small module with a stable code and a default
// severity; settings (`jetty.lint.rules`, `--rule`) change any rule's severity or switch it off by its code.
import type { Action } from '../actions';
import { parseRunbook, type ParsedRunbook } from './parse';
import { Runbook } from './runbook';
import { RULES } from './rules';
import type { Range } from './text';

export type Severity = 'error' | 'warning' | 'information';
export type SeveritySetting = Severity | 'off';
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'information', 'off'];

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix is either edits to the runbook or an action for the host to take (e.g. "Set key…"). */
export type Fix =
  { title: string; edits: TextEdit[]; preferred?: boolean } | { title: string; action: Action; preferred?: boolean };

export interface Finding {
  code: string;
  severity: Severity;
  /** What will happen at run time and how to fix it, on one line. */
  message: string;
  range: Range;
  fixes: Fix[];
  data?: unknown;
}

/** What a rule reports; lint adds the code and the severity in force. */
export type RuleFinding = Omit<Finding, 'code' | 'severity' | 'fixes'> & { fixes?: Fix[] };

/** Facts from outside the document that some rules need; every member is optional and a rule without its fact stays quiet. */
export interface LintEnvironment {
  /** Whether a provider key (by its environment variable name) is set; undefined when not known. */
  isKeySet?: (envVar: string) => boolean | undefined;
  /** Snapshot names known beyond Jetty's own (the keys of `jetty.daytona.snapshots`). */
  snapshots?: readonly string[];
}

export interface Rule {
  /** Stable: settings, docs and users' overrides refer to it. */
  code: string;
  severity: Severity;
  /** One line for docs and `jetty-runbook check --rules`. */
  description: string;
  check(runbook: Runbook, environment: LintEnvironment): RuleFinding[];
}

export interface LintOptions {
  /** code → severity or 'off'; unknown codes and values are ignored. */
  rules?: Readonly<Record<string, string>>;
}

export function lint(
  runbook: ParsedRunbook | string,
  options: LintOptions = {},
  environment: LintEnvironment = {},
): Finding[] {
  const view = new Runbook(typeof runbook === 'string' ? parseRunbook(runbook) : runbook);
  const findings: Finding[] = [];
  // Settings that were not read can be neither judged nor used to judge the body: only the rules about the block itself.
  const rules = view.frontMatter?.tooLarge ? RULES.filter((rule) => UNREAD_FRONT_MATTER_RULES.has(rule.code)) : RULES;
  for (const rule of rules) {
    const severity = severityFor(rule, options.rules);
    if (severity === 'off') continue;
    for (const found of rule.check(view, environment)) {
      findings.push({
        code: rule.code,
        severity,
        message: found.message,
        range: found.range,
        fixes: found.fixes ?? [],
        ...(found.data === undefined ? {} : { data: found.data }),
      });
    }
  }
  return findings.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

const UNREAD_FRONT_MATTER_RULES: ReadonlySet<string> = new Set(['frontmatter-unclosed', 'frontmatter-too-large']);

export function severityFor(rule: Rule, overrides: Readonly<Record<string, string>> | undefined): SeveritySetting {
  const setting = overrides?.[rule.code];
  return setting !== undefined && (SEVERITY_SETTINGS as readonly string[]).includes(setting)
    ? (setting as SeveritySetting)
    : rule.severity;
}

export { RULES };
