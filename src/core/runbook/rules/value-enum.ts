// A value outside its key's fixed set (agent, model_provider, evaluation, code_checks.executor...), with "did you mean".
import type { Rule } from '../lint';
import { closest } from '../spelling';

const NOUN: Readonly<Record<string, string>> = {
  agent: 'an agent Jetty knows',
  model_provider: 'a provider Jetty knows',
  evaluation: 'an evaluation mode',
};

/** What happens with a value outside the set, as far as it is documented. */
const CONSEQUENCE: Readonly<Record<string, string>> = {
  agent: 'Jetty has no runtime by that name to start',
  model_provider: 'Jetty routes models only through these, so the agent has no route to its model',
  evaluation: "Jetty's create-runbook validator rejects the runbook",
};

export const valueEnum: Rule = {
  code: 'value-enum',
  severity: 'error',
  description: 'A front-matter value is not one of the values its key allows.',
  check(runbook) {
    return runbook.schemaIssues
      .filter((issue) => issue.rule === 'value-enum')
      .map((issue) => {
        const key = issue.path.join('.');
        const values = (issue.issue.values ?? []).map(String);
        const source = runbook.parsed.text.slice(issue.span.start, issue.span.end);
        const suggestion = typeof issue.input === 'string' ? closest(issue.input, values) : undefined;
        const range = runbook.range(issue.span);
        return {
          message:
            `\`${source}\` is not ${NOUN[key] ?? `a value \`${key}\` allows`} (${values.join(', ')}): ${CONSEQUENCE[key] ?? 'Jetty documents no other value here, so it does not do what it says'}.` +
            (suggestion ? ` Did you mean \`${suggestion}\`?` : ''),
          range,
          fixes: suggestion
            ? [{ title: `Change to \`${suggestion}\``, edits: [{ range, newText: suggestion }], preferred: true }]
            : [],
        };
      });
  },
};
