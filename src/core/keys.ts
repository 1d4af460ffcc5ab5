// Which provider keys exist, what each serves, and the non-secret settings that go with them, as data. The key store,
// the Keys view, routing, the missing-key check and the redactor all read these tables, so a new key is one entry here.
// Keys live in VS Code's SecretStorage (the extension) or in environment variables of the same names (the CLI);
// everything that is not a secret (base URLs, region, Daytona endpoint) is a setting.
import type { ProviderId } from './catalog';

export const KEY_NAMES = [
  'ANTHROPIC_API_KEY',
  'OPENAI_API_KEY',
  'OPENROUTER_API_KEY',
  'AWS_BEARER_TOKEN_BEDROCK',
  'GEMINI_API_KEY',
  'DAYTONA_API_KEY',
] as const;
export type KeyName = (typeof KEY_NAMES)[number];

export interface KeyInfo {
  name: KeyName;
  label: string;
  /** The model provider the key pays for, or `daytona` for the sandbox. */
  serves: ProviderId | 'daytona';
  /**
   * What real keys look like. Only ever a warning: vendors change formats and gateways issue their own tokens, so a
   * key that does not match may still be right.
   */
  shape: { pattern: RegExp; looksLike: string };
}

export const KEYS: Record<KeyName, KeyInfo> = {
  ANTHROPIC_API_KEY: {
    name: 'ANTHROPIC_API_KEY',
    label: 'Anthropic API key',
    serves: 'anthropic',
    shape: { pattern: /^sk-ant-[\w-]+$/, looksLike: 'sk-ant-…' },
  },
  OPENAI_API_KEY: {
    name: 'OPENAI_API_KEY',
    label: 'OpenAI API key',
    serves: 'openai',
    shape: { pattern: /^sk-[\w-]+$/, looksLike: 'sk-… or sk-proj-…' },
  },
  OPENROUTER_API_KEY: {
    name: 'OPENROUTER_API_KEY',
    label: 'OpenRouter API key',
    serves: 'openrouter',
    // OpenRouter issues sk-or-v1-…; Jetty's pages write or-….
    shape: { pattern: /^(sk-)?or-[\w-]+$/, looksLike: 'sk-or-v1-…' },
  },
  AWS_BEARER_TOKEN_BEDROCK: {
    name: 'AWS_BEARER_TOKEN_BEDROCK',
    label: 'AWS Bedrock API key',
    serves: 'bedrock',
    // Long-term Bedrock API keys start ABSK; short-term ones bedrock-api-key-. Static IAM keys (AKIA…) do not work.
    shape: {
      pattern: /^(ABSK|bedrock-api-key-)[\w+/=.-]+$/,
      looksLike: 'ABSK… (a Bedrock API key, not an IAM access key)',
    },
  },
  GEMINI_API_KEY: {
    name: 'GEMINI_API_KEY',
    label: 'Google AI Studio (Gemini) API key',
    serves: 'google',
    shape: { pattern: /^AIza[\w-]+$/, looksLike: 'AIza…' },
  },
  DAYTONA_API_KEY: {
    name: 'DAYTONA_API_KEY',
    label: 'Daytona API key',
    serves: 'daytona',
    shape: { pattern: /^dtn_\w+$/, looksLike: 'dtn_…' },
  },
};

export function isKeyName(value: unknown): value is KeyName {
  return typeof value === 'string' && Object.hasOwn(KEYS, value);
}

/**
 * Shorter values are not treated as secrets by the redactor (see redact.ts), so a key this short would not be hidden
 * from logs either: worth a warning of its own.
 */
export const MIN_SECRET_LENGTH = 8;

/**
 * A warning when a value does not look like the named key, else undefined. Never a reason to refuse the value.
 * Secret names the registry does not know (a runbook's own `secrets:`) only get the checks that apply to any secret.
 */
export function checkKeyShape(name: string, value: string): string | undefined {
  if (value.length === 0) return 'The value is empty.';
  if (/\s/.test(value)) return 'The value contains spaces or line breaks; keys never do. Check what was pasted.';
  if (value.length < MIN_SECRET_LENGTH) {
    return `The value is only ${value.length} characters long; it looks too short for a key and would not be hidden in logs.`;
  }
  if (!isKeyName(name)) return undefined;
  const { shape, label } = KEYS[name];
  return shape.pattern.test(value)
    ? undefined
    : `This does not look like a value for ${name} (${label}s look like ${shape.looksLike}). It is kept anyway.`;
}

/** The values a run reads, by name; a missing or empty entry is a key that is not set. */
export type KeyValues = Partial<Record<string, string>>;

/**
 * Settings that go with the keys but are not secret: endpoints and region. Each has a VS Code setting and, for the CLI
 * (which never sees VS Code settings), the environment variable it reads instead. Empty means "the provider's own".
 */
