// `{{name}}` in the body that Jetty does not fill in: the agent reads the braces literally unless the run passes it.
import { TEMPLATE_VARIABLES } from '../../catalog';
import type { Rule } from '../lint';
import { closest } from '../spelling';
import { secretName } from '../template';

const KNOWN = TEMPLATE_VARIABLES.map((v) => v.name);

export const templateUnknown: Rule = {
  code: 'template-unknown',
  severity: 'warning',
  description: 'A `{{variable}}` in the body that Jetty does not know.',
  check(runbook) {
    return runbook.templateVariables
      .filter((v) => !KNOWN.includes(v.name) && secretName(v.name) === undefined)
      .map((v) => {
        const suggestion = closest(v.name, KNOWN);
        const range = runbook.range({ start: v.start, end: v.end });
        const nameRange = runbook.range({ start: v.nameStart, end: v.nameEnd });
        return {
          message: `\`{{${v.name}}}\` is not a variable Jetty fills in: the agent reads it literally unless the run passes \`${v.name}\` as a template variable. ${suggestion ? `Did you mean \`{{${suggestion}}}\`?` : `Jetty fills in ${KNOWN.map((k) => `{{${k}}}`).join(', ')} and {{secrets.NAME}}.`}`,
          range,
          fixes: suggestion
            ? [
                {
                  title: `Change to {{${suggestion}}}`,
                  edits: [{ range: nameRange, newText: suggestion }],
                  preferred: true,
                },
              ]
            : [],
        };
      });
  },
};
