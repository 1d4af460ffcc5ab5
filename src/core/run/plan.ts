// A run plan: everything about running one runbook that can be decided without a sandbox, as plain data, and the shell
// steps that carry it out once the sandbox exists. Pure: no file system, no network, no clock.
//
//   planRun(input)            → the sandbox request (snapshot or image, env with the keys, labels), the agent, model and
//                               CLI version, the files the agent needs; or why the run cannot start (lint errors, an
//                               agent × provider that cannot run, missing keys), before anything is created.
//   sandboxSteps(plan, dir)   → given the sandbox's work dir: the files to upload, the install script, the agent's
//                               command line, and where the results are.
//
// Layout inside the sandbox, relative to its work dir (the agent's working directory): `results/` is {{results_dir}};
// `.jetty/` holds the prompt, claude-code's MCP config and $CODEX_HOME (auth.json, config.toml). Everything stays
// inside the work dir because the local sandbox refuses paths outside its folder and a Daytona user may not write
// elsewhere. The agent CLIs are installed under the sandbox user's cache folder, one prefix per version.
//
// Facts behind the command lines: ../shared/seeds/ (Jetty's runtime pages) and ../shared/notes/agent-clis.md.
import { defaultModel, type ProviderId } from '../runbook/catalog';
import { lint, type Finding } from '../runbook/lint';
import { frontMatterMapping, parseRunbook } from '../runbook/parse';
import { renderTemplate } from '../runbook/template';
import { declaredSecrets, settingsCredentials, type KeyValues, type ProviderSettings } from '../keys';
import type { RunnableAgent } from '../runbook/catalog';
import { agentSetup, missingKeys, routeForRunbook, secretsEnvironment, tomlString, type NeededKey } from './routing';
import { renderSecretReferences } from './render';
import { shellQuote, type SandboxFile, type SandboxRequest } from './sandbox';

export type SandboxKind = 'daytona' | 'local';

/** The CLI versions installed when the settings say nothing (claude-code: what Jetty's own runner pins). */
export const DEFAULT_VERSIONS: Readonly<Record<RunnableAgent, string>> = { 'claude-code': '2.1.126', codex: '0.169.0' };

/** What the version settings accept (their pattern in package.json is the same): an exact npm version, no range or tag. */
export const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** claude-code's allowed tools when the runbook declares no MCP servers: the seed runner's default list. */
export const CLAUDE_ALLOWED_TOOLS = [
  'Bash',
  'Edit',
  'Write',
  'Read',
  'Glob',
  'Grep',
  'LS',
  'WebFetch',
  'NotebookEdit',
  'NotebookRead',
  'TodoRead',
  'TodoWrite',
  'Agent',
] as const;

/** Where a run's files go, relative to the sandbox's work dir. */
export const LAYOUT = {
  results: 'results',
  prompt: '.jetty/prompt.md',
  mcpConfig: '.jetty/mcp.json',
  codexHome: '.jetty/codex',
} as const;

interface AgentCli {
  npmPackage: string;
  /** The executable the package puts on PATH. */
  bin: string;
  /** The setting that pins its version (for messages). */
  versionSetting: string;
}

export const AGENT_CLIS: Readonly<Record<RunnableAgent, AgentCli>> = {
  'claude-code': { npmPackage: '@anthropic-ai/claude-code', bin: 'claude', versionSetting: 'jetty.claudeCode.version' },
  codex: { npmPackage: '@openai/codex', bin: 'codex', versionSetting: 'jetty.codex.version' },
};

export interface RunSettings {
  provider: ProviderSettings;
  /** CLI version per agent (jetty.claudeCode.version, jetty.codex.version). */
  versions: Readonly<Record<RunnableAgent, string>>;
  /** jetty.daytona.snapshots: a runbook's snapshot name → the name in the user's Daytona organisation. */
  snapshots: Readonly<Record<string, string>>;
  /** jetty.lint.rules: severity overrides by rule code. */
  lintRules?: Readonly<Record<string, string>>;
}

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
}

export interface RunPlan {
  runbook: string;
  agent: RunnableAgent;
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
  /** Files for the agent, relative to the work dir; `credential` ones are deleted when the agent exits. */
  files: readonly RunFile[];
  /** MCP servers from the front-matter, by name. */
  mcpServers: Readonly<Record<string, McpServer>>;
  /** Only inside a real sandbox: claude-code runs with permissions bypassed (and IS_SANDBOX=1 as root), codex without its own sandbox. */
  bypassPermissions: boolean;
  /** The keys that route the model provider (for "the provider rejected the key" errors). */
  providerKeys: readonly string[];
  /** Every secret value the run carries: what its redactor must hide. */
  secretValues: readonly string[];
}

export interface RunFile {
  /** Relative to the sandbox's work dir. */
  path: string;
  content: string;
  /** Written readable by its owner only, and deleted as soon as the agent exits. */
  credential: boolean;
}

