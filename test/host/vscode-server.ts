// The offline VS Code host: the VS Code 1.100.3 server shipped inside the npm package code-server@4.100.3, installed
// once into the git-ignored .vscode-test/ cache and started on 127.0.0.1 with a throw-away home. Its web workbench,
// driven by Chromium (workbench.ts), runs the extension in the server's real Node extension host. Why each install
// step is needed is measured in shared/notes/vscode-tests-offline.md: these machines reach only npm and Debian.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  openSync,
  closeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const CODE_SERVER_VERSION = '4.100.3';

const CACHE_ROOT = path.join(REPO_ROOT, '.vscode-test');
const INSTALL_DIR = path.join(CACHE_ROOT, `code-server-${CODE_SERVER_VERSION}`);
/** Written last: a folder without it is a half-finished install and is done again. */
const MARKER = '.installed';

/**
 * Checks (and, as root with apt-get, installs) the Debian packages the server host needs (system-deps.sh). When they
 * are missing it has printed the exact install command: a clear message beats a stack trace from inside playwright.
 */
export function checkSystemDependencies(): boolean {
  return spawnSync('bash', [path.join(__dirname, 'system-deps.sh')], { stdio: 'inherit' }).status === 0;
}

/** checkSystemDependencies(), stopping the process when something is missing. */
export function ensureSystemDependencies(): void {
  if (!checkSystemDependencies()) process.exit(1);
}

function vscodeDir(installDir: string): string {
  return path.join(installDir, 'node_modules', 'code-server', 'lib', 'vscode');
}

