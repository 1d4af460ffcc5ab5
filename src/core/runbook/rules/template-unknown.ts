// `{{name}}` in the body that neither Jetty fills in nor the runbook declares as a parameter: the agent reads the braces
// literally unless a run happens to pass it. Fixes: the Jetty variable or declared parameter it is a typo of, or a row
// in the Parameters table (the section is created when there is none).
import { TEMPLATE_VARIABLES } from '../../catalog';
import { declareParameter } from '../edits';
import type { Rule, RuleFinding } from '../lint';
import { isParameterName, parametersView, variableDeclarations } from '../parameters';
import { closest } from '../spelling';

const KNOWN = TEMPLATE_VARIABLES.map((v) => v.name);

export const templateUnknown: Rule = {
  code: 'template-unknown',
  severity: 'warning',
  description: 'A `{{variable}}` in the body that Jetty does not fill in and the Parameters section does not declare.',
  check(runbook) {
    // Declared by being written in a Parameters or Inputs section, as nearly all are: no table needs reading.
    const { inParameters, inInputs } = variableDeclarations(runbook.parsed);
    const undeclared = runbook.templateVariables.filter(
      (v) => isParameterName(v.name) && !inParameters.has(v.name) && !inInputs.has(v.name),
    );
    if (undeclared.length === 0) return [];
    // The rest may be declared in words (`| Operation | … |` is `{{operation}}`).
    const declared = new Set(parametersView(runbook.parsed).declarations.map((d) => d.name));
    const candidates = [...KNOWN, ...declared];
    const declareFix = new Map<string, RuleFinding['fixes']>();
    return undeclared
      .filter((v) => !declared.has(v.name))
      .map((v) => {
        const suggestion = closest(v.name, candidates);
        const range = runbook.range({ start: v.start, end: v.end });
        const nameRange = runbook.range({ start: v.nameStart, end: v.nameEnd });
        if (!declareFix.has(v.name))
          declareFix.set(v.name, [
            { title: `Declare {{${v.name}}} in the Parameters table`, edits: declareParameter(runbook, v.name) },
          ]);
        const hint = suggestion
          ? `Did you mean \`{{${suggestion}}}\`?`
          : `Declare it in the runbook's \`## Parameters\` table so a run knows to pass it.`;
        return {
          message: `\`{{${v.name}}}\` is neither a variable Jetty fills in nor a parameter the runbook declares: the agent reads it literally unless the run passes \`${v.name}\`. ${hint}`,
          range,
          fixes: [
            ...(suggestion
              ? [
                  {
                    title: `Change to {{${suggestion}}}`,
                    edits: [{ range: nameRange, newText: suggestion }],
                    preferred: true,
                  },
                ]
              : []),
            ...declareFix.get(v.name)!,
          ],
        };
      });
  },
};
