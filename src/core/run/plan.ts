// A run plan: everything about running one runbook that can be decided without a sandbox (the sandbox request with
// the keys, the agent, model and CLI version, the route's files), as plain data, or why the run cannot start; and the
// shell steps that carry it out once the sandbox exists. Pure: no file system, no network, no clock. What is specific
// to one agent comes from its adapter (agents/); the facts behind each are cited there.
import { adapterOf, agentSetup, routeForRunbook } from '../agents';
import type { AgentFile, Launch, McpServer } from '../agents/agent';
import { defaultModel, PROVIDERS, type AgentId, type ProviderId } from '../catalog';
import { declaredSecrets, settingsCredentials, type KeyValues } from '../keys';
import type { JettySettings } from '../settings';
import { lint, type Finding } from '../runbook/lint';
import { frontMatterMapping, parseRunbook } from '../runbook/parse';
import { requiredOutputs } from '../runbook/structure';
import { renderTemplate } from '../runbook/template';
import { shellQuote, slug } from '../text';
import { missingKeys, secretsEnvironment, type NeededKey } from './credentials';
import type { ProviderSwitch } from './providerChoice';
import { renderRunbookBody, unfilledParameters } from './render';
import { primaryOutputsOf } from './outputs';
import type { SandboxFile, SandboxRequest } from './sandbox';

export type SandboxKind = 'daytona' | 'local';

/** What the version settings accept (their pattern in package.json is the same): an exact version, no range or tag. */
export const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * Jetty's sandbox layout, the same in every sandbox (Daytona's, the local one, Jetty's own), so a runbook that writes
 * `/app/results` works everywhere: the results ({{results_dir}}, what comes home), the input files ({{assets_dir}}),
 * the checks ({{checks_dir}}), and the agent's home (its logs, configuration and credential files: claude-code's
 * sessions, CODEX_HOME), which also holds the prompt.
 */
export const LAYOUT = {
  results: '/app/results',
  assets: '/app/assets',
  checks: '/app/checks',
  agentHome: '/logs/agent',
  prompt: '/logs/agent/prompt.md',
} as const;

/** The settings a plan reads (the rest of JettySettings is the host's business). */
export type RunSettings = Pick<JettySettings, 'provider' | 'versions' | 'snapshots'> &
  Partial<Pick<JettySettings, 'lintRules'>>;

export interface PlanInput {
  /** The runbook's source text. */
  text: string;
  /** The runbook's name (its file name without `.runbook.md` / `.md`): the tree, labels and the run folder use it. */
  name: string;
  sandbox: SandboxKind;
  settings: RunSettings;
  /** Provider keys by registry name (keys.ts), including DAYTONA_API_KEY for a Daytona run. */
  keys: KeyValues;
  /** The runbook's own declared secrets by name. */
  secrets: KeyValues;
  /** Run on another provider than the runbook's (its key is missing here): see providerChoice.ts. */
  providerSwitch?: ProviderSwitch;
  /** Values of the runbook's run parameters (`{{name}}` in its body), by name. */
  parameters?: Readonly<Record<string, string>>;
  /** Files for the agent, uploaded into {{assets_dir}} under their names before it starts. */
  inputFiles?: readonly InputFile[];
}

/** A file of this machine given to a run. */
export interface InputFile {
  /** Its name in {{assets_dir}}: one plain file name (checked by inputs.ts). */
  name: string;
  /** Where it is on this machine. */
  path: string;
}

export interface RunPlan {
  runbook: string;
  agent: AgentId;
  agentVersion: string;
  model: string;
  provider: ProviderId;
  sandbox: SandboxKind;
  /** What the sandbox is created with. `env` holds the keys: never log it. */
  request: SandboxRequest;
  /** The runbook's own snapshot name when jetty.daytona.snapshots mapped it to `request.snapshot`. */
  snapshotMappedFrom?: string;
  /** The runbook body with secrets as `${VAR}` references; sandboxSteps fills in the folders ({{results_dir}}…). */
  body: string;
  /** Environment for the agent process that is not secret (exported by its command line). */
  agentEnv: Readonly<Record<string, string>>;
  /** The route's files, relative to the agent's home; `credential` ones are deleted when the agent exits. */
  files: readonly AgentFile[];
  /** MCP servers from the front-matter, by name. */
  mcpServers: Readonly<Record<string, McpServer>>;
  /** Only inside a sandbox that isolates the agent: approvals and the CLI's own sandbox are bypassed (see Launch). */
  bypassPermissions: boolean;
  /** The keys that route the model provider (for "the provider rejected the key" errors). */
  providerKeys: readonly string[];
  /** Every secret value the run carries: what its redactor must hide. */
  secretValues: readonly string[];
  /** What the runbook asked for when the run uses another provider, and the sentence that says so. */
  providerSwitch?: Pick<ProviderSwitch, 'from' | 'note'>;
  /** The runbook's `primary_outputs`, and the files its REQUIRED OUTPUT FILES lists, relative to {{results_dir}}. */
  primaryOutputs: readonly string[];
  requiredOutputs: readonly string[];
  /** The run parameters given a value, and those the body uses that were not (they stay literal, as on Jetty). */
  parameters: Readonly<Record<string, string>>;
  unfilled: readonly string[];
  inputFiles: readonly InputFile[];
}