/** The VS Code version the cached server carries (its own package.json, not code-server's). */
export function vscodeVersion(): string {
  return (JSON.parse(readFileSync(path.join(vscodeDir(INSTALL_DIR), 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** Installs the server into the cache unless a finished install is there. Returns the VS Code folder. */
export async function ensureVSCodeServer(): Promise<string> {
  if (existsSync(path.join(INSTALL_DIR, MARKER))) return vscodeDir(INSTALL_DIR);
  mkdirSync(CACHE_ROOT, { recursive: true });
  removeAbandonedInstalls();
  // Unfinished (copied in by hand, or an older layout): not to be trusted, and it would block the rename below.
  if (existsSync(INSTALL_DIR) && !existsSync(path.join(INSTALL_DIR, MARKER)))
    rmSync(INSTALL_DIR, { recursive: true, force: true });
  // A folder of our own beside the cache, renamed into place when complete: a crash or Ctrl-C never leaves a cache
  // that looks finished, and a concurrent install cannot trample this one.
  const work = path.join(CACHE_ROOT, `code-server-${CODE_SERVER_VERSION}.tmp-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  const log = path.join(work, 'install.log');
  const started = Date.now();
  console.log(
    `Installing the VS Code server (code-server@${CODE_SERVER_VERSION}) once into ${path.relative(REPO_ROOT, INSTALL_DIR)}/ (about a minute)`,
  );
  try {
    // Its own package.json, or npm would walk up and install into the repository's node_modules.
    writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'vscode-test-host', private: true }) + '\n');
    const vscode = vscodeDir(work);
    // Postinstall scripts download ripgrep and prebuilt binaries, which fails offline: install without scripts and
    // build the native modules from source instead.
    await npm(work, log, [
      'install',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      `code-server@${CODE_SERVER_VERSION}`,
    ]);
    await npm(work, log, ['rebuild', 'argon2']);
    await npm(vscode, log, ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund']);
    // With the binary already in place, @vscode/ripgrep's postinstall skips its download.
    const rg = path.join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin');
    mkdirSync(rg, { recursive: true });
    rmSync(path.join(rg, 'rg'), { force: true });
    symlinkSync('/usr/bin/rg', path.join(rg, 'rg'));
    await npm(vscode, log, ['rebuild']);
    // The server loads its modules through node_modules.asar, which only the packaged builds have.
    symlinkSync('node_modules', path.join(vscode, 'node_modules.asar'));
    await npm(path.join(vscode, 'extensions'), log, ['install', '--omit=dev', '--no-audit', '--no-fund']);
    writeFileSync(path.join(work, MARKER), new Date().toISOString() + '\n');
    try {
      renameSync(work, INSTALL_DIR);
    } catch (error) {
      // Another process finished first: use its install.
      if (!existsSync(path.join(INSTALL_DIR, MARKER))) throw error;
      rmSync(work, { recursive: true, force: true });
    }
  } catch (error) {
    // The half-finished folder goes; its log stays beside the cache for whoever reads the error.
    const kept = path.join(CACHE_ROOT, 'install-failed.log');
    let tail = '';
    try {
      renameSync(log, kept);
      tail = readFileSync(kept, 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      // no log yet
    }
    rmSync(work, { recursive: true, force: true });
    throw new Error(
      `Installing the VS Code server failed: ${(error as Error).message}\nLast lines of ${path.relative(REPO_ROOT, kept)}:\n${tail}`,
      { cause: error },
    );
  }
  console.log(`Installed VS Code ${vscodeVersion()} in ${Math.round((Date.now() - started) / 1000)} s.`);
  return vscodeDir(INSTALL_DIR);
}

/** Removes temp folders left by installs whose process is gone (killed mid-install). */
function removeAbandonedInstalls(): void {
  const prefix = `code-server-${CODE_SERVER_VERSION}.tmp-`;
  for (const name of readdirSync(CACHE_ROOT)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (pid !== process.pid && isAlive(pid)) continue;
    rmSync(path.join(CACHE_ROOT, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function npm(cwd: string, log: string, args: string[]): Promise<void> {
  // The outer `npm test` exports npm_* variables (its own prefix, lifecycle, package); a nested npm must not see them.
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')),
  );
  // node-pty's build calls `npx node-gyp`, which would stop to ask.
  env.npm_config_yes = 'true';
  // node-gyp builds against the running node's own headers instead of downloading them (which fails offline).
  const nodeDir = path.dirname(path.dirname(process.execPath));
  if (existsSync(path.join(nodeDir, 'include', 'node', 'node.h'))) env.npm_config_nodedir = nodeDir;
  const fd = openSync(log, 'a');
  writeFileSync(fd, `\n$ (cd ${cwd} && npm ${args.join(' ')})\n`);
  console.log(
    `  npm ${args.join(' ')}${cwd.endsWith('vscode') ? ' (in lib/vscode)' : cwd.endsWith('extensions') ? ' (in lib/vscode/extensions)' : ''}`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, env, stdio: ['ignore', fd, fd] });
    child.on('error', (error) => {
      closeSync(fd);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      closeSync(fd);
      if (code === 0) resolve();
      else reject(new Error(`npm ${args.join(' ')} exited with ${code ?? signal}`));
    });
  });
}

export interface VSCodeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** `vscode-remote://127.0.0.1:PORT`: prefix of an absolute server path in a workbench URL. */
  remoteAuthority: string;
  /** The VS Code version it runs, e.g. 1.100.3. */
  version: string;
  /** Settles when the server process has exited (stopped, or died on its own). */
  exited: Promise<void>;
  /** Everything it printed so far (for the tail on a failure). */
  output(): string;
  /** Stops the server and every process it started, and removes its temporary home. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the server on 127.0.0.1 (a free port) with a fresh temporary home, user data and extensions folder. The
 * extension host inherits `env`, which is how tests steer the extension (local fake servers, settings). Workspace
 * trust is off (every folder trusted) unless `untrusted`: then trust is on and the fresh folder is not trusted.
 */
export async function startVSCodeServer(
  options: { env?: NodeJS.ProcessEnv; untrusted?: boolean } = {},
): Promise<VSCodeServer> {
  const vscode = await ensureVSCodeServer();
  const home = mkdtempSync(path.join(os.tmpdir(), 'jetty-vscode-'));
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_RUNTIME_DIR: path.join(home, 'run'),
    // No marketplace look-ups: there is no network, and an empty gallery keeps the server from trying.
    EXTENSIONS_GALLERY: '{}',
  };
  mkdirSync(env.XDG_RUNTIME_DIR as string, { mode: 0o700 });
  const args = [
    path.join(vscode, 'out', 'server-main.js'),
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--without-connection-token',
    '--accept-server-license-terms',
    '--server-data-dir',
    path.join(home, 'server-data'),
    '--logsPath',
    path.join(home, 'logs'),
    '--user-data-dir',
    path.join(home, 'user-data'),
    '--extensions-dir',
    path.join(home, 'extensions'),
    '--disable-telemetry',
    ...(options.untrusted ? [] : ['--disable-workspace-trust']),
    '--disable-update-check',
    // Without it the workbench ignores the test payload (extensionTestsPath).
    '--enable-smoke-test-driver',
  ];
  // Its own process group, so stop() ends the extension host, pty host and file watcher with it.
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  // Last resort when the caller exits without stop() (an uncaught error, process.exit): the group must not outlive it.
  const killOnExit = (): void => {
    if (!exited && child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!exited && child.pid !== undefined) {
        killGroup(child.pid, 'SIGTERM');
        const killed = await Promise.race([exit.then(() => true), delay(5000).then(() => false)]);
        if (!killed) killGroup(child.pid, 'SIGKILL');
        await Promise.race([exit, delay(2000)]);
      }
      // Children that outlived the server (it exited first) are still in the group.
      if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
      rmSync(home, { recursive: true, force: true });
      process.off('exit', killOnExit);
    })();
    return stopping;
  };

  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Web UI available at https?:\/\/[^:\s]+:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    void exit.then(() => reject(new Error(`The VS Code server exited before it was ready:\n${output}`)));
    setTimeout(() => reject(new Error(`The VS Code server did not start within 60 s:\n${output}`)), 60_000).unref();
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  return {
    url: `http://127.0.0.1:${port}`,
    remoteAuthority: `vscode-remote://127.0.0.1:${port}`,
    version: vscodeVersion(),
    exited: exit,
    output: () => output,
    stop,
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
