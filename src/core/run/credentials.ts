// The keys and secrets a run needs (its provider's, the sandbox's, the runbook's own declared secrets), which of them
// are missing, and the environment that carries the secrets to the agent. Routes themselves are the agents' (agents/).
import { PROVIDERS } from '../catalog';
import { KEYS, declaredSecrets, type KeyValues } from '../keys';
import { routeForRunbook } from '../agents';

/** A key or secret a run uses: the provider's key, the sandbox's, and the runbook's declared secrets. */
export interface NeededKey {
  name: string;
  /** `key`: one of the registry's keys (keys.ts); `secret`: a runbook's own declared secret, stored apart from them. */
  kind: 'key' | 'secret';
  /** For a secret: the environment variable the agent reads it from (the CLI reads it from the same variable). */
  env?: string;
  label: string;
  /** Why the run needs it, to finish a sentence such as "OPENAI_API_KEY is not set: …". */
  why: string;
  /** A run cannot start without it; an optional secret is passed on when set and skipped when not. */
  required: boolean;
}

export interface RunOptions {
  /** Where the run happens: a Daytona sandbox needs DAYTONA_API_KEY, a local folder does not. */
  sandbox: 'daytona' | 'local';
}

/**
 * Every key and secret a runbook's run uses, in the order to ask for them: the provider's key, the sandbox's, then the
 * runbook's own secrets that the agent gets. An unsupported agent × provider needs no provider key (it does not run).
 */
export function keysNeeded(front: Record<string, unknown>, options: RunOptions): NeededKey[] {
  const route = routeForRunbook(front);
  const needed: NeededKey[] = [];
  if (route.supported) {
    for (const name of route.keys) {
      needed.push({
        name,
        kind: 'key',
        label: KEYS[name].label,
        why: `${route.agent} with ${PROVIDERS[route.provider].label} needs it`,
        required: true,
      });
    }
  }
  if (options.sandbox === 'daytona') {
    needed.push({
      name: 'DAYTONA_API_KEY',
      kind: 'key',
      label: KEYS.DAYTONA_API_KEY.label,
      why: 'the Daytona sandbox needs it',
      required: true,
    });
  }
  // A declared secret is always the runbook's own, stored apart from the provider keys even when it has a key's name:
  // a runbook must never be able to pull a stored key (say the Daytona key) into its sandbox by declaring it.
  for (const secret of declaredSecrets(front)) {
    // Not for the agent, or no variable could carry it to the agent (a name such as `my-token` without an `env`).
    if (!secret.exposeToAgent || secret.env === undefined) continue;
    needed.push({
      name: secret.name,
      kind: 'secret',
      env: secret.env,
      label: secret.description ?? `Runbook secret ${secret.name}`,
      why: 'the runbook declares it under secrets',
      required: secret.required,
    });
  }
  return needed;
}

/** The required keys and secrets `isSet` says are not set: the run stops before anything is created and asks for these. */
export function missingKeys(
  front: Record<string, unknown>,
  isSet: (key: NeededKey) => boolean,
  options: RunOptions,
): NeededKey[] {
  return keysNeeded(front, options).filter((key) => key.required && !isSet(key));
}

/**
 * The environment variables that carry the runbook's declared secrets to the agent (each under its declared `env`),
 * from values by secret name; secrets without a value, or not exposed to the agent, are left out.
 */
export function secretsEnvironment(front: Record<string, unknown>, values: KeyValues): Record<string, string> {
  const env: Record<string, string> = {};
  for (const secret of declaredSecrets(front)) {
    const value = values[secret.name];
    if (secret.exposeToAgent && secret.env !== undefined && value) env[secret.env] = value;
  }
  return env;
}
