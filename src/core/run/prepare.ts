// Everything a run needs before it starts, gathered the same way for "Jetty: Run Runbook" and `jetty-runbook run`: the
// values of exactly the keys and secrets this run uses (nothing else is asked for, so nothing else can reach the
// sandbox), the plan, and the sandbox provider to run it with. Each host supplies its settings and a lookup of values.
import { isKeyName, KEYS, type KeyName, type KeyValues } from '../keys';
import type { JettySettings } from '../settings';
import { frontMatterMapping, parseRunbook } from '../runbook/parse';
import { createDaytonaProvider } from './daytona';
import { createLocalProvider } from './local';
import { planRun, type Blocked, type InputFile, type RunPlan, type SandboxKind } from './plan';
import { keysNeeded, type NeededKey } from './credentials';
import { chooseProvider } from './providerChoice';
import type { SandboxProvider } from './sandbox';

export interface RunSources {
  /** The runbook's source text. */
  text: string;
  /** The runbook's name (runs.ts runbookName): the tree, labels and the run folder use it. */
  name: string;
  sandbox: SandboxKind;
  settings: JettySettings;
  /** The value of a provider key (`kind: 'key'`) or a runbook secret (`kind: 'secret'`); undefined when not set. */
  value(key: NeededKey): string | undefined | Promise<string | undefined>;
  parameters?: Readonly<Record<string, string>>;
  inputFiles?: readonly InputFile[];
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
  const written = frontMatterMapping(parseRunbook(sources.text)) ?? {};
  // Each value is read once, however many questions need it (choosing the provider, then the run's own keys).
  const read = new Map<string, Promise<string | undefined>>();
  const value = (key: NeededKey) => {
    const id = `${key.kind}:${key.name}`;
    if (!read.has(id)) read.set(id, Promise.resolve(sources.value(key)));
    return read.get(id)!;
  };
  const isSet = async (name: KeyName) =>
    Boolean(await value({ name, kind: 'key', label: KEYS[name].label, why: '', required: true }));
  const providerSwitch = await chooseProvider(
    written,
    async (keys) => (await Promise.all(keys.map(isSet))).every(Boolean),
    sources.settings.strictProvider,
  );
  const front = providerSwitch
    ? { ...written, model_provider: providerSwitch.provider, model: providerSwitch.model }
    : written;
  const needed = keysNeeded(front, { sandbox: sources.sandbox });
  const values = await Promise.all(needed.map(value));
  const keys: KeyValues = {};
  const secrets: KeyValues = {};
  needed.forEach((key, i) => {
    if (values[i]) (key.kind === 'key' ? keys : secrets)[key.name] = values[i];
  });
  const settings = sources.settings;
  const planned = planRun({
    text: sources.text,
    name: sources.name,
    sandbox: sources.sandbox,
    settings,
    keys,
    secrets,
    ...(providerSwitch ? { providerSwitch } : {}),
    ...(sources.parameters ? { parameters: sources.parameters } : {}),
    ...(sources.inputFiles ? { inputFiles: sources.inputFiles } : {}),
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
 * The CLI's lookup of values: a key from its own variable, and a runbook secret from the variable the agent reads it
 * from, only when the user granted that variable (`--secret NAME`, JETTY_SECRETS: a terminal's environment holds
 * AWS_SECRET_ACCESS_KEY, SSH_AUTH_SOCK, CI tokens, none of which a runbook may take by naming it), and never from a
 * provider key's variable (the user's own keys: the Daytona key rules a whole organisation).
 */
export function environmentLookups(env: NodeJS.ProcessEnv, granted: ReadonlySet<string>): Pick<RunSources, 'value'> {
  return {
    value: (key) =>
      key.kind === 'key'
        ? env[key.name]
        : key.env !== undefined && !isKeyName(key.env) && granted.has(key.env)
          ? env[key.env]
          : undefined,
  };
}
