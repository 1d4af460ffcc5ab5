// Installs the real agent CLIs into the git-ignored cache `.cache/agent-clis/<agent>-<version>/`, once, so fixture
// recording and end-to-end tests run the real programs: claude-code, codex, gemini-cli and opencode from the npm
// registry, hermes from PyPI into a virtual environment of its own (`python3 -m venv` + pip).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type AgentCliName = 'claude-code' | 'codex' | 'gemini-cli' | 'opencode' | 'hermes';

/** The versions the project records fixtures with and tests against. */
export const AGENT_CLI_VERSIONS = {
  /** The version the Jetty runner pins (seed page). */
  claudeCodePinned: '2.1.126',
  /** The newest 2.1.x on the registry when the fixtures were recorded. */
  claudeCodeNewest: '2.1.330',
  codex: '0.169.0',
  geminiCli: '0.61.0',
  opencode: '1.18.33',
  /** The newest on PyPI when the fixtures were recorded. */
  hermes: '0.19.0',
} as const;

interface CliPackage {
  /** Where it comes from: an npm package, or a PyPI requirement installed with pip into `<dir>/venv`. */
  source: { npm: string } | { pip: (version: string) => string };
  /** Where the executable sits inside the install folder, tried in order. */
  binaries: (version: string) => string[];
  /** What prints the version (default `--version`). */
  versionArgs?: string[];
}

const PACKAGES: Record<AgentCliName, CliPackage> = {
  'claude-code': {
    source: { npm: '@anthropic-ai/claude-code' },
    // claude-code, codex and opencode carry their native binary in a platform optional dependency. claude-code's
    // postinstall only links it into place, which npm 11 may skip (install scripts), so the binary is located directly
    // in the platform package.
    binaries: () => [
      'node_modules/@anthropic-ai/claude-code-linux-x64/claude',
      'node_modules/@anthropic-ai/claude-code/bin/claude.exe',
      'node_modules/.bin/claude',
    ],
  },
  codex: {
    source: { npm: '@openai/codex' },
    // codex's bin/codex.js is a node launcher that finds the Rust binary in the platform package; calling the launcher
    // keeps its environment set-up (PATH for the helper binaries) exactly as a user gets it.
    binaries: () => ['node_modules/@openai/codex/bin/codex.js', 'node_modules/.bin/codex'],
  },
  'gemini-cli': {
    source: { npm: '@google/gemini-cli' },
    binaries: () => ['node_modules/@google/gemini-cli/bundle/gemini.js', 'node_modules/.bin/gemini'],
  },
  opencode: {
    source: { npm: 'opencode-ai' },
    binaries: () => ['node_modules/opencode-linux-x64/bin/opencode', 'node_modules/.bin/opencode'],
  },
  hermes: {
    // The extras Jetty's runs need: Bedrock (boto3), the anthropic SDK hermes pins (a newer one fails at call time),
    // the Agent Client Protocol (`hermes acp`, how runs drive it) and MCP servers.
    source: { pip: (version) => `hermes-agent[bedrock,anthropic,acp,mcp]==${version}` },
    binaries: () => ['venv/bin/hermes'],
    // `hermes --version` also asks PyPI whether an update exists; `hermes acp --version` only prints it.
    versionArgs: ['acp', '--version'],
  },
};

export function repoRoot(): string {
  return path.resolve(__dirname, '..', '..');
}

export function agentCliDir(name: AgentCliName, version: string): string {
  return path.join(repoRoot(), '.cache', 'agent-clis', `${name}-${version}`);
}

const inFlight = new Map<string, Promise<string>>();

/**
 * Installs `name@version` if needed and returns the absolute path of its executable. Idempotent and safe to call from
 * several test files: a `.installed` marker is written last, only after the binary answered `--version` with the
 * expected version, so a half-finished install (killed process, full disk) is redone.
 *
 *   const claude = await ensureAgentCli('claude-code', '2.1.126');   // → absolute path of the `claude` binary
 */
