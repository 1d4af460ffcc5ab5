// The provider a run uses, chosen as Jetty's runner chooses it: the runbook's own when its key is here, else the first
// other provider the agent reaches (in the catalog's order) whose key is here, with the same model's ID there.
import { adapterOf } from '../agents';
import { AGENTS, defaultModel, modelOn, PROVIDERS, resolveRuntime, type ProviderId } from '../catalog';
import type { KeyName } from '../keys';

/** Another provider than the runbook's, and why. */
export interface ProviderSwitch {
  provider: ProviderId;
  model: string;
  /** What the runbook asked for. */
  from: { provider: ProviderId; model?: string };
  /** One sentence for the output and run.json. */
  note: string;
}

/**
 * The switch to make, or undefined to run as written (its keys are here, `strict` forbids a switch, its provider is not
 * one the agent speaks, or no other provider has its key and knows the model). `hasKeys` is asked about one provider's
 * keys at a time, so only the keys of the providers tried are ever read.
 */
export async function chooseProvider(
  front: { agent?: unknown; model?: unknown; model_provider?: unknown },
  hasKeys: (keys: readonly KeyName[]) => Promise<boolean>,
  strict: boolean,
): Promise<ProviderSwitch | undefined> {
  const { agent, provider: declared } = resolveRuntime(front);
  const routes = adapterOf(agent).routes;
  const route = declared && routes[declared];
  if (strict || !declared || !route || (await hasKeys(route.keys))) return undefined;
  const model = typeof front.model === 'string' && front.model ? front.model : undefined;
  for (const provider of AGENTS[agent].providers) {
    const other = routes[provider];
    if (provider === declared || !other) continue;
    // A model Jetty names only under the runbook's provider cannot follow it elsewhere.
    const there = model ? modelOn(model, provider) : defaultModel(agent, provider);
    if (!there || !(await hasKeys(other.keys))) continue;
    const note = `${PROVIDERS[declared].label} has no key here: running on ${PROVIDERS[provider].label} as ${there}, as Jetty does.`;
    return { provider, model: there, from: { provider: declared, ...(model ? { model } : {}) }, note };
  }
  return undefined;
}
