// What Jetty knows about agents (runtimes) and model providers, as data. Lint, completion, hover and run routing all read
// it from here, so a new agent or provider is a change to these tables, not to the code that uses them.
// Facts: ../shared/notes/jetty-runbooks.md and the runtime pages in ../shared/seeds/ (named in each `source`).

export const AGENT_IDS = ['claude-code', 'codex', 'gemini-cli', 'hermes', 'opencode'] as const;
export type AgentId = (typeof AGENT_IDS)[number];

export const PROVIDER_IDS = ['anthropic', 'openrouter', 'openai', 'google', 'bedrock'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface AgentInfo {
  id: AgentId;
  label: string;
  description: string;
  /** Providers the runtime can talk to, in Jetty's order of preference. */
  providers: readonly ProviderId[];
  /** The provider Jetty assumes when `model_provider` is missing (none for hermes: Jetty documents no default). */
  defaultProvider?: ProviderId;
  /** The model Jetty uses when `model` is missing. */
  defaultModel?: string;
  /** Whether this extension can run it (validation works for every agent). */
  runnable: boolean;
  source: string;
}

export const AGENTS: Record<AgentId, AgentInfo> = {
  'claude-code': {
    id: 'claude-code',
    label: 'Claude Code',
    description: "Anthropic's CLI agent; Jetty's default runtime. Anthropic-family models only, directly, via Bedrock, or through OpenRouter.",
    providers: ['anthropic', 'bedrock', 'openrouter'],
    defaultProvider: 'anthropic',
    defaultModel: 'claude-sonnet-4-6',
    runnable: true,
    source: 'seeds/000 (claude-code runtime page)',
  },
  codex: {
    id: 'codex',
    label: 'Codex',
    description: "OpenAI's CLI agent. OpenAI models, or other families through OpenRouter's OpenAI-shaped API.",
    providers: ['openai', 'openrouter'],
    defaultProvider: 'openai',
    // The codex page calls gpt-5.4 the default; another Jetty page says gpt-5.5. The runtime page wins here.
    defaultModel: 'gpt-5.4',
    runnable: true,
    source: 'seeds/003 (codex runtime page)',
  },
  'gemini-cli': {
    id: 'gemini-cli',
    label: 'Gemini CLI',
    description: "Google's CLI agent, for Gemini models through Google AI Studio.",
    providers: ['google'],
    defaultProvider: 'google',
    defaultModel: 'gemini-2.5-pro',
    runnable: false,
    source: 'notes/jetty-runbooks.md (docs.jetty.io runtime pages)',
  },
  hermes: {
    id: 'hermes',
    label: 'Hermes',
    description: "Jetty's multi-provider runtime: every Bedrock catalog model (DeepSeek, Zhipu GLM, Qwen...), Anthropic, OpenAI, OpenRouter and Google.",
    providers: ['bedrock', 'anthropic', 'openai', 'openrouter', 'google'],
    runnable: false,
    source: 'notes/jetty-runbooks.md (docs.jetty.io runtime pages)',
  },
  opencode: {
    id: 'opencode',
    label: 'OpenCode',
    description: 'The OpenCode CLI agent, through OpenRouter.',
    providers: ['openrouter'],
    defaultProvider: 'openrouter',
    runnable: false,
    source: 'notes/jetty-runbooks.md (docs.jetty.io runtime pages)',
  },
};

export interface ProviderInfo {
  id: ProviderId;
  label: string;
  source: string;
}

export const PROVIDERS: Record<ProviderId, ProviderInfo> = {
  anthropic: { id: 'anthropic', label: 'Anthropic', source: 'seeds/000' },
  bedrock: { id: 'bedrock', label: 'AWS Bedrock', source: 'seeds/000' },
  openrouter: { id: 'openrouter', label: 'OpenRouter', source: 'seeds/000, seeds/003' },
  openai: { id: 'openai', label: 'OpenAI', source: 'seeds/003' },
  google: { id: 'google', label: 'Google AI Studio', source: 'notes/jetty-runbooks.md' },
};

/** Jetty's rule for a runbook without `agent`: the model's family decides, claude-code otherwise. */
const AGENT_BY_MODEL: readonly { pattern: RegExp; agent: AgentId }[] = [
  { pattern: /^(claude-|anthropic\/)/, agent: 'claude-code' },
  { pattern: /^(gpt-|o1-|o3-|o4-)/, agent: 'codex' },
  { pattern: /^gemini-/, agent: 'gemini-cli' },
];

export const DEFAULT_AGENT: AgentId = 'claude-code';

export function inferAgent(model: string | undefined): AgentId {
  if (model) {
    for (const rule of AGENT_BY_MODEL) if (rule.pattern.test(model)) return rule.agent;
  }
  return DEFAULT_AGENT;
}

export function isAgentId(value: unknown): value is AgentId {
  return typeof value === 'string' && (AGENT_IDS as readonly string[]).includes(value);
}

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value);
}

/** The agent and provider a runbook will run with: what it declares, else what Jetty infers. */
export function resolveRuntime(front: { agent?: unknown; model?: unknown; model_provider?: unknown }): {
  agent: AgentId;
  provider: ProviderId | undefined;
  agentInferred: boolean;
  providerInferred: boolean;
} {
  const model = typeof front.model === 'string' ? front.model : undefined;
  const agent = isAgentId(front.agent) ? front.agent : inferAgent(model);
  const provider = isProviderId(front.model_provider) ? front.model_provider : AGENTS[agent].defaultProvider;
  return { agent, provider, agentInferred: !isAgentId(front.agent), providerInferred: !isProviderId(front.model_provider) };
}
