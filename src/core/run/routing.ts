// How a run reaches its model provider: for an agent and a provider, the keys the run needs and the exact environment
// variables and files the agent gets, or a plain "not supported" with the reason. Pure data in, plain data out: the run
// command turns a route into a sandbox's environment and files; nothing here touches a secret store or a network.
//
// Facts behind each route, measured on the real CLIs and held by test/e2e/routing.test.ts, which runs each route's
// environment and files through claude-code 2.1.126 or codex 0.169 against a local mock provider:
// - claude-code sends ANTHROPIC_API_KEY as `x-api-key` and ANTHROPIC_AUTH_TOKEN as `Authorization: Bearer`, and
//   appends `/v1/messages` to ANTHROPIC_BASE_URL (a base of …/api/v1 is requested as …/api/v1/v1/messages).
// - codex ignores OPENAI_BASE_URL and, for its built-in provider, OPENAI_API_KEY; it reads the key from
//   $CODEX_HOME/auth.json ({"auth_mode":"apikey","OPENAI_API_KEY":…}, what `codex login --with-api-key` writes), and
//   another endpoint only from a config.toml model-provider entry, whose `env_key` names the variable holding the key.
import {
  AGENTS,
  PROVIDERS,
  RUNNABLE_AGENTS,
  resolveRuntime,
  type AgentId,
  type ProviderId,
  type RunnableAgent,
} from '../runbook/catalog';
import { KEYS, declaredSecrets, type KeyName, type KeyValues, type ProviderSettings } from '../keys';

/** A file the agent reads at start, in its own configuration folder ($CODEX_HOME, which the plan places). */
export interface AgentFile {
  name: string;
  content: string;
  /** Holds a credential: written readable by its owner only, and deleted as soon as the agent exits. */
  credential: boolean;
}

/** What the agent process gets: environment variables and files. Values of keys are in here: never log it as is. */
export interface AgentSetup {
  /** Keys, and base URLs (a gateway's may carry a token): the sandbox's own environment, never a command's text. */
  secretEnv: Record<string, string>;
  /** Everything else the agent reads: exported by its command line, where a reader sees how the agent was wired. */
  env: Record<string, string>;
  files: AgentFile[];
}