/** Why a run cannot start. Nothing has been created when a plan is blocked. */
export type Blocked =
  | { reason: 'lint'; findings: Finding[] }
  | { reason: 'unsupported'; message: string }
  /** A setting (or its CLI equivalent) holds a value the run cannot use. */
  | { reason: 'setting'; setting: string; message: string }
  /** No `model`, and Jetty documents no default for this agent and provider (hermes off Bedrock). */
  | { reason: 'no-model'; message: string }
  | { reason: 'missing-keys'; keys: NeededKey[] };

export type PlanResult = { ok: true; plan: RunPlan } | { ok: false; blocked: Blocked };

export function planRun(input: PlanInput): PlanResult {
  const parsed = parseRunbook(input.text);
  const errors = lint(
    parsed,
    { rules: input.settings.lintRules },
    { snapshots: Object.keys(input.settings.snapshots) },
  ).filter((finding) => finding.severity === 'error');
  if (errors.length) return { ok: false, blocked: { reason: 'lint', findings: errors } };

  const written = frontMatterMapping(parsed) ?? {};
  // Lint reads the runbook as written; the run, with the provider and model actually used.
  const providerSwitch = input.providerSwitch;
  const front = providerSwitch
    ? { ...written, model_provider: providerSwitch.provider, model: providerSwitch.model }
    : written;
  const route = routeForRunbook(front);
  if (!route.supported) return { ok: false, blocked: { reason: 'unsupported', message: route.reason } };
  const agent = route.agent;

  // npm would take `latest` or `^2.1`, but the install step compares `<cli> --version` with this exact text: anything
  // else reinstalls on every run and then fails its own check.
  const cli = adapterOf(agent).cli;
  const agentVersion = input.settings.versions[agent] || cli.defaultVersion;
  if (!EXACT_VERSION.test(agentVersion)) {
    return {
      ok: false,
      blocked: {
        reason: 'setting',
        setting: cli.versionSetting,
        message: `${agent} version "${agentVersion}" is not an exact version such as ${cli.defaultVersion}.`,
      },
    };
  }

  const valueOf = (key: NeededKey): string | undefined =>
    key.kind === 'key' ? input.keys[key.name] : input.secrets[key.name];
  const missing = missingKeys(front, (key) => Boolean(valueOf(key)), { sandbox: input.sandbox });
  if (missing.length) return { ok: false, blocked: { reason: 'missing-keys', keys: missing } };

  const model =
    typeof front.model === 'string' && front.model ? front.model : (defaultModel(agent, route.provider) ?? '');
  if (!model) {
    const message = `${agent} with ${PROVIDERS[route.provider].label} has no default model (Jetty documents none).`;
    return { ok: false, blocked: { reason: 'no-model', message } };
  }
  const setup = agentSetup(route, { keys: input.keys, settings: input.settings.provider, model });
  // Keys and URLs go into the sandbox's own environment (session commands take no env, and a value in the command text
  // would be visible in the sandbox's process list and the toolbox logs); the rest is exported by the agent's command
  // line. The runbook's secrets come from its own values only, never from the key store, and never overwrite a variable
  // the route set (the agent must reach its provider). The Daytona key, which rules the user's whole organisation,
  // never enters the sandbox, whatever a runbook declares.
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(secretsEnvironment(front, input.secrets))) {
    if (name !== 'DAYTONA_API_KEY' && !(name in setup.secretEnv) && !(name in setup.env)) env[name] = value;
  }
  Object.assign(env, setup.secretEnv);
  const secretValues = new Set<string>([
    ...Object.values(input.keys).filter((v): v is string => Boolean(v)),
    ...declaredSecrets(front).flatMap((secret) => input.secrets[secret.name] ?? []),
    ...settingsCredentials(input.settings.provider),
  ]);

  const mcpServers = readMcpServers(front.mcp_servers);
  const parameters = input.parameters ?? {};

  const image = typeof front.image === 'string' ? front.image : undefined;
  const snapshot = typeof front.snapshot === 'string' ? front.snapshot : undefined;
  const mapped = snapshot !== undefined ? input.settings.snapshots[snapshot] : undefined;
  const request: SandboxRequest = {
    ...(image ? { image } : snapshot ? { snapshot: mapped || snapshot } : {}),
    env,
    // The runner adds `jetty-run` (the run folder's name) once it has one.
    labels: { 'jetty-runbook': slug(input.name) },
  };

  return {
    ok: true,
    plan: {
      runbook: input.name,
      agent,
      agentVersion,
      model,
      provider: route.provider,
      sandbox: input.sandbox,
      request,
      ...(mapped && snapshot && mapped !== snapshot ? { snapshotMappedFrom: snapshot } : {}),
      // {{secrets.NAME}} becomes ${VAR} now: the prompt, and so the trajectory, never holds a secret's value.
      body: renderRunbookBody(parsed.body, front, parameters),
      primaryOutputs: primaryOutputsOf(front.primary_outputs),
      requiredOutputs: requiredOutputs(parsed),
      parameters,
      unfilled: unfilledParameters(parsed.body, parameters),
      inputFiles: input.inputFiles ?? [],
      agentEnv: setup.env,
      files: setup.files,
      mcpServers,
      // Both sandboxes isolate the agent (local.ts: bubblewrap), so approvals and the CLI's own sandbox are bypassed,
      // as Jetty does; everything the agent starts (its commands, its MCP servers) is inside the sandbox anyway.
      bypassPermissions: true,
      providerKeys: route.keys,
      secretValues: [...secretValues],
      ...(providerSwitch ? { providerSwitch: { from: providerSwitch.from, note: providerSwitch.note } } : {}),
    },
  };
}

