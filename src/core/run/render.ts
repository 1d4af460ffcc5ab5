// `{{secrets.NAME}}` in a runbook body becomes a reference to the environment variable that carries the secret, never
// its value: the prompt, and so the trajectory, never holds a secret. The reference is written `${VAR}`, shell syntax the
// agent's commands expand inside the sandbox (`git clone https://${GH_TOKEN}@github.com/…` works as written) and that
// reads plainly in prose; the braces keep `{{secrets.TOKEN}}_x` from turning into the variable `$TOKEN_x`.
// The run command must therefore hand the prompt to the agent without shell expansion (quoted, or through a file).
import { declaredSecrets, isEnvName } from '../keys';
import { renderTemplate, secretName } from '../runbook/template';

/**
 * A resolver for `renderTemplate`: `secrets.NAME` → `${VAR}`, where VAR is the secret's declared `env` or its own name.
 * Other variables (and names no shell could reference) are left to the caller: undefined.
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
