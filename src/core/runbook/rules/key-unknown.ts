// A key the runbook format does not have (at any level the schema describes): Jetty ignores it, usually a typo.
import type { Rule } from '../lint';
import { keysAt } from '../schema';
import { closest } from '../spelling';

export const keyUnknown: Rule = {
  code: 'key-unknown',
  severity: 'warning',
  description: 'A front-matter key Jetty does not know (with a "did you mean").',
  check(runbook) {
    // What a mapping could still have is worked out once per mapping: per key, it made 10,000 unknown keys quadratic.
    const candidates = new Map<string, { known: string[]; missing: string[] }>();
    const candidatesAt = (parent: readonly (string | number)[]) => {
      const id = JSON.stringify(parent);
      let found = candidates.get(id);
      if (!found) {
        const known = keysAt(parent).map((k) => k.name);
        const present = valueAt(runbook.front, parent) ?? {};
        found = { known, missing: known.filter((k) => !Object.hasOwn(present, k)) };
        candidates.set(id, found);
      }
      return found;
    };
    return runbook.schemaIssues
      .filter((issue) => issue.rule === 'key-unknown')
      .map((issue) => {
        const key = String(issue.path[issue.path.length - 1]);
        const parent = issue.path.slice(0, -1);
        const { known, missing } = candidatesAt(parent);
        const suggestion = closest(key, missing);
        const where = parent.length ? ` in \`${parent.join('.')}\`` : '';
        const message = suggestion
          ? `\`${key}\` is not a runbook key${where}: Jetty ignores it. Did you mean \`${suggestion}\`?`
          : `\`${key}\` is not a runbook key${where}: Jetty ignores it. Known keys: ${known.map((k) => `\`${k}\``).join(', ')}.`;
        const range = runbook.range(issue.span);
        return {
          message,
          range,
          fixes: suggestion
            ? [{ title: `Rename to \`${suggestion}\``, edits: [{ range, newText: suggestion }], preferred: true }]
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
