// Everything a run needs before it starts, gathered the same way for "Jetty: Run Runbook" and `jetty-runbook run`: the
// settings (read by their VS Code ids; the CLI answers from its environment and options), the values of exactly the
// keys and secrets this run uses (nothing else is asked for, so nothing else can reach the sandbox), the plan, and the
// sandbox provider to run it with. The adapters only supply the two lookups.
import { PROVIDER_SETTINGS, isKeyName, providerSettingsFrom, type KeyValues } from '../keys';
import { frontMatterMapping, parseRunbook } from '../runbook/parse';
import { createDaytonaProvider } from './daytona';
import { createLocalProvider } from './local';
import { DEFAULT_VERSIONS, planRun, type Blocked, type RunPlan, type RunSettings, type SandboxKind } from './plan';
import { keysNeeded, type NeededKey } from './routing';
import type { SandboxProvider } from './sandbox';

/** The environment variable the CLI reads for each setting (it never sees VS Code settings). */
export const SETTING_ENV: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.values(PROVIDER_SETTINGS).map((entry) => [entry.setting, entry.env])),
  'jetty.sandbox': 'JETTY_SANDBOX',
  'jetty.claudeCode.version': 'JETTY_CLAUDE_CODE_VERSION',
  'jetty.codex.version': 'JETTY_CODEX_VERSION',
  'jetty.daytona.snapshots': 'JETTY_DAYTONA_SNAPSHOTS',
  'jetty.run.timeoutMinutes': 'JETTY_RUN_TIMEOUT_MINUTES',
};

export interface RunSources {
  /** The runbook's source text. */
  text: string;
  /** The runbook's name (runs.ts runbookName): the tree, labels and the run folder use it. */
  name: string;
  sandbox: SandboxKind;
  /** A `jetty.*` setting by its full id; undefined when not set. */
  setting(id: string): unknown;
  /** The value of a provider key (`kind: 'key'`) or a runbook secret (`kind: 'secret'`); undefined when not set. */
  value(key: NeededKey): string | undefined | Promise<string | undefined>;
}

export type PreparedRun =
  | {
      ok: true;
      plan: RunPlan;
      /** The provider for the plan's sandbox kind, with the Daytona key and endpoint from the sources. */
      createProvider(): SandboxProvider;
    }
  | { ok: false; blocked: Blocked };

export async function prepareRun(sources: RunSources): Promise<PreparedRun> {
  const front = frontMatterMapping(parseRunbook(sources.text)) ?? {};
  const needed = keysNeeded(front, { sandbox: sources.sandbox });
  const values = await Promise.all(needed.map((key) => sources.value(key)));
  const keys: KeyValues = {};
  const secrets: KeyValues = {};
  needed.forEach((key, i) => {
    if (values[i]) (key.kind === 'key' ? keys : secrets)[key.name] = values[i];
  });
  const settings = runSettings(sources.setting);
  const planned = planRun({
    text: sources.text,
    name: sources.name,
    sandbox: sources.sandbox,
    settings,
    keys,
    secrets,
  });
  if (!planned.ok) return planned;
  const { daytonaApiUrl: apiUrl, daytonaTarget: target } = settings.provider;
  return {
    ok: true,
    plan: planned.plan,
    createProvider: () =>
      sources.sandbox === 'daytona'
        ? createDaytonaProvider({ apiKey: keys.DAYTONA_API_KEY ?? '', apiUrl, target })
        : createLocalProvider(),
  };
}

/**
 * The CLI's lookups: a setting from its variable in SETTING_ENV, a key from its own variable, and a runbook secret from
 * the variable the agent reads it from, but never from a provider key's variable: in a terminal those hold the user's
 * own keys, and a runbook must not be able to pull one (the Daytona key rules a whole organisation) into its sandbox.
 */
export function environmentLookups(env: NodeJS.ProcessEnv): Pick<RunSources, 'setting' | 'value'> {
  return {
    setting: (id) => {
      const name = SETTING_ENV[id];
      return name === undefined ? undefined : env[name];
    },
    value: (key) =>
      key.kind === 'key' ? env[key.name] : key.env !== undefined && !isKeyName(key.env) ? env[key.env] : undefined,
  };
}

/** The run's settings from a lookup by setting id; values of the wrong type count as not set. */
export function runSettings(setting: (id: string) => unknown): RunSettings {
  const text = (id: string) => {
    const value = setting(id);
    return typeof value === 'string' ? value : undefined;
  };
  const strings = (id: string): Record<string, string> => {
    const value = setting(id);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  };
  return {
    provider: providerSettingsFrom(text),
    versions: {
      'claude-code': text('jetty.claudeCode.version') || DEFAULT_VERSIONS['claude-code'],
      codex: text('jetty.codex.version') || DEFAULT_VERSIONS.codex,
    },
    snapshots: strings('jetty.daytona.snapshots'),
    lintRules: strings('jetty.lint.rules'),
  };
}
