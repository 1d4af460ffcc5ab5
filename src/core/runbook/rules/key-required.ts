// A nested object missing a key it cannot do without (an MCP server's `command`, a check source's `url`...).
import type { Rule } from '../lint';

/** Why each required key is required (the schema has these four). */
const CONSEQUENCE: Readonly<Record<string, string>> = {
  command: 'there is nothing to start for this MCP server',
  url: 'there is no repository to check out',
  type: 'Jetty checks out only `type: git` sources',
  name: 'the checked-out source has no folder name',
};

export const keyRequired: Rule = {
  code: 'key-required',
  severity: 'error',
  description: 'A nested setting lacks a key it needs (e.g. an MCP server without `command`).',
  check(runbook) {
    return runbook.schemaIssues
      .filter((issue) => issue.rule === 'key-required')
      .map((issue) => {
        const key = String(issue.path[issue.path.length - 1]);
        const owner = issue.path.slice(0, -1).join('.');
        return {
          message: `\`${owner}\` has no \`${key}\`, which it cannot do without: ${CONSEQUENCE[key] ?? 'Jetty cannot use it as written'}. Add \`${key}:\` under it.`,
          range: runbook.range(issue.span),
        };
      });
  },
};
