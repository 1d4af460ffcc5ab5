// A parameter the Parameters section names as `{{name}}` that no step uses: the agent sees its value only in the
// Parameters table (Jetty fills it in there too). Rows of the `Parameter | Default | Description` shape without a
// `{{name}}` are left alone: most such rows are knobs the agent reads from the table itself, not template variables.
import type { Rule, RuleFinding } from '../lint';
import { variableDeclarations } from '../parameters';

export const parameterUnused: Rule = {
  code: 'parameter-unused',
  severity: 'information',
  description: 'A parameter the Parameters section names as `{{name}}` that the body never uses.',
  check(runbook) {
    const { inParameters, used } = variableDeclarations(runbook.parsed);
    const findings: RuleFinding[] = [];
    for (const [name, span] of inParameters)
      if (!used.has(name))
        findings.push({
          message: `\`{{${name}}}\` is declared as a parameter, but no step uses it: the agent sees its value only in the Parameters table.`,
          range: runbook.range(span),
        });
    return findings;
  },
};
