// Every `jetty.*` setting once: its type, default and scope (package.json declares the same: a unit test holds them
// together) and the variable the CLI reads instead; and the one typed reader each host feeds with its own lookup.
import { ADAPTERS } from './agents';
import { AGENT_IDS, type AgentId } from './catalog';
import { PROVIDER_SETTINGS, providerSettingsFrom, type ProviderSettings } from './keys';
import { DEFAULT_RUNBOOK_PATTERN } from './runbook/detect';
import { DEFAULT_RESULT_LIMITS, type ResultLimits } from './run/results';

export type SettingType = 'string' | 'number' | 'integer' | 'boolean' | 'object';
/** VS Code's configuration scopes; `machine` and `application` values come from the user's settings only. */
export type SettingScope = 'application' | 'machine' | 'window' | 'resource';

export interface SettingSpec {
  type: SettingType;
  default: string | number | boolean | Record<string, string>;
  scope: SettingScope;
  /** The environment variable the CLI reads it from (it never sees VS Code settings). */
  env?: string;
}

const versionSettings = Object.fromEntries(
  AGENT_IDS.map((id) => {
    const cli = ADAPTERS[id].cli;
    return [cli.versionSetting, { type: 'string', default: cli.defaultVersion, scope: 'window', env: cli.versionEnv }];
  }),
) as Record<string, SettingSpec>;

/**
 * Settings that decide where keys go (a base URL, the Daytona URL, a local sandbox), and below what a run may bring
 * home (jetty.results.*): the user's alone. VS Code ignores an `application` setting's value in a workspace's .vscode/settings.json (measured on
 * 1.100.3: inspect() shows no workspace value, and writing one throws), so a cloned repository cannot send the user's
 * keys to its own host, run its runbook on this machine, or lift the limits that keep a run from filling the disk.
 */
const USER_ONLY = new Set([
  'jetty.sandbox',
  'jetty.daytona.apiUrl',
  'jetty.anthropic.baseUrl',
  'jetty.openai.baseUrl',
  'jetty.openrouter.baseUrl',
  'jetty.google.baseUrl',
  'jetty.bedrock.endpointUrl',
]);

const providerSettings = Object.fromEntries(
  Object.values(PROVIDER_SETTINGS).map((entry) => [
    entry.setting,
    {
      type: 'string',
      default: entry.default,
      scope: USER_ONLY.has(entry.setting) ? 'application' : 'window',
      env: entry.env,
    },
  ]),
) as Record<string, SettingSpec>;

const MEGABYTE = 1024 * 1024;
/** jetty.results.*: the limits of what comes home (results.ts), each the user's, each with its CLI variable. */
const RESULT_LIMITS = {
  maxTotalBytes: {
    id: 'jetty.results.maxTotalMegabytes',
    env: 'JETTY_RESULTS_MAX_TOTAL_MEGABYTES',
    unit: MEGABYTE,
    type: 'number',
  },
  maxFileBytes: {
    id: 'jetty.results.maxFileMegabytes',
    env: 'JETTY_RESULTS_MAX_FILE_MEGABYTES',
    unit: MEGABYTE,
    type: 'number',
  },
  maxFiles: { id: 'jetty.results.maxFiles', env: 'JETTY_RESULTS_MAX_FILES', unit: 1, type: 'integer' },
  maxCompressionRatio: {
    id: 'jetty.results.maxCompressionRatio',
    env: 'JETTY_RESULTS_MAX_COMPRESSION_RATIO',
    unit: 1,
    type: 'number',
  },
} as const satisfies Record<keyof ResultLimits, { id: string; env: string; unit: number; type: SettingType }>;

const resultSettings = Object.fromEntries(
  Object.entries(RESULT_LIMITS).map(([field, { id, env, unit, type }]) => [
    id,
    { type, default: DEFAULT_RESULT_LIMITS[field as keyof ResultLimits] / unit, scope: 'application', env },
  ]),
) as Record<string, SettingSpec>;

export const SETTINGS: Readonly<Record<string, SettingSpec>> = {
  'jetty.runbookFilePattern': { type: 'string', default: DEFAULT_RUNBOOK_PATTERN, scope: 'window' },
  'jetty.lint.rules': { type: 'object', default: {}, scope: 'resource' },
  'jetty.sandbox': { type: 'string', default: 'daytona', scope: 'application', env: 'JETTY_SANDBOX' },
  'jetty.daytona.snapshots': { type: 'object', default: {}, scope: 'window', env: 'JETTY_DAYTONA_SNAPSHOTS' },
  ...providerSettings,
  ...versionSettings,
  'jetty.run.timeoutMinutes': { type: 'number', default: 30, scope: 'window', env: 'JETTY_RUN_TIMEOUT_MINUTES' },
  'jetty.run.maxConcurrent': { type: 'integer', default: 3, scope: 'window', env: 'JETTY_RUN_MAX_CONCURRENT' },
  'jetty.run.strictProvider': { type: 'boolean', default: false, scope: 'window', env: 'JETTY_STRICT_PROVIDER' },
  ...resultSettings,
};

