// The agent registry: one adapter per runtime Jetty runs, and what is derived from it (routes, stream formats, CLI
// versions). A new runtime is one file beside this one, one line below, and its catalog entry.
import { AGENT_IDS, AGENTS, PROVIDERS, resolveRuntime, type AgentId, type ProviderId } from '../catalog';
import { KEYS, type KeyName, type KeyValues, type ProviderSettings } from '../keys';
import type { TrajectoryFormat } from '../trajectory/parser';
import type { AgentAdapter, AgentSetup } from './agent';
import { claudeCode } from './claude-code';
import { codex } from './codex';
import { geminiCli } from './gemini-cli';
import { hermes } from './hermes';
import { opencode } from './opencode';

export const ADAPTERS: Readonly<Record<AgentId, AgentAdapter>> = {
  'claude-code': claudeCode,
  codex,
  'gemini-cli': geminiCli,
  hermes,
  opencode,
};

export function adapterOf(agent: AgentId): AgentAdapter {
  return ADAPTERS[agent];
}

/** Every agent's stream format, to recognise a log of any of them (in the catalog's order: the first that owns a line
 * decides, and no line is owned by two). */
export const TRAJECTORY_FORMATS: readonly TrajectoryFormat[] = AGENT_IDS.map((id) => ADAPTERS[id].format);

/** The format a saved run's agent printed (every format when the agent is not known: it is then recognised). */
export function formatsOf(agent: string | undefined): TrajectoryFormat | readonly TrajectoryFormat[] {
  return TRAJECTORY_FORMATS.find((format) => format.id === agent) ?? TRAJECTORY_FORMATS;
}

/** The CLI versions installed when the settings say nothing. */
export const DEFAULT_VERSIONS: Readonly<Record<AgentId, string>> = Object.fromEntries(
  AGENT_IDS.map((id) => [id, ADAPTERS[id].cli.defaultVersion]),
) as Record<AgentId, string>;

export interface Route {
  supported: true;
  agent: AgentId;
  provider: ProviderId;
  /** The keys the agent's provider needs, from the key store (SecretStorage) or the CLI's environment. */
  keys: readonly KeyName[];
}

export interface UnsupportedRoute {
  supported: false;
  agent: AgentId;
  provider: ProviderId | undefined;
  /** Why, and what to use instead, in words a user can act on. */
  reason: string;
}

/** The route for an agent and provider (undefined: the agent's default, as Jetty infers it), or why there is none. */
export function findRoute(agent: AgentId, provider: ProviderId | undefined): Route | UnsupportedRoute {
  const chosen = provider ?? AGENTS[agent].defaultProvider;
  if (!chosen) return { supported: false, agent, provider, reason: `${agent} needs model_provider to be set.` };
  const route = ADAPTERS[agent].routes[chosen];
  if (route) return { supported: true, agent, provider: chosen, keys: route.keys };
  const instead = AGENT_IDS.filter((id) => id !== agent && AGENTS[id].providers.includes(chosen));
  return {
    supported: false,
    agent,
    provider: chosen,
    reason: `${agent} does not speak the ${PROVIDERS[chosen].label} API: use agent: ${instead.join(' or ')}.`,
  };
}

/** The route for a runbook's front-matter: its declared agent and model_provider, else what Jetty infers. */
export function routeForRunbook(front: {
  agent?: unknown;
  model?: unknown;
  model_provider?: unknown;
}): Route | UnsupportedRoute {
  const { agent, provider } = resolveRuntime(front);
  return findRoute(agent, provider);
}

/**
 * The environment and files the agent gets on this route. Throws if one of the route's keys has no value: the run
 * asks for missing keys before it gets here, so this is a programming error, not a user's.
 */
export function agentSetup(
  route: Route,
  input: { keys: KeyValues; settings: ProviderSettings; model?: string },
): AgentSetup {
  const rule = ADAPTERS[route.agent].routes[route.provider];
  if (!rule) throw new Error(`No route for ${route.agent} with ${route.provider}.`);
  const key = (name: KeyName): string => {
    const value = input.keys[name];
    if (!value) throw new Error(`${KEYS[name].label} (${name}) is not set.`);
    return value;
  };
  return rule.setup({ key, settings: input.settings, model: input.model });
}
