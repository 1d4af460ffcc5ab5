// A parameter the Parameters section names as `{{name}}` that no step uses: the agent sees its value only in the
// Parameters table (Jetty fills it in there too). Rows of the `Parameter | Default | Description` shape without a `{{name}}` are left alone: most
// such rows are knobs the agent reads from the table itself (their default), not template variables.
import type { Rule } from '../lint';
import { isParameterName, parametersView } from '../parameters';

export const parameterUnused: Rule = {
  code: 'parameter-unused',
  severity: 'information',
  description: 'A parameter the Parameters section names as `{{name}}` that the body never uses.',
  check(runbook) {
    // A declaration this rule reports is a `{{name}}` in the body: without one there is nothing to read.
    if (!runbook.templateVariables.some((v) => isParameterName(v.name))) return [];
    return parametersView(runbook.parsed)
      .declarations.filter((p) => !p.used && p.declaredBy !== 'label')
      .map((p) => ({
        message: `\`{{${p.name}}}\` is declared as a parameter, but no step uses it: the agent sees its value only in the Parameters table.`,
        range: runbook.range(p.span),
      }));
  },
};