export interface Route {
  supported: true;
  agent: RunnableAgent;
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

const OPENROUTER_DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';

export interface SetupInput {
  /** Key values by name; the route's keys must all be present (check with `missingKeys` first). */
  keys: KeyValues;
  settings: ProviderSettings;
}

interface RouteRule {
  keys: readonly KeyName[];
  setup(key: (name: KeyName) => string, settings: ProviderSettings): AgentSetup;
}

type Pair = `${RunnableAgent}×${ProviderId}`;

/**
 * claude-code appends `/v1/messages` itself, while the OpenRouter base URL (the seed's OPENROUTER_BASE_URL, shared with
 * codex, which appends `/responses`) ends in `/api/v1`: claude-code gets it without the trailing `/v1`, so both agents
 * reach the same OpenRouter endpoints from one setting.
 */
function anthropicStyleBase(openAiStyleBase: string): string {
  return openAiStyleBase.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** A TOML basic string: JSON's escapes (\" \\ \n \uXXXX) are all valid TOML escapes, so JSON.stringify writes one. */
export function tomlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * A config.toml that makes codex use one Responses-API endpoint, reading its key from `envKey`. A credential file:
 * the endpoint may be a gateway URL carrying a token.
 */
function codexProviderConfig(id: string, name: string, baseUrl: string, envKey: string): string {
  return [
    `model_provider = ${tomlString(id)}`,
    '',
    `[model_providers.${id}]`,
    `name = ${tomlString(name)}`,
    `base_url = ${tomlString(baseUrl)}`,
    `env_key = ${tomlString(envKey)}`,
    'wire_api = "responses"',
    '',
  ].join('\n');
}

const ROUTES: Partial<Record<Pair, RouteRule>> = {
  'claude-code×anthropic': {
    keys: ['ANTHROPIC_API_KEY'],
    setup: (key, settings) => ({
      secretEnv: {
        ANTHROPIC_API_KEY: key('ANTHROPIC_API_KEY'),
        ...(settings.anthropicBaseUrl ? { ANTHROPIC_BASE_URL: settings.anthropicBaseUrl } : {}),
      },
      env: {},
      files: [],
    }),
  },
  'claude-code×bedrock': {
    keys: ['AWS_BEARER_TOKEN_BEDROCK'],
    setup: (key, settings) => ({
      secretEnv: { AWS_BEARER_TOKEN_BEDROCK: key('AWS_BEARER_TOKEN_BEDROCK') },
      env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: settings.bedrockRegion },
      files: [],
    }),
  },
  'claude-code×openrouter': {
    keys: ['OPENROUTER_API_KEY'],
    setup: (key, settings) => ({
      secretEnv: {
        ANTHROPIC_BASE_URL: anthropicStyleBase(settings.openrouterBaseUrl || OPENROUTER_DEFAULT_BASE_URL),
        ANTHROPIC_AUTH_TOKEN: key('OPENROUTER_API_KEY'),
      },
      // Explicitly empty, so a key in the sandbox image's own environment is never sent to OpenRouter as x-api-key.
      env: { ANTHROPIC_API_KEY: '' },
      files: [],
    }),
  },
  'codex×openai': {
    keys: ['OPENAI_API_KEY'],
    setup: (key, settings): AgentSetup => {
      if (settings.openaiBaseUrl) {
        const config = codexProviderConfig(
          'jetty-openai',
          'OpenAI (jetty.openai.baseUrl)',
          settings.openaiBaseUrl,
          'OPENAI_API_KEY',
        );
        return {
          secretEnv: { OPENAI_API_KEY: key('OPENAI_API_KEY') },
          env: {},
          files: [{ name: 'config.toml', content: config, credential: true }],
        };
      }
      // Exactly what `codex login --with-api-key` writes (measured on codex 0.169), without running codex for it.
      const auth = `${JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: key('OPENAI_API_KEY') }, null, 2)}\n`;
      return { secretEnv: {}, env: {}, files: [{ name: 'auth.json', content: auth, credential: true }] };
    },
  },
  'codex×openrouter': {
    keys: ['OPENROUTER_API_KEY'],
    setup: (key, settings) => ({
      secretEnv: { OPENAI_API_KEY: key('OPENROUTER_API_KEY') },
      env: {},
      files: [
        {
          name: 'config.toml',
          content: codexProviderConfig(
            'openrouter',
            'OpenRouter',
            settings.openrouterBaseUrl || OPENROUTER_DEFAULT_BASE_URL,
            'OPENAI_API_KEY',
          ),
          credential: true,
        },
      ],
    }),
  },
};

/** What to use for a provider the chosen agent does not speak (from the runtime pages' tables). */
const INSTEAD: Record<ProviderId, string> = {
  anthropic: 'use agent: claude-code',
  openai: 'use agent: codex',
  openrouter: 'use agent: claude-code or codex',
  bedrock: 'use agent: claude-code for Anthropic models on Bedrock (hermes for other Bedrock models)',
  google: 'use agent: gemini-cli (Jetty runs it; this extension cannot yet)',
};

function isRunnable(agent: AgentId): agent is RunnableAgent {
  return AGENTS[agent].runnable;
}

/** The route for an agent and provider (undefined: the agent's default, as Jetty infers it), or why there is none. */
export function findRoute(agent: AgentId, provider: ProviderId | undefined): Route | UnsupportedRoute {
  const chosen = provider ?? AGENTS[agent].defaultProvider;
  if (!isRunnable(agent)) {
    return {
      supported: false,
      agent,
      provider: chosen,
      reason: `This extension cannot run ${agent} yet: it runs ${RUNNABLE_AGENTS.join(' and ')}. Jetty's cloud runs ${agent}.`,
    };
  }
  if (!chosen) return { supported: false, agent, provider, reason: `${agent} needs model_provider to be set.` };
  const rule = ROUTES[`${agent}×${chosen}`];
  if (rule) return { supported: true, agent, provider: chosen, keys: rule.keys };
  return {
    supported: false,
    agent,
    provider: chosen,
    reason: `${agent} does not speak the ${PROVIDERS[chosen].label} API: ${INSTEAD[chosen]}.`,
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
 * command asks for missing keys (see `missingKeys`) before it gets here, so this is a programming error, not a user's.
 */
export function agentSetup(route: Route, input: SetupInput): AgentSetup {
  const rule = ROUTES[`${route.agent}×${route.provider}`];
  if (!rule) throw new Error(`No route for ${route.agent} with ${route.provider}.`);
  const key = (name: KeyName): string => {
    const value = input.keys[name];
    if (!value) throw new Error(`${KEYS[name].label} (${name}) is not set.`);
    return value;
  };
  return rule.setup(key, input.settings);
}

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
