// What an agent runtime is to this extension: one AgentAdapter per CLI (claude-code.ts, codex.ts, …) holds everything
// about it (install, command line, what each provider needs, MCP servers, its stream format), so the plan, routing,
// version settings and trajectory readers are derived from the registry in index.ts, never listed again elsewhere.
import type { AgentId, ProviderId } from '../catalog';
import type { KeyName, ProviderSettings } from '../keys';
import { shellQuote } from '../text';
import type { TrajectoryFormat } from '../trajectory/parser';

/** How the CLI gets into a sandbox, and which version. */
export interface AgentCli {
  /** The npm package, or the PyPI requirement (`hermes-agent[bedrock]`), without a version. */
  package: string;
  installer: 'npm' | 'pip';
  /** The executable the package puts on PATH. */
  bin: string;
  /** What prints the installed version (default `<bin> --version`). */
  versionCommand?: string;
  /** The version installed when its setting says nothing (claude-code: what Jetty's runner pins). */
  defaultVersion: string;
  /** Its setting, `jetty.<name>.version`, and the CLI's variable for it (JETTY_<NAME>_VERSION). */
  versionSetting: string;
  versionEnv: string;
}

/** A file the agent reads at start, relative to its home folder (see LaunchContext.home). */
export interface AgentFile {
  path: string;
  content: string;
  /** Holds a credential: written readable by its owner only, and deleted as soon as the agent exits. */
  credential: boolean;
}

/** What the agent process gets from a route. Values of keys are in here: never log it as is. */
export interface AgentSetup {
  /** Keys, and base URLs (a gateway's may carry a token): the sandbox's own environment, never a command's text. */
  secretEnv: Record<string, string>;
  /** Everything else the agent reads: exported by its command line, where a reader sees how the agent was wired. */
  env: Record<string, string>;
  files: AgentFile[];
}

export interface RouteContext {
  /** The value of one of the route's keys (it is set: the run asks for missing keys before it gets here). */
  key(name: KeyName): string;
  settings: ProviderSettings;
  /** The model as the runbook names it (some routes depend on its family). */
  model?: string;
}

/** How the agent reaches one provider: the keys it needs and what the process gets. */
export interface ProviderRoute {
  keys: readonly KeyName[];
  setup(context: RouteContext): AgentSetup;
}

export interface McpServer {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Where the agent runs, in absolute paths inside the sandbox. */
export interface LaunchContext {
  model: string;
  provider: ProviderId;
  /** The agent's working directory. */
  workDir: string;
  /** The agent's own folder: its logs, configuration and credential files (the route's files are relative to it). */
  home: string;
  /** The rendered runbook, the agent's prompt. */
  promptFile: string;
  mcpServers: Readonly<Record<string, McpServer>>;
  /** Only inside a sandbox that isolates the agent: approvals and the CLI's own sandbox are bypassed, as Jetty does. */
  bypassPermissions: boolean;
}

/** The agent's start, as its adapter words it; the plan wraps it (PATH, credentials, stdin closed). */
export interface Launch {
  /** Every file in the agent's home: the route's, with what the launch adds (an MCP config) merged in. */
  files: AgentFile[];
  /** Plain variables the command line exports (telemetry off, the CLI's home…). */
  env: Record<string, string>;
  /** Shell lines run before the command (e.g. a variable only root needs). */
  before?: string[];
  /** The command; it reads the prompt from `promptFile` itself. */
  command: string;
}

export interface AgentAdapter {
  id: AgentId;
  cli: AgentCli;
  /** The providers this extension can run the agent with; a provider missing here cannot run (routing says why). */
  routes: Partial<Record<ProviderId, ProviderRoute>>;
  launch(context: LaunchContext, files: readonly AgentFile[]): Launch;
  /** Its stream on stdout, parsed into the common event model. */
  format: TrajectoryFormat;
  /** An exit code that by itself says the provider rejected the key (gemini-cli exits 145 on a 401). */
  keyRejectedExitCodes?: readonly number[];
}

/** The prompt as one argument of the command line, read from its file when the command runs. */
export function promptArgument(promptFile: string): string {
  return `"$(cat ${shellQuote(promptFile)})"`;
}