export function ensureAgentCli(name: AgentCliName, version: string): Promise<string> {
  const key = `${name}@${version}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = install(name, version);
    inFlight.set(key, pending);
    pending.catch(() => inFlight.delete(key));
  }
  return pending;
}

async function install(name: AgentCliName, version: string): Promise<string> {
  const dir = agentCliDir(name, version);
  const marker = path.join(dir, '.installed');
  if (existsSync(marker)) {
    const binary = readFileSync(marker, 'utf8').trim();
    if (existsSync(binary) && binary === realFolder(binary) && systemVenv(dir)) return binary;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // A package.json of its own so npm never walks up into the project's.
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `agent-cli-${name}`, private: true }) + '\n');
  const pkg = PACKAGES[name];
  const options = { cwd: dir, maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 };
  if ('npm' in pkg.source) {
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `${pkg.source.npm}@${version}`],
      options,
    );
  } else {
    // The system's python, which a sandbox sees too (a pyenv or a user's python elsewhere is not in the sandbox's root).
    await run(SYSTEM_PYTHON, ['-m', 'venv', 'venv'], options);
    await run(
      path.join(dir, 'venv', 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', pkg.source.pip(version)],
      options,
    );
  }
  // Its real path (the links tests make must resolve inside a sandbox, which sees .cache/agent-clis by its real path).
  const found = pkg
    .binaries(version)
    .map((p) => path.join(dir, p))
    .find((p) => existsSync(p));
  const binary = found && realFolder(found);
  if (!binary) throw new Error(`${key(name, version)} installed, but none of its binaries is where expected in ${dir}`);
  const printed = await versionOf(binary, pkg.versionArgs);
  if (!printed.includes(version)) throw new Error(`${key(name, version)}: ${binary} --version printed "${printed}"`);
  writeFileSync(marker, binary + '\n');
  return binary;
}

/** The path with its folder's links resolved (the file itself may be a link: its name stays). */
function realFolder(file: string): string {
  return path.join(realpathSync(path.dirname(file)), path.basename(file));
}

const SYSTEM_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** No virtual environment, or one made from the system's python (`home = /usr/bin` in its pyvenv.cfg). */
function systemVenv(dir: string): boolean {
  const cfg = path.join(dir, 'venv', 'pyvenv.cfg');
  if (!existsSync(cfg)) return true;
  const home = /^home\s*=\s*(.*)$/m.exec(readFileSync(cfg, 'utf8'))?.[1]?.trim();
  return SYSTEM_PYTHON !== '/usr/bin/python3' || home === '/usr/bin';
}

function key(name: string, version: string): string {
  return `${name}@${version}`;
}

async function versionOf(binary: string, args = ['--version']): Promise<string> {
  const { stdout } = await run(binary, args, {
    timeout: 60_000,
    env: { ...process.env, DISABLE_AUTOUPDATER: '1' },
  });
  return stdout.trim();
}

// `tsx test/fakes/agent-clis.ts [name@version ...]` installs ahead of time (defaults: every version the project uses).
if (require.main === module) {
  const wanted = process.argv.slice(2);
  const list: [AgentCliName, string][] = wanted.length
    ? wanted.map((w) => {
        const at = w.lastIndexOf('@');
        return [w.slice(0, at) as AgentCliName, w.slice(at + 1)];
      })
    : [
        ['claude-code', AGENT_CLI_VERSIONS.claudeCodePinned],
        ['claude-code', AGENT_CLI_VERSIONS.claudeCodeNewest],
        ['codex', AGENT_CLI_VERSIONS.codex],
        ['gemini-cli', AGENT_CLI_VERSIONS.geminiCli],
        ['opencode', AGENT_CLI_VERSIONS.opencode],
        ['hermes', AGENT_CLI_VERSIONS.hermes],
      ];
  (async () => {
    for (const [name, version] of list) console.log(`${name}@${version}: ${await ensureAgentCli(name, version)}`);
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
