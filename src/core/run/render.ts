// `{{secrets.NAME}}` in a runbook body becomes a reference to the environment variable that carries the secret, never
// its value: the prompt, and so the trajectory, never holds a secret. The run command must therefore hand the prompt
// to the agent without shell expansion (quoted, or through a file).
import { declaredSecrets, isEnvName } from '../keys';
import { TEMPLATE_VARIABLES } from '../catalog';
import { findTemplateVariables, renderTemplate, secretName } from '../runbook/template';

/**
 * A resolver for `renderTemplate`: `secrets.NAME` → `${VAR}`, where VAR is the secret's declared `env` or its own name.
 * Other variables (and names no shell could reference) are left to the caller: undefined. `${VAR}` is shell syntax the
 * agent's commands expand inside the sandbox (`git clone https://${GH_TOKEN}@github.com/…` works as written) and that
 * reads plainly in prose; the braces keep `{{secrets.TOKEN}}_x` from turning into the variable `$TOKEN_x`.
 */
export function secretReferenceResolver(front: { secrets?: unknown }): (variable: string) => string | undefined {
  const envByName = new Map(declaredSecrets(front).map((secret) => [secret.name, secret.env]));
  return (variable) => {
    const name = secretName(variable);
    if (name === undefined) return undefined;
    const env = envByName.has(name) ? envByName.get(name) : name;
    return env !== undefined && isEnvName(env) ? `\${${env}}` : undefined;
  };
}

/** The body with every `{{secrets.NAME}}` replaced by its environment-variable reference; other variables untouched. */
export function renderSecretReferences(body: string, front: { secrets?: unknown }): string {
  return renderTemplate(body, secretReferenceResolver(front));
}

const JETTY_VARIABLES = new Set(TEMPLATE_VARIABLES.map((v) => v.name));

/**
 * The body as the agent gets it, but for the sandbox's folders (filled in once the sandbox exists): `{{secrets.NAME}}`
 * as references, and each run parameter given a value. One pass, so a value is never read as a template itself.
 */
export function renderRunbookBody(
  body: string,
  front: { secrets?: unknown },
  parameters: Readonly<Record<string, string>>,
): string {
  const secret = secretReferenceResolver(front);
  return renderTemplate(body, (name) =>
    secretName(name) !== undefined
      ? secret(name)
      : JETTY_VARIABLES.has(name) || !Object.hasOwn(parameters, name)
        ? undefined
        : parameters[name],
  );
}

/** The run parameters the body uses that were given no value: on Jetty, as here, the agent reads their braces. */
export function unfilledParameters(body: string, parameters: Readonly<Record<string, string>>): string[] {
  const names = findTemplateVariables(body).map((v) => v.name);
  return [...new Set(names)].filter(
    (name) => secretName(name) === undefined && !JETTY_VARIABLES.has(name) && !Object.hasOwn(parameters, name),
  );
}