export const PROVIDER_SETTINGS = {
  anthropicBaseUrl: { setting: 'jetty.anthropic.baseUrl', env: 'ANTHROPIC_BASE_URL', default: '' },
  // codex ignores OPENAI_BASE_URL; routing turns this into a config.toml model-provider entry.
  openaiBaseUrl: { setting: 'jetty.openai.baseUrl', env: 'OPENAI_BASE_URL', default: '' },
  openrouterBaseUrl: { setting: 'jetty.openrouter.baseUrl', env: 'OPENROUTER_BASE_URL', default: '' },
  bedrockRegion: { setting: 'jetty.bedrock.region', env: 'AWS_REGION', default: 'us-east-1' },
  // Bedrock Runtime's endpoint (boto3's own variable for it; claude-code's is ANTHROPIC_BEDROCK_BASE_URL).
  bedrockEndpointUrl: { setting: 'jetty.bedrock.endpointUrl', env: 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME', default: '' },
  // The Gemini API's root (gemini-cli's own variable for it); with jetty.google.api = vertex, Vertex AI's.
  googleBaseUrl: { setting: 'jetty.google.baseUrl', env: 'GOOGLE_GEMINI_BASE_URL', default: '' },
  // `gemini` (Google AI Studio's Gemini API) or `vertex` (Vertex AI, what Jetty's GOOGLE_GENAI_USE_VERTEXAI selects).
  googleApi: { setting: 'jetty.google.api', env: 'JETTY_GOOGLE_API', default: 'gemini' },
  daytonaApiUrl: { setting: 'jetty.daytona.apiUrl', env: 'DAYTONA_API_URL', default: 'https://app.daytona.io/api' },
  daytonaTarget: { setting: 'jetty.daytona.target', env: 'DAYTONA_TARGET', default: 'us' },
} as const;

export type ProviderSettings = Record<keyof typeof PROVIDER_SETTINGS, string>;

/** Reads every provider setting through `read` (a setting id or an environment name → value), falling back to defaults. */
function readProviderSettings(read: (entry: { setting: string; env: string }) => string | undefined): ProviderSettings {
  const out = {} as ProviderSettings;
  for (const [field, entry] of Object.entries(PROVIDER_SETTINGS) as [
    keyof ProviderSettings,
    (typeof PROVIDER_SETTINGS)[keyof ProviderSettings],
  ][]) {
    const value = read(entry)?.trim();
    out[field] = value ? value : entry.default;
  }
  return out;
}

/** The provider settings from VS Code settings; `get` is the configuration lookup by full setting id. */
export function providerSettingsFrom(get: (setting: string) => string | undefined): ProviderSettings {
  return readProviderSettings((entry) => get(entry.setting));
}

/** The provider settings for the CLI, from the environment variables of the same meaning. */
export function providerSettingsFromEnv(env: NodeJS.ProcessEnv): ProviderSettings {
  return readProviderSettings((entry) => env[entry.env]);
}

/**
 * The parts of a URL setting that may be a credential: its user and password (https://user:token@gateway/…) and every
 * query value (…?key=…), as written and decoded. A run's redactor hides them; the whole URL stays readable in messages.
 */
export function urlCredentials(url: string): string[] {
  const found: string[] = [];
  const userinfo = /^[A-Za-z][\w+.-]*:\/\/([^/?#]*)@/.exec(url)?.[1];
  if (userinfo) found.push(userinfo, ...userinfo.split(':'));
  for (const match of url.matchAll(/[?&][^=&#]*=([^&#]*)/g)) found.push(match[1]!);
  const decoded = found.map((part) => {
    try {
      return decodeURIComponent(part.replaceAll('+', ' '));
    } catch {
      return part;
    }
  });
  return [...new Set([...found, ...decoded])].filter(Boolean);
}

/** The credential parts of every URL among the provider settings (base URLs, the Daytona API URL). */
export function settingsCredentials(settings: ProviderSettings): string[] {
  return Object.values(settings).flatMap(urlCredentials);
}

/** A secret a runbook declares under `secrets:` (names only; values come from the key store or the environment). */
export interface DeclaredSecret {
  name: string;
  /**
   * The environment variable the agent reads it from: the declared `env`, else the secret's own name; undefined when
   * neither is a variable name, so the agent cannot get it (say `secrets: {my-token: {}}`).
   */
  env?: string;
  description?: string;
  /** Jetty's field; a secret counts as required unless it says `required: false`. */
  required: boolean;
  /** Whether the agent's environment gets it (unless `expose_to_agent: false`). */
  exposeToAgent: boolean;
}

/** Whether a shell (and so the agent's environment) can carry a variable of this name. */
export function isEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** The secrets a runbook's front-matter declares, read loosely: lint reports malformed entries, this skips them. */
export function declaredSecrets(front: { secrets?: unknown }): DeclaredSecret[] {
  const secrets = front.secrets;
  if (!secrets || typeof secrets !== 'object' || Array.isArray(secrets)) return [];
  return Object.entries(secrets as Record<string, unknown>).map(([name, raw]) => {
    const spec = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const env = typeof spec.env === 'string' && isEnvName(spec.env) ? spec.env : isEnvName(name) ? name : undefined;
    return {
      name,
      ...(env ? { env } : {}),
      ...(typeof spec.description === 'string' ? { description: spec.description } : {}),
      required: spec.required !== false,
      exposeToAgent: spec.expose_to_agent !== false,
    };
  });
}