export interface McpServer {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Why a run cannot start. Nothing has been created when a plan is blocked. */
export type Blocked =
  | { reason: 'lint'; findings: Finding[] }
  | { reason: 'unsupported'; message: string }
  /** A setting (or its CLI equivalent) holds a value the run cannot use. */
  | { reason: 'setting'; setting: string; message: string }
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

  const front = frontMatterMapping(parsed) ?? {};
  const route = routeForRunbook(front);
  if (!route.supported) return { ok: false, blocked: { reason: 'unsupported', message: route.reason } };
  const agent = route.agent;

  // npm would take `latest` or `^2.1`, but the install step compares `<cli> --version` with this exact text: anything
  // else reinstalls on every run and then fails its own check.
  const agentVersion = input.settings.versions[agent] || DEFAULT_VERSIONS[agent];
  if (!EXACT_VERSION.test(agentVersion)) {
    const setting = AGENT_CLIS[agent].versionSetting;
    return {
      ok: false,
      blocked: {
        reason: 'setting',
        setting,
        message: `${agent} version "${agentVersion}" is not an exact version such as ${DEFAULT_VERSIONS[agent]}.`,
      },
    };
  }

  const valueOf = (key: NeededKey): string | undefined =>
    key.kind === 'key' ? input.keys[key.name] : input.secrets[key.name];
  const missing = missingKeys(front, (key) => Boolean(valueOf(key)), { sandbox: input.sandbox });
  if (missing.length) return { ok: false, blocked: { reason: 'missing-keys', keys: missing } };

  const setup = agentSetup(route, { keys: input.keys, settings: input.settings.provider });
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
  // The route's files go in the agent's configuration folder: $CODEX_HOME, placed inside the work dir (see LAYOUT).
  const files: RunFile[] = setup.files.map((f) => ({
    path: `${LAYOUT.codexHome}/${f.name}`,
    content: f.content,
    credential: f.credential,
  }));
  if (Object.keys(mcpServers).length) {
    if (agent === 'claude-code') {
      files.push({
        path: LAYOUT.mcpConfig,
        content: `${JSON.stringify({ mcpServers }, null, 2)}\n`,
        credential: false,
      });
    } else {
      // The route may already write a config.toml (a model-provider entry): the MCP tables go after its own.
      const configPath = `${LAYOUT.codexHome}/config.toml`;
      const at = files.findIndex((f) => f.path === configPath);
      const existing = files[at];
      const before = existing ? `${existing.content}${existing.content.endsWith('\n\n') ? '' : '\n'}` : '';
      const merged = {
        path: configPath,
        content: `${before}${codexMcpToml(mcpServers)}`,
        credential: existing?.credential ?? false,
      };
      if (existing) files[at] = merged;
      else files.push(merged);
    }
  }

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
      model: typeof front.model === 'string' && front.model ? front.model : (defaultModel(agent, route.provider) ?? ''),
      provider: route.provider,
      sandbox: input.sandbox,
      request,
      ...(mapped && snapshot && mapped !== snapshot ? { snapshotMappedFrom: snapshot } : {}),
      // {{secrets.NAME}} becomes ${VAR} now: the prompt, and so the trajectory, never holds a secret's value.
      body: renderSecretReferences(parsed.body, front),
      agentEnv: setup.env,
      files,
      mcpServers,
      bypassPermissions: input.sandbox === 'daytona',
      providerKeys: route.keys,
      secretValues: [...secretValues],
    },
  };
}

/** What runs in the sandbox once it exists. */
export interface SandboxSteps {
  files: SandboxFile[];
  /** Makes sure the pinned CLI is on PATH: nothing when `<cli> --version` already says the pinned version. */
  install: string;
  /** The agent's command line. Its stdout is the trajectory; its exit code is the run's. */
  agent: string;
  /** {{results_dir}}: absolute, inside the sandbox. */
  resultsDir: string;
}

export function sandboxSteps(plan: RunPlan, workDir: string): SandboxSteps {
  const at = (relative: string) => `${workDir.replace(/\/+$/, '')}/${relative}`;
  const resultsDir = at(LAYOUT.results);
  const folders: Record<string, string> = {
    results_dir: resultsDir,
    checks_dir: at('checks'),
    assets_dir: at('assets'),
  };
  const prompt = renderTemplate(plan.body, (name) => folders[name]);
  return {
    files: [{ path: LAYOUT.prompt, content: prompt }, ...plan.files.map((f) => ({ path: f.path, content: f.content }))],
    install: installScript(plan),
    agent: agentCommand(plan, workDir, at),
    resultsDir,
  };
}

/** Where the pinned CLI is installed when the sandbox does not have it: a prefix per version in the user's cache. */
function cliPrefix(plan: RunPlan): string {
  return `"\${XDG_CACHE_HOME:-$HOME/.cache}/jetty-runbooks/${plan.agent}-${plan.agentVersion}"`;
}