/** What runs in the sandbox once it exists. */
export interface SandboxSteps {
  /** Creates Jetty's layout (LAYOUT) before anything is uploaded into it, with sudo where the sandbox user needs it. */
  layout: string;
  files: SandboxFile[];
  /** Makes sure the pinned CLI is on PATH: nothing when `<cli> --version` already says the pinned version. */
  install: string;
  /** The agent's command line. Its stdout is the trajectory; its exit code is the run's. */
  agent: string;
  /** {{results_dir}}: absolute, inside the sandbox. */
  resultsDir: string;
  /** {{assets_dir}}: where the run's input files go. */
  assetsDir: string;
}

export function sandboxSteps(plan: RunPlan, workDir: string): SandboxSteps {
  const resultsDir = LAYOUT.results;
  const home = LAYOUT.agentHome;
  const folders: Record<string, string> = {
    results_dir: resultsDir,
    checks_dir: LAYOUT.checks,
    assets_dir: LAYOUT.assets,
  };
  const prompt = renderTemplate(plan.body, (name) => folders[name]);
  const launch = adapterOf(plan.agent).launch(
    {
      model: plan.model,
      provider: plan.provider,
      workDir,
      home,
      promptFile: LAYOUT.prompt,
      mcpServers: plan.mcpServers,
      bypassPermissions: plan.bypassPermissions,
    },
    plan.files,
  );
  const files = launch.files.map((f) => ({ ...f, path: `${home}/${f.path}` }));
  return {
    layout: layoutScript(),
    files: [{ path: LAYOUT.prompt, content: prompt }, ...files.map((f) => ({ path: f.path, content: f.content }))],
    install: installScript(plan),
    agent: agentCommand(plan, {
      workDir,
      credentials: files.filter((f) => f.credential).map((f) => f.path),
      launch,
    }),
    resultsDir,
    assetsDir: folders.assets_dir!,
  };
}

/**
 * Jetty's folders, made by the sandbox user itself (so it owns them), with passwordless sudo where it may not write
 * there (Daytona's `daytona` user and `/app`); the agent's home readable by that user only (credential files).
 */
