// `{{secrets.NAME}}` whose NAME the front-matter's `secrets` does not declare: only declared secrets reach the sandbox
// (Jetty's agents-and-models reference), and a run never asks for any other. Information, not a warning: Jetty's own
// programmatic template ships such a reference as an example to adapt, and the quick fix declares it in one step.
import { declareSecret } from '../edits';
import type { Rule } from '../lint';
import { secretName } from '../template';

export const templateSecretUndeclared: Rule = {
  code: 'template-secret-undeclared',
  severity: 'information',
  description: '`{{secrets.NAME}}` with NAME not declared under `secrets`.',
  check(runbook) {
    const secrets = runbook.front.secrets;
    const declared =
      secrets !== null && typeof secrets === 'object' && !Array.isArray(secrets)
        ? new Set(Object.keys(secrets))
        : new Set<string>();
    const fixFor = new Map<string, ReturnType<typeof declareSecret>>();
    return runbook.templateVariables.flatMap((v) => {
      const name = secretName(v.name);
      if (name === undefined || declared.has(name)) return [];
      if (!fixFor.has(name)) fixFor.set(name, declareSecret(runbook, name));
      const edits = fixFor.get(name);
      return [
        {
          message: `\`{{secrets.${name}}}\` uses a secret the front-matter does not declare: Jetty passes only declared secrets into the sandbox, and a run never asks for this one, so it comes out empty. Declare \`${name}\` under \`secrets:\`.`,
          range: runbook.range({ start: v.start, end: v.end }),
          fixes: edits ? [{ title: `Declare secret ${name}`, edits, preferred: true }] : [],
        },
      ];
    });
  },
};