/** The setting id → the CLI's variable, for messages that name a setting to a CLI user. */
export const SETTING_ENV: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SETTINGS).flatMap(([id, spec]) => (spec.env ? [[id, spec.env]] : [])),
);

const KIND_WORDS: Record<SettingType, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object of names',
};

export interface JettySettings {
  runbookFilePattern: string;
  /** Severity overrides by rule code (jetty.lint.rules). */
  lintRules: Record<string, string>;
  sandbox: 'daytona' | 'local';
  /** A runbook's snapshot name → the name in the user's Daytona organisation (jetty.daytona.snapshots). */
  snapshots: Record<string, string>;
  provider: ProviderSettings;
  /** The CLI version per agent (jetty.<agent>.version). */
  versions: Partial<Record<AgentId, string>>;
  timeoutMinutes: number;
  maxConcurrent: number;
  /** Run only with the runbook's own provider, never another whose key is here (jetty.run.strictProvider). */
  strictProvider: boolean;
  /** What a run may bring home (jetty.results.*), in bytes and counts. */
  resultLimits: ResultLimits;
}

/**
 * The settings from a lookup by id (VS Code's configuration, or the CLI's environment, whose values are text: numbers
 * and JSON objects are read from text too). A value of the wrong type counts as not set, and is told to `onProblem`.
 */
export function readSettings(
  get: (id: string) => unknown,
  onProblem: (id: string, problem: string) => void = () => undefined,
): JettySettings {
  const value = <T>(id: string, read: (raw: unknown) => T | undefined): T => {
    const spec = SETTINGS[id]!;
    const raw = get(id);
    if (raw === undefined || raw === null || raw === '') return spec.default as T;
    const read_ = read(raw);
    if (read_ !== undefined) return read_;
    onProblem(id, `is not ${KIND_WORDS[spec.type]}`);
    return spec.default as T;
  };
  const text = (id: string) => value(id, (raw) => (typeof raw === 'string' ? raw.trim() || undefined : undefined));
  const number = (id: string, integer = false) =>
    value(id, (raw) => {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
      return Number.isFinite(n) && (!integer || Number.isInteger(n)) ? n : undefined;
    });
  const strings = (id: string) =>
    value(id, (raw) => {
      let object = raw;
      if (typeof raw === 'string') {
        try {
          object = JSON.parse(raw);
        } catch {
          return undefined;
        }
      }
      if (!object || typeof object !== 'object' || Array.isArray(object)) return undefined;
      return Object.fromEntries(Object.entries(object).filter((e): e is [string, string] => typeof e[1] === 'string'));
    });
  return {
    runbookFilePattern: text('jetty.runbookFilePattern'),
    lintRules: strings('jetty.lint.rules'),
    sandbox: text('jetty.sandbox') === 'local' ? 'local' : 'daytona',
    snapshots: strings('jetty.daytona.snapshots'),
    provider: providerSettingsFrom(text),
    versions: Object.fromEntries(AGENT_IDS.map((id) => [id, text(ADAPTERS[id].cli.versionSetting)])),
    timeoutMinutes: number('jetty.run.timeoutMinutes'),
    maxConcurrent: number('jetty.run.maxConcurrent', true),
    strictProvider: value('jetty.run.strictProvider', (raw) =>
      typeof raw === 'boolean'
        ? raw
        : raw === 'true' || raw === '1'
          ? true
          : raw === 'false' || raw === '0'
            ? false
            : undefined,
    ),
    resultLimits: Object.fromEntries(
      Object.entries(RESULT_LIMITS).map(([field, { id, unit, type }]) => {
        const n = number(id, type === 'integer');
        // A limit of nothing (0 or less) is no limit anyone means: the default stands.
        return [field, n > 0 ? n * unit : DEFAULT_RESULT_LIMITS[field as keyof ResultLimits]];
      }),
    ) as unknown as ResultLimits,
  };
}

/** The CLI's lookup: each setting from its variable in SETTING_ENV. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): (id: string) => string | undefined {
  return (id) => {
    const name = SETTING_ENV[id];
    return name === undefined ? undefined : env[name];
  };
}