function layoutScript(): string {
  const folders = [LAYOUT.results, LAYOUT.assets, LAYOUT.checks, LAYOUT.agentHome].map(shellQuote).join(' ');
  return [
    `for dir in ${folders}; do`,
    '  if mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ]; then continue; fi',
    '  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n mkdir -p "$dir" && sudo -n chown "$(id -u):$(id -g)" "$dir" && [ -w "$dir" ]; then continue; fi',
    '  echo "Cannot create $dir as $(id -un 2>/dev/null || id -u): the sandbox user must be root or have passwordless sudo."',
    '  exit 1',
    'done',
    `chmod 700 ${shellQuote(LAYOUT.agentHome)}`,
  ].join('\n');
}

/**
 * Where the pinned CLI is installed when the sandbox does not have it: a prefix per version in the sandbox user's
 * cache, or where the local sandbox keeps CLIs across runs (JETTY_CLI_CACHE, writable by the install step only).
 */
function cliPrefix(plan: RunPlan): string {
  return `"\${JETTY_CLI_CACHE:-\${XDG_CACHE_HOME:-$HOME/.cache}/jetty-runbooks}/${plan.agent}-${plan.agentVersion}"`;
}

function installScript(plan: RunPlan): string {
  const cli = adapterOf(plan.agent).cli;
  const version = `$(${cli.versionCommand ?? `${cli.bin} --version`} 2>/dev/null | grep -oE '[0-9]+\\.[0-9]+\\.[0-9]+[^ ]*' | head -n 1)`;
  // A Python CLI gets a virtual environment of its own, and only its executable goes on PATH ($prefix/bin): the
  // environment's python and pip there would shadow the sandbox's for every command the agent runs.
  const install =
    cli.installer === 'npm'
      ? `npm install --global --prefix "$prefix" --no-audit --no-fund --loglevel=error "${cli.package}@$want" 2>&1 || exit 1`
      : `{ python3 -m venv "$prefix/venv" && "$prefix/venv/bin/pip" install --quiet --disable-pip-version-check "${cli.package}==$want" && mkdir -p "$prefix/bin" && ln -sf "$prefix/venv/bin/${cli.bin}" "$prefix/bin/${cli.bin}"; } 2>&1 || exit 1`;
  return [
    `want=${shellQuote(plan.agentVersion)}`,
    `prefix=${cliPrefix(plan)}`,
    'export PATH="$prefix/bin:$PATH" DISABLE_AUTOUPDATER=1',
    `found=${version}`,
    `if [ "$found" = "$want" ]; then echo "${plan.agent} $found is installed"; exit 0; fi`,
    `echo "Installing ${plan.agent} $want (found: \${found:-none})"`,
    install,
    `found=${version}`,
    `if [ "$found" != "$want" ]; then echo "${cli.bin} --version says \${found:-nothing} after installing $want"; exit 1; fi`,
    `echo "${plan.agent} $found installed"`,
  ].join('\n');
}

interface CommandParts {
  workDir: string;
  /** Absolute paths of the credential files. */
  credentials: string[];
  launch: Launch;
}

function agentCommand(plan: RunPlan, { workDir, credentials, launch }: CommandParts): string {
  const lines = [`export PATH=${cliPrefix(plan)}/bin:"$PATH"`];
  for (const [name, value] of Object.entries({ ...plan.agentEnv, ...launch.env })) {
    lines.push(`export ${name}=${shellQuote(value)}`);
  }
  lines.push(...(launch.before ?? []));
  if (credentials.length) {
    const quoted = credentials.map(shellQuote).join(' ');
    // Deleted however the agent ends (success, failure, a signal the shell survives): the credential must not outlive it.
    lines.push(`chmod 600 ${quoted}`, `remove_credentials() { rm -f ${quoted}; }`, 'trap remove_credentials EXIT');
  }
  // stdin closed: codex blocks on an open stdin, claude-code waits 3 s for it, opencode hangs.
  lines.push(`cd ${shellQuote(workDir)}`, `${launch.command} < /dev/null`);
  return lines.join('\n');
}

function readMcpServers(value: unknown): Record<string, McpServer> {
  const out: Record<string, McpServer> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const spec = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    if (typeof spec.command !== 'string' || !spec.command) continue;
    const args = Array.isArray(spec.args) ? spec.args.filter((a): a is string => typeof a === 'string') : [];
    const env =
      spec.env && typeof spec.env === 'object'
        ? Object.fromEntries(Object.entries(spec.env).filter((e): e is [string, string] => typeof e[1] === 'string'))
        : {};
    out[name] = { command: spec.command, args, ...(Object.keys(env).length ? { env } : {}) };
  }
  return out;
}