function installScript(plan: RunPlan): string {
  const cli = AGENT_CLIS[plan.agent];
  const version = `$(${cli.bin} --version 2>/dev/null | grep -oE '[0-9]+\\.[0-9]+\\.[0-9]+[^ ]*' | head -n 1)`;
  return [
    `want=${shellQuote(plan.agentVersion)}`,
    `prefix=${cliPrefix(plan)}`,
    'export PATH="$prefix/bin:$PATH" DISABLE_AUTOUPDATER=1',
    `found=${version}`,
    `if [ "$found" = "$want" ]; then echo "${plan.agent} $found is installed"; exit 0; fi`,
    `echo "Installing ${plan.agent} $want (found: \${found:-none})"`,
    `npm install --global --prefix "$prefix" --no-audit --no-fund --loglevel=error "${cli.npmPackage}@$want" 2>&1 || exit 1`,
    `found=${version}`,
    `if [ "$found" != "$want" ]; then echo "${cli.bin} --version says \${found:-nothing} after installing $want"; exit 1; fi`,
    `echo "${plan.agent} $found installed"`,
  ].join('\n');
}

function agentCommand(plan: RunPlan, workDir: string, at: (relative: string) => string): string {
  const lines = [`export PATH=${cliPrefix(plan)}/bin:"$PATH"`];
  const env: Record<string, string> = { ...plan.agentEnv };
  if (plan.agent === 'codex') env.CODEX_HOME = at(LAYOUT.codexHome);
  else
    Object.assign(env, {
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    });
  for (const [name, value] of Object.entries(env)) lines.push(`export ${name}=${shellQuote(value)}`);
  // claude-code refuses to bypass permissions as root unless told it is in a sandbox.
  if (plan.agent === 'claude-code' && plan.bypassPermissions)
    lines.push('if [ "$(id -u)" = 0 ]; then export IS_SANDBOX=1; fi');
  lines.push(`mkdir -p ${shellQuote(at(LAYOUT.results))}${plan.agent === 'codex' ? ` "$CODEX_HOME"` : ''}`);
  const credentials = plan.files.filter((f) => f.credential).map((f) => shellQuote(at(f.path)));
  if (credentials.length) {
    // Deleted however the agent ends (success, failure, a signal the shell survives): the credential must not outlive it.
    lines.push(
      `chmod 600 ${credentials.join(' ')}`,
      `remove_credentials() { rm -f ${credentials.join(' ')}; }`,
      'trap remove_credentials EXIT',
    );
  }
  const prompt = `"$(cat ${shellQuote(at(LAYOUT.prompt))})"`;
  const model = shellQuote(plan.model);
  let command: string;
  if (plan.agent === 'claude-code') {
    const tools = [...CLAUDE_ALLOWED_TOOLS, ...Object.keys(plan.mcpServers).map((name) => `mcp__${name}__*`)].join(',');
    const mcp = Object.keys(plan.mcpServers).length ? ` --mcp-config ${shellQuote(at(LAYOUT.mcpConfig))}` : '';
    const bypass = plan.bypassPermissions ? ' --permission-mode bypassPermissions' : '';
    // The prompt after `--`: claude-code reads a prompt that starts with `-` (a runbook opening with a list) as an
    // option and exits ("unknown option '- …'", measured on 2.1.126 and 2.1.330); `--` also ends --allowedTools' list.
    command = `claude -p --output-format stream-json --verbose --model ${model} --allowedTools ${shellQuote(tools)}${mcp}${bypass} -- ${prompt}`;
  } else {
    // Bypassing codex's own sandbox is what the seed does, and right only inside a real (Daytona) sandbox. On this
    // machine codex keeps its own: writes only to the work dir (and temp folders), network on, as claude-code's Bash
    // has (measured on codex 0.169: writes elsewhere fail "Read-only file system"; without the -c the network is off).
    const sandbox = plan.bypassPermissions
      ? '--dangerously-bypass-approvals-and-sandbox'
      : '--sandbox workspace-write -c sandbox_workspace_write.network_access=true';
    command = `codex exec ${sandbox} --skip-git-repo-check --model ${model} --json -- ${prompt}`;
  }
  // stdin closed: codex blocks on an open stdin, claude-code waits 3 s for it.
  lines.push(`cd ${shellQuote(workDir)}`, `${command} < /dev/null`);
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

/** codex's `[mcp_servers.<name>]` tables (names quoted: TOML keys may be basic strings). */
function codexMcpToml(servers: Record<string, McpServer>): string {
  return Object.entries(servers)
    .map(([name, server]) => {
      const env = Object.entries(server.env ?? {}).map(([k, v]) => `${tomlString(k)} = ${tomlString(v)}`);
      return [
        `[mcp_servers.${tomlString(name)}]`,
        `command = ${tomlString(server.command)}`,
        `args = [${server.args.map(tomlString).join(', ')}]`,
        ...(env.length ? [`env = { ${env.join(', ')} }`] : []),
        '',
      ].join('\n');
    })
    .join('\n');
}

/**
 * `text` as a Daytona label value, which a run folder's name also is: letters, digits, `.`, `_`, `-`, starting and
 * ending with a letter or digit, at most `max` characters (63 for a label).
 */
export function slug(text: string, max = 63): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .slice(0, max)
      .replace(/^[-._]+|[-._]+$/g, '') || 'run'
  );
}
