// A declared secret whose environment variable is not a variable name: its `env` (`env: gh-token`), or, without `env`,
// its own name (`my-token`). What the run does then (plan.ts, keys.ts declaredSecrets): a bad `env` falls back to the
// secret's name when that is a variable name; otherwise the secret is neither asked for nor given to the agent.
import { isEnvName } from '../../keys';
import type { Rule, RuleFinding } from '../lint';
import { locate } from '../parse';

/** A variable name close to `text`: `my-token` → `MY_TOKEN`. */
function variableNameFor(text: string): string {
  const name = text.toUpperCase().replace(/[^A-Z0-9_]+/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name || 'SECRET';
}

const RULE_OF_NAMES = 'letters, digits and _, not starting with a digit';

export const secretEnvInvalid: Rule = {
  code: 'secret-env-invalid',
  severity: 'warning',
  description:
    'A declared secret with no valid environment variable name (its `env`, or its own name when it has no `env`).',
  check(runbook) {
    const frontMatter = runbook.frontMatter;
    const secrets = runbook.front.secrets;
    if (!frontMatter || !secrets || typeof secrets !== 'object' || Array.isArray(secrets)) return [];
    const found: RuleFinding[] = [];
    for (const [name, spec] of Object.entries(secrets as Record<string, unknown>)) {
      const env =
        spec && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Record<string, unknown>).env : undefined;
      if (typeof env === 'string') {
        const at = isEnvName(env) ? undefined : locate(frontMatter, ['secrets', name, 'env'])?.valueSpan;
        if (!at) continue;
        const outcome = isEnvName(name)
          ? `the agent gets the secret as \`$${name}\`, its own name, instead`
          : `the secret \`${name}\` is never asked for or given to the agent`;
        found.push({
          message: `\`env: ${env}\` is not an environment variable name (${RULE_OF_NAMES}): ${outcome}. Use a name such as \`${variableNameFor(env)}\`.`,
          range: runbook.range(at),
        });
      } else if (!isEnvName(name)) {
        const at = locate(frontMatter, ['secrets', name])?.keySpan;
        if (!at) continue;
        found.push({
          message: `The secret \`${name}\` has no environment variable to travel in (its name is not one: ${RULE_OF_NAMES}; and it has no \`env\`): the run never asks for it and the agent never gets it. Add \`env: ${variableNameFor(name)}\`.`,
          range: runbook.range(at),
        });
      }
    }
    return found;
  },
};
