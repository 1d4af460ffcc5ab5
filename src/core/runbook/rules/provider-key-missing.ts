// The key the runbook's provider needs is not set: the run would stop before it starts and ask for it. Said early, on
// `model` (or on the front-matter when there is no model), with a fix that opens "Jetty: Set Provider Key" for it.
// Quiet when the key store's state is unknown (the CLI, or the extension still reading SecretStorage), and for agent ×
// provider pairs that cannot run at all (other rules say why).
import type { Rule } from '../lint';
import { KEYS } from '../../keys';
import { PROVIDERS } from '../../catalog';
import { routeForRunbook } from '../../agents';

export const providerKeyMissing: Rule = {
  code: 'provider-key-missing',
  severity: 'information',
  description: 'The key the runbook’s provider needs is not set in the key store (checked in the editor only).',
  check(runbook, environment) {
    const isKeySet = environment.isKeySet;
    const frontMatter = runbook.frontMatter;
    if (!isKeySet || !frontMatter) return [];
    const { agentInvalid, providerInvalid } = runbook.runtime;
    if (agentInvalid || providerInvalid) return [];
    const route = routeForRunbook(runbook.front);
    if (!route.supported) return [];
    const range = runbook.entry('model')?.valueRange ?? frontMatter.openRange;
    return route.keys
      .filter((name) => isKeySet(name) === false)
      .map((name) => ({
        message: `${name} is not set: ${route.agent} with ${PROVIDERS[route.provider].label} needs the ${KEYS[name].label} to run this runbook.`,
        range,
        fixes: [
          {
            title: `Set ${name}…`,
            action: { kind: 'set-key', key: name },
            preferred: true,
          },
        ],
        data: { key: name },
      }));
  },
};
