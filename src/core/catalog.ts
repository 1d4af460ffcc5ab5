// What Jetty knows about agents (runtimes), model providers, models, snapshots and template variables, as data. Lint,
// completion, hover and run routing all read it from here, so a new agent, provider or model is a change to these tables
// (adding a model is one line in MODELS), not to the code that uses them.
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
  source: string;
}

export const AGENTS: Record<AgentId, AgentInfo> = {
  'claude-code': {
    id: 'claude-code',
    label: 'Claude Code',
    description:
      "Anthropic's CLI agent; Jetty's default runtime. Anthropic-family models only, directly, via Bedrock, or through OpenRouter.",
    providers: ['anthropic', 'bedrock', 'openrouter'],
    defaultProvider: 'anthropic',
    defaultModel: 'claude-sonnet-4-6',
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
    source: 'seeds/003 (codex runtime page)',
  },
  'gemini-cli': {
    id: 'gemini-cli',
    label: 'Gemini CLI',
    description: "Google's CLI agent, for Gemini models through Google AI Studio.",
    providers: ['google'],
    defaultProvider: 'google',
    defaultModel: 'gemini-2.5-pro',
    source: 'notes/jetty-runbooks.md (docs.jetty.io runtime pages)',
  },
  hermes: {
    id: 'hermes',
    label: 'Hermes',
    description:
      "Jetty's multi-provider runtime: every Bedrock catalog model (DeepSeek, Zhipu GLM, Qwen...), Anthropic, OpenAI, OpenRouter and Google.",
    providers: ['bedrock', 'anthropic', 'openai', 'openrouter', 'google'],
    source: 'notes/jetty-runbooks.md (docs.jetty.io runtime pages)',
  },
  opencode: {
    id: 'opencode',
    label: 'OpenCode',
    description: 'The OpenCode CLI agent, through OpenRouter.',
    providers: ['openrouter'],
    defaultProvider: 'openrouter',
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

/** OpenRouter's OpenAI-style API root, which every agent reaching OpenRouter uses (jetty.openrouter.baseUrl overrides it). */
export const OPENROUTER_API_BASE = 'https://openrouter.ai/api/v1';

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
  return {
    agent,
    provider,
    agentInferred: !isAgentId(front.agent),
    providerInferred: !isProviderId(front.model_provider),
  };
}

// ── Models ──────────────────────────────────────────────────────────────────────────────────────────────────────────

const SEED_CLAUDE = 'seeds/000 (claude-code runtime page)';
const SEED_CODEX = 'seeds/003 (codex runtime page)';
const NOTES = 'notes/jetty-runbooks.md (docs.jetty.io runtime pages)';

export type ModelStatus = 'confirmed' | 'documented';

export interface ModelInfo {
  id: string;
  provider: ProviderId;
  /** The model itself, whoever serves it: entries with the same name are one model under each provider's ID. */
  name?: string;
  /** The runtimes whose documentation lists this ID with this provider. */
  agents: readonly AgentId[];
  /** `confirmed`: verified end to end on production runs; `documented`: named by Jetty's docs. */
  status: ModelStatus;
  notes: string;
  source: string;
}

/** Documented model IDs, one per line, in each runtime's order of preference. */
export const MODELS: readonly ModelInfo[] = [
  {
    id: 'claude-sonnet-4-6',
    provider: 'anthropic',
    name: 'Claude Sonnet 4.6',
    agents: ['claude-code'],
    status: 'confirmed',
    notes: 'Native API; the default for claude-code',
    source: SEED_CLAUDE,
  },
  {
    id: 'claude-opus-4-7',
    provider: 'anthropic',
    name: 'Claude Opus 4.7',
    agents: ['claude-code'],
    status: 'confirmed',
    notes: 'Largest Anthropic model',
    source: SEED_CLAUDE,
  },
  {
    id: 'claude-haiku-4-5',
    provider: 'anthropic',
    name: 'Claude Haiku 4.5',
    agents: ['claude-code'],
    status: 'confirmed',
    notes: 'Fast, cheap option',
    source: SEED_CLAUDE,
  },
  {
    id: 'us.anthropic.claude-sonnet-4-6',
    provider: 'bedrock',
    name: 'Claude Sonnet 4.6',
    agents: ['claude-code', 'hermes'],
    status: 'confirmed',
    notes: 'Cross-region inference profile',
    source: SEED_CLAUDE,
  },
  {
    id: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    provider: 'bedrock',
    name: 'Claude Haiku 4.5',
    agents: ['claude-code', 'hermes'],
    status: 'confirmed',
    notes: 'Versioned inference profile',
    source: SEED_CLAUDE,
  },
  {
    id: 'us.anthropic.claude-opus-4-7',
    provider: 'bedrock',
    name: 'Claude Opus 4.7',
    agents: ['claude-code'],
    status: 'confirmed',
    notes: 'Cross-region inference profile',
    source: SEED_CLAUDE,
  },
  {
    id: 'anthropic/claude-sonnet-4.6',
    provider: 'openrouter',
    name: 'Claude Sonnet 4.6',
    agents: ['claude-code', 'opencode'],
    status: 'documented',
    notes: 'OpenRouter slug: vendor/name with a dotted version',
    source: NOTES,
  },
  {
    id: 'gpt-5.5',
    provider: 'openai',
    agents: ['codex'],
    status: 'confirmed',
    notes: 'Latest flagship reasoning model',
    source: SEED_CODEX,
  },
  {
    id: 'gpt-5.4',
    provider: 'openai',
    agents: ['codex'],
    status: 'confirmed',
    notes: 'The default for codex when model is unset',
    source: SEED_CODEX,
  },
  {
    id: 'o4-mini',
    provider: 'openai',
    agents: ['codex'],
    status: 'confirmed',
    notes: 'Lightweight reasoning model',
    source: SEED_CODEX,
  },
  {
    id: 'moonshotai/kimi-k2-0905',
    provider: 'openrouter',
    agents: ['codex'],
    status: 'confirmed',
    notes: 'OpenRouter slug, passed through as the model ID',
    source: SEED_CODEX,
  },
  {
    id: 'qwen/qwen3-coder',
    provider: 'openrouter',
    agents: ['codex'],
    status: 'confirmed',
    notes: 'OpenRouter slug, passed through as the model ID',
    source: SEED_CODEX,
  },
  {
    id: 'gemini-2.5-pro',
    provider: 'google',
    agents: ['gemini-cli'],
    status: 'documented',
    notes: 'The default for gemini-cli',
    source: NOTES,
  },
  {
    id: 'gemini-3.1-pro-preview',
    provider: 'google',
    agents: ['gemini-cli'],
    status: 'documented',
    notes: 'Preview model',
    source: NOTES,
  },
  {
    id: 'gemini-2.5-flash',
    provider: 'google',
    agents: ['gemini-cli'],
    status: 'documented',
    notes: 'Fast option',
    source: NOTES,
  },
  {
    id: 'deepseek.v3.2',
    provider: 'bedrock',
    agents: ['hermes'],
    status: 'documented',
    notes: 'DeepSeek on Bedrock',
    source: NOTES,
  },
  {
    id: 'zai.glm-5',
    provider: 'bedrock',
    agents: ['hermes'],
    status: 'documented',
    notes: 'Zhipu GLM-5 on Bedrock (hermes only: claude-code rejects it)',
    source: NOTES,
  },
];

/** Documented models for the agent, and for the provider when one is given. */
export function modelsFor(agent: AgentId, provider?: ProviderId): ModelInfo[] {
  return MODELS.filter((m) => m.agents.includes(agent) && (provider === undefined || m.provider === provider));
}

/**
 * The model a runbook without `model` runs with: the agent's default when it is documented for this provider, else the
 * first model documented for the pair (claude-code on Bedrock needs a `us.anthropic.…` ID, on OpenRouter a slug).
 * Undefined when Jetty documents none (hermes).
 */
export function defaultModel(agent: AgentId, provider: ProviderId | undefined): string | undefined {
  const own = AGENTS[agent].defaultModel;
  if (provider === undefined) return own;
  const documented = modelsFor(agent, provider);
  return documented.find((m) => m.id === own)?.id ?? documented[0]?.id;
}

/** The same model's ID under another provider (claude-sonnet-4-6 on OpenRouter: anthropic/claude-sonnet-4.6). */
export function modelOn(model: string, provider: ProviderId): string | undefined {
  const name = MODELS.find((m) => m.id === model && m.name)?.name;
  return name === undefined ? undefined : MODELS.find((m) => m.name === name && m.provider === provider)?.id;
}

/** Every documented entry for this ID (one ID may be documented for several providers or agents). */
export function modelEntries(id: string): ModelInfo[] {
  return MODELS.filter((m) => m.id === id);
}

// ── Model families: which runtime speaks to which models ────────────────────────────────────────────────────────────

/** Bedrock model IDs are `vendor.name`, optionally behind a cross-region prefix (`us.`, `eu.`, `apac.`, `global.`...). */
export const BEDROCK_REGION_PREFIXES = ['us', 'eu', 'apac', 'global', 'us-gov', 'jp', 'au', 'ca'] as const;

/**
 * Bedrock vendors whose models are not Anthropic's. claude-code's client validates model IDs against an Anthropic pattern
 * and fails with HTTP 400 "Request metadata contains a value that violates the regular expression" on all of them
 * (documented broken: zai.glm-5, nvidia.nemotron-nano-3-30b; seeds/000). hermes runs them.
 */
export const BEDROCK_OTHER_VENDORS: Readonly<Record<string, string>> = {
  zai: 'Zhipu (GLM)',
  nvidia: 'NVIDIA',
  deepseek: 'DeepSeek',
  qwen: 'Qwen',
  meta: 'Meta (Llama)',
  mistral: 'Mistral',
  amazon: 'Amazon (Nova, Titan)',
  cohere: 'Cohere',
  ai21: 'AI21',
  openai: 'OpenAI (gpt-oss)',
  moonshot: 'Moonshot (Kimi)',
  minimax: 'MiniMax',
  writer: 'Writer',
  google: 'Google (Gemma)',
  stability: 'Stability AI',
  twelvelabs: 'TwelveLabs',
};

const BEDROCK_ID = new RegExp(`^(?:(?:${BEDROCK_REGION_PREFIXES.join('|')})\\.)?([a-z0-9]+)\\.[A-Za-z0-9]`);

/** The vendor of a Bedrock-shaped ID (`us.anthropic.claude-…` → anthropic), for known vendors only. */
export function bedrockVendor(model: string): string | undefined {
  const vendor = BEDROCK_ID.exec(model)?.[1];
  if (vendor === undefined) return undefined;
  return vendor === 'anthropic' || vendor in BEDROCK_OTHER_VENDORS ? vendor : undefined;
}

export interface ModelFamily {
  name: string;
  /** Bare model IDs of this family (OpenRouter `vendor/name` slugs are never matched: OpenRouter routes them). */
  matches: (model: string) => boolean;
  /** The runtimes that can run this family's models. */
  agents: readonly AgentId[];
  /** The runtime to switch to when the chosen one cannot. */
  agent: AgentId;
  source: string;
}

export const MODEL_FAMILIES: readonly ModelFamily[] = [
  {
    name: 'Anthropic',
    matches: (m) => m.startsWith('claude-') || bedrockVendor(m) === 'anthropic',
    agents: ['claude-code', 'hermes', 'opencode'],
    agent: 'claude-code',
    source: SEED_CODEX,
  },
  {
    name: 'OpenAI',
    matches: (m) => /^(gpt-|o[134](-|$)|codex-)/.test(m),
    agents: ['codex', 'hermes'],
    agent: 'codex',
    source: SEED_CLAUDE,
  },
  {
    name: 'Gemini',
    matches: (m) => m.startsWith('gemini-'),
    agents: ['gemini-cli', 'hermes'],
    agent: 'gemini-cli',
    source: SEED_CLAUDE,
  },
  {
    name: 'Bedrock (non-Anthropic)',
    matches: (m) => {
      const vendor = bedrockVendor(m);
      return vendor !== undefined && vendor !== 'anthropic';
    },
    agents: ['hermes'],
    agent: 'hermes',
    source: SEED_CLAUDE,
  },
];

export function modelFamily(model: string): ModelFamily | undefined {
  if (model.includes('/')) return undefined;
  return MODEL_FAMILIES.find((f) => f.matches(model));
}

// ── Known-broken model IDs ──────────────────────────────────────────────────────────────────────────────────────────

export interface BrokenModel {
  /** The IDs this covers: one ID, or a pattern whose groups `model` may use as $1, $2... */
  match: string | RegExp;
  /** Runtimes where it fails (all when missing). */
  agents?: readonly AgentId[];
  /** Providers where it fails (all when missing). */
  providers?: readonly ProviderId[];
  /** What happens at run time. */
  reason: string;
  /** What to use instead, as far as it is mechanical: a model ID (may use $1...), a provider, an agent. */
  use: { model?: string; provider?: ProviderId; agent?: AgentId };
  source: string;
}

/** Model IDs documented to fail in a given setting (model families mismatches are in MODEL_FAMILIES). First match wins. */
export const BROKEN_MODELS: readonly BrokenModel[] = [
  {
    match: /^anthropic\.(claude-.+)$/,
    providers: ['bedrock'],
    reason:
      'Bedrock serves Anthropic models through cross-region inference profiles; the bare ID without the `us.` prefix fails',
    use: { model: 'us.anthropic.$1' },
    source: NOTES,
  },
  {
    match: 'qwen.qwen3-32b-v1:0',
    agents: ['hermes'],
    reason: 'documented to fail on hermes',
    use: {},
    source: NOTES,
  },
  {
    match: /^claude-([a-z]+)-(\d)-(\d{1,2})$/,
    providers: ['openrouter'],
    reason:
      'OpenRouter wants a `vendor/name` slug with a dotted version; a bare Anthropic ID is the most common cause of a run that exits in seconds having produced nothing',
    use: { model: 'anthropic/claude-$1-$2.$3' },
    source: NOTES,
  },
  {
    match: /^claude-/,
    providers: ['openrouter'],
    reason:
      'OpenRouter wants a `vendor/name` slug (`anthropic/claude-…` with a dotted version); a bare Anthropic ID makes the run exit in seconds having produced nothing',
    use: {},
    source: NOTES,
  },
  {
    match: new RegExp(`^(?:${BEDROCK_REGION_PREFIXES.join('|')})\\.anthropic\\.`),
    providers: ['anthropic'],
    reason: "this is a Bedrock inference-profile ID; Anthropic's own API does not know it",
    use: { provider: 'bedrock' },
    source: SEED_CLAUDE,
  },
  {
    match: /^anthropic\/claude-/,
    providers: ['anthropic'],
    reason:
      "this is an OpenRouter slug; Anthropic's own API does not know it (one Jetty page pairs them, which contradicts the runtime pages)",
    use: { provider: 'openrouter' },
    source: NOTES,
  },
];

export function findBroken(model: string, agent: AgentId, provider: ProviderId | undefined): BrokenModel | undefined {
  return BROKEN_MODELS.find(
    (b) =>
      (typeof b.match === 'string' ? b.match === model : b.match.test(model)) &&
      (!b.agents || b.agents.includes(agent)) &&
      (!b.providers || (provider !== undefined && b.providers.includes(provider))),
  );
}

/** The replacement model ID a broken entry names for `model`, with its pattern groups filled in. */
export function replacementModel(broken: BrokenModel, model: string): string | undefined {
  if (broken.use.model === undefined) return undefined;
  return typeof broken.match === 'string' ? broken.use.model : model.replace(broken.match, broken.use.model);
}

// ── Sandboxes, evaluation, template variables ───────────────────────────────────────────────────────────────────────

export interface SnapshotInfo {
  name: string;
  description: string;
  source: string;
}

export const SNAPSHOTS: readonly SnapshotInfo[] = [
  { name: 'python312-uv', description: 'Python 3.12, uv, Node 22 and npm; starts in about 5 s', source: NOTES },
  { name: 'python312-uv-node', description: 'An identical alias of python312-uv', source: NOTES },
  {
    name: 'prism-playwright',
    description: 'python312-uv plus Playwright and Chromium; starts in about 10 s',
    source: NOTES,
  },
];

export const EVALUATION_MODES: readonly { id: 'programmatic' | 'rubric'; description: string }[] = [
  { id: 'programmatic', description: 'Judged by checks that run after the agent (code_checks)' },
  { id: 'rubric', description: 'Judged against a rubric' },
];

export interface TemplateVariableInfo {
  name: string;
  description: string;
  source: string;
}

/** Variables Jetty fills in itself; `{{secrets.NAME}}` is resolved from the runbook's declared secrets. */
export const TEMPLATE_VARIABLES: readonly TemplateVariableInfo[] = [
  {
    name: 'results_dir',
    description:
      "Where the run's outputs go: `/app/results` on Jetty, `./results` in a local run. Everything written there is the run's output.",
    source: NOTES,
  },
  { name: 'checks_dir', description: 'Where the checks live: `/app/checks`.', source: NOTES },
  { name: 'assets_dir', description: "The runbook's assets directory.", source: NOTES },
];

/** Files Jetty writes into the results directory itself: they do not belong in `primary_outputs`. */
export const RESERVED_OUTPUTS: readonly string[] = ['summary.md', 'validation_report.json'];

/** Jetty's limit for `code_checks.timeout_sec`. */
export const MAX_CHECKS_TIMEOUT_SEC = 900;

// ── Provenance ──────────────────────────────────────────────────────────────────────────────────────────────────────

export interface OriginField {
  name: string;
  description: string;
}

const GALLERY = 'notes/jetty-gallery.md (112 of the 115 gallery runbooks carry `origin`)';

/**
 * What Jetty's skill-to-runbook converter writes under `origin`: where a runbook was imported from. Nothing at run time
 * reads it, so these keys are documented for completion and hover but never type-checked, and keys not listed here are
 * not flagged (a newer converter may write more).
 */
export const ORIGIN = {
  description:
    "Where the runbook came from, as Jetty's skill-to-runbook converter records it (source URL, import time, attribution). Provenance only: nothing at run time reads it.",
  source: GALLERY,
  fields: [
    { name: 'url', description: 'The address the runbook was imported from.' },
    { name: 'user_supplied_url', description: 'The address as the user gave it, before the converter resolved it.' },
    { name: 'source_host', description: 'The host of the source, e.g. `github.com` or `skills.sh`.' },
    { name: 'source_title', description: "The source's own title." },
    { name: 'imported_at', description: 'When it was imported, as an ISO 8601 timestamp.' },
    { name: 'imported_by', description: 'What imported it, e.g. `skill-to-runbook-converter@1.1.0`.' },
    { name: 'is_directory_mirror', description: 'Whether the whole source folder was mirrored, not one file.' },
    { name: 'license', description: "The source's license, e.g. `Apache-2.0`." },
    { name: 'notice', description: "Attribution carried over from the source's NOTICE." },
    { name: 'attribution', description: 'Who made the source: organisation, collection, skill, author, license.' },
  ] as readonly OriginField[],
  attribution: [
    { name: 'collection_or_org', description: 'The organisation or collection that published the source.' },
    { name: 'source_collection', description: 'The collection within it, when there is one.' },
    { name: 'skill_name', description: 'The name of the skill the runbook was made from.' },
    { name: 'author', description: 'Who wrote the source.' },
    { name: 'license', description: "The source's license." },
    { name: 'confidence', description: 'How sure the converter is of this attribution: `high`, `medium` or `low`.' },
    { name: 'note', description: 'Anything else about the attribution.' },
  ] as readonly OriginField[],
} as const;

/**
 * What Jetty's create-runbook wizard and its templates start every runbook with (and its optimize-runbook skill
 * proposes for a runbook that lacks them): "New Runbook" offers the same.
 */
export const WIZARD_DEFAULTS = {
  agent: 'claude-code',
  model: 'anthropic/claude-sonnet-4.6',
  provider: 'openrouter',
  snapshot: 'python312-uv',
  source: 'jettyio-skills: skills/create-runbook/templates, skills/optimize-runbook/SKILL.md',
} as const satisfies { agent: AgentId; model: string; provider: ProviderId; snapshot: string; source: string };
