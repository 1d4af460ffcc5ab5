// A value of the wrong type: a number where Jetty wants text, `yes` where it wants true, a map where it wants a list...
import type { Rule, RuleFinding } from '../lint';
import { yamlScalar } from '../edits';
import type { Runbook, SchemaIssue } from '../runbook';

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  yes: true,
  no: false,
  on: true,
  off: false,
  y: true,
  n: false,
};

export const valueType: Rule = {
  code: 'value-type',
  severity: 'error',
  description: 'A front-matter value has the wrong type.',
  check(runbook) {
    return runbook.schemaIssues.filter((issue) => issue.rule === 'value-type').map((issue) => finding(runbook, issue));
  },
};

function finding(runbook: Runbook, issue: SchemaIssue): RuleFinding {
  const key = issue.path.join('.');
  const range = runbook.range(issue.span);
  const source = runbook.parsed.text.slice(issue.span.start, issue.span.end);
  const expected = expectedWords(issue);
  const found = describe(issue.input);
  let message = `\`${key}\` must be ${expected}, but here it is ${found}: Jetty documents only ${expected} here, so the setting does not work as written.`;
  const fixes: RuleFinding['fixes'] = [];
  if (issue.issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean')) {
    // `version: 1.0` is the number 1 to YAML: quoting the source keeps what the author wrote.
    message = `\`${key}\` must be text, but YAML reads \`${source}\` as ${found}${typeof issue.input === 'number' && String(issue.input) !== source ? ` (${String(issue.input)})` : ''}. Quote it: "${source}".`;
    fixes.push({
      title: `Quote it: "${source}"`,
      edits: [{ range, newText: JSON.stringify(source) }],
      preferred: true,
    });
  } else if (
    issue.issue.expected === 'boolean' &&
    typeof issue.input === 'string' &&
    issue.input.toLowerCase() in BOOLEAN_WORDS
  ) {
    const value = BOOLEAN_WORDS[issue.input.toLowerCase()]!;
    message = `\`${key}\` must be true or false; \`${source}\` is the text "${issue.input}" in YAML 1.2, not ${value}: the setting does not work as written. Write ${value}.`;
    fixes.push({ title: `Write ${value}`, edits: [{ range, newText: yamlScalar(value) }], preferred: true });
  } else if (
    issue.issue.expected === 'boolean' &&
    typeof issue.input === 'string' &&
    /^(true|false)$/i.test(issue.input)
  ) {
    const value = issue.input.toLowerCase() === 'true';
    message = `\`${key}\` must be true or false, not the quoted text ${source}: the setting does not work as written. Write ${value} without quotes.`;
    fixes.push({ title: `Write ${value}`, edits: [{ range, newText: String(value) }], preferred: true });
  } else if (
    issue.issue.expected === 'number' &&
    typeof issue.input === 'string' &&
    /^\d+(\.\d+)?$/.test(issue.input.trim())
  ) {
    message = `\`${key}\` must be a number, not the quoted text ${source}: the setting does not work as written. Write ${issue.input.trim()} without quotes.`;
    fixes.push({
      title: `Write ${issue.input.trim()}`,
      edits: [{ range, newText: issue.input.trim() }],
      preferred: true,
    });
  }
  return { message, range, fixes };
}

function expectedWords(issue: SchemaIssue): string {
  if (issue.issue.code === 'invalid_union') return 'a path or a list of paths';
  if (issue.issue.code === 'too_small')
    return issue.issue.expected === 'number' || typeof issue.input === 'number' ? 'a positive number' : 'non-empty';
  switch (issue.issue.expected) {
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'number':
      return 'a number';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping of `key: value`';
    default:
      return issue.issue.expected ? `a ${issue.issue.expected}` : 'valid';
  }
}

function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value === '' ? 'empty text' : 'text';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return typeof value;
}
