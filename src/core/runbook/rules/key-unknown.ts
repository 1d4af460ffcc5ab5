// A key the runbook format does not have (at any level the schema describes): Jetty ignores it, usually a typo.
import type { Rule } from '../lint';
import { keysAt } from '../schema';
import { closest } from '../spelling';

export const keyUnknown: Rule = {
  code: 'key-unknown',
  severity: 'warning',
  description: 'A front-matter key Jetty does not know (with a "did you mean").',
  check(runbook) {
    return runbook.schemaIssues
      .filter((issue) => issue.rule === 'key-unknown')
      .map((issue) => {
        const key = String(issue.path[issue.path.length - 1]);
        const parent = issue.path.slice(0, -1);
        const known = keysAt(parent).map((k) => k.name);
        const present = new Set(Object.keys(valueAt(runbook.front, parent) ?? {}));
        const suggestion = closest(
          key,
          known.filter((k) => !present.has(k)),
        );
        const where = parent.length ? ` in \`${parent.join('.')}\`` : '';
        const message = suggestion
          ? `\`${key}\` is not a runbook key${where}: Jetty ignores it. Did you mean \`${suggestion}\`?`
          : `\`${key}\` is not a runbook key${where}: Jetty ignores it. Known keys: ${known.map((k) => `\`${k}\``).join(', ')}.`;
        return {
          message,
          range: runbook.range(issue.span),
          fixes: suggestion
            ? [
                {
                  title: `Rename to \`${suggestion}\``,
                  edits: [{ range: runbook.range(issue.span), newText: suggestion }],
                  preferred: true,
                },
              ]
            : [],
        };
      });
  },
};

function valueAt(data: unknown, path: readonly (string | number)[]): object | undefined {
  let value = data;
  for (const step of path)
    value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[step] : undefined;
  return value !== null && typeof value === 'object' ? value : undefined;
}
