// The Sandbox interface on this machine, for `jetty.sandbox: local`: every command of a run runs through bubblewrap
// (`bwrap`) in a root of the run's own, so the agent can write nowhere but the run's folder and the user's home and
// files are not there at all. Without a working bwrap it refuses, naming what to install; it never runs a command
// unisolated.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { DEFAULT_RESULT_LIMITS, unpackResults } from './results';
import {
  OWNER_LABELS,
  SandboxError,
  cancelled,
  type DownloadOptions,
  type DownloadResult,
  type ExecOptions,
  type ExecResult,
  type LeftoverSandbox,
  type Sandbox,
  type SandboxFile,
  type SandboxProvider,
  type SandboxRequest,
  type StreamHandlers,
  type StreamResult,
} from './sandbox';

/**
 * A sandbox is <tmp>/jetty-sandbox-XXXXXX/: sandbox.json (labels, creation time: what listLeftovers reads) and root/,
 * which is `/` inside.
 */
const PREFIX = 'jetty-sandbox-';
/** The agent's home and working directory inside. */
export const LOCAL_HOME = '/home/jetty';
/** Created in every local sandbox: Jetty's layout (plan.ts LAYOUT), the home, the temp folders. */
const FOLDERS = ['app/results', 'app/assets', 'app/checks', 'logs/agent', LOCAL_HOME.slice(1), 'tmp', 'var/tmp'];
/** Top-level system folders besides /usr and /etc: links into /usr on merged-/usr systems, bound read-only elsewhere. */
const TOP_LINKS = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The network settings a command needs to reach its provider from behind a proxy; nothing else of the host's. */
const PASSED_VARIABLES =
  /^(https?_proxy|no_proxy|all_proxy|HTTPS?_PROXY|NO_PROXY|ALL_PROXY|NODE_EXTRA_CA_CERTS|SSL_CERT_(FILE|DIR))$/;
export const INSTALL_BUBBLEWRAP = 'sudo apt-get install bubblewrap';

export interface LocalConfig {
  /** Where sandbox folders go (default: the system temp folder). */
  root?: string;
  /** Host folders every command sees read-only at the same path (where agent CLIs live, say). */
  readOnly?: string[];
  /** Folders put first on PATH inside (usually among readOnly). */
  path?: string[];
  /**
   * Where the pinned agent CLIs are kept across runs (default `${XDG_CACHE_HOME:-~/.cache}/jetty-runbooks`, as
   * JETTY_CLI_CACHE inside): read-only to every command but the install step, so no run can change another's CLI.
   */
  cliCache?: string;
  /** The bwrap executable (default `bwrap`, from PATH). */
  bwrap?: string;
}

export function createLocalProvider(config: LocalConfig = {}): SandboxProvider {
  const root = config.root ?? os.tmpdir();
  const bwrap = config.bwrap ?? 'bwrap';
  const cliCache =
    config.cliCache ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'jetty-runbooks');
  let checked: Promise<void> | undefined;
  return {
    kind: 'local',
    async create(request: SandboxRequest, options = {}): Promise<Sandbox> {
      if (options.signal?.aborted) throw cancelled();
      await (checked ??= checkBubblewrap(bwrap).catch((error: unknown) => {
        checked = undefined; // installed meanwhile: the next run looks again
        throw error;
      }));
      const folder = await fs.promises.mkdtemp(path.join(root, PREFIX));
      const record = { createdAt: new Date().toISOString(), labels: { ...request.labels, ...OWNER_LABELS } };
      await fs.promises.writeFile(path.join(folder, 'sandbox.json'), JSON.stringify(record, null, 2));
      for (const sub of FOLDERS) await fs.promises.mkdir(path.join(folder, 'root', sub), { recursive: true });
      // The merged-/usr links (/bin → usr/bin…) as the system has them: made once, as bwrap's --symlink would fail on
      // the second command (the root keeps the first one's).
      for (const top of TOP_LINKS) {
        const link = fs.lstatSync(`/${top}`, { throwIfNoEntry: false });
        if (link?.isSymbolicLink())
          await fs.promises.symlink(fs.readlinkSync(`/${top}`), path.join(folder, 'root', top));
      }
      await fs.promises.mkdir(cliCache, { recursive: true });
      const node = hostNode();
      return new LocalSandbox(folder, request.env, {
        bwrap,
        cliCache,
        readOnly: [...(config.readOnly ?? []), ...(node ? [node.prefix] : [])],
        path: [...(config.path ?? []), ...(node ? [node.bin] : [])],
      });
    },
    async listLeftovers(): Promise<LeftoverSandbox[]> {
      const found: LeftoverSandbox[] = [];
      for (const name of await fs.promises.readdir(root).catch(() => [])) {
        if (!name.startsWith(PREFIX)) continue;
        try {
          const record = JSON.parse(await fs.promises.readFile(path.join(root, name, 'sandbox.json'), 'utf8')) as Omit<
            LeftoverSandbox,
            'id'
          >;
          if (Object.entries(OWNER_LABELS).every(([k, v]) => record.labels?.[k] === v))
            found.push({ id: name, createdAt: record.createdAt, labels: record.labels });
        } catch {
          // not one of ours, or half-written: leave it alone
        }
      }
      return found;
    },
    async deleteLeftover(id: string): Promise<void> {
      if (!id.startsWith(PREFIX) || id.includes('/') || id.includes('\\') || id.includes('..'))
        throw new RangeError(`Not a local sandbox id: ${id}`);
      await removeTree(path.join(root, id));
    },
    async dispose(): Promise<void> {},
  };
}

/** Refuses, saying what to do, when bubblewrap cannot isolate a command here. */
async function checkBubblewrap(bwrap: string): Promise<void> {
  if (process.platform !== 'linux')
    throw new SandboxError(
      'start-failed',
      `The local sandbox isolates the agent with bubblewrap, which needs Linux (this is ${process.platform}).`,
      'Run in a Daytona sandbox (jetty.sandbox: daytona).',
    );
  const probe = spawnSync(bwrap, ['--unshare-pid', '--die-with-parent', '--ro-bind', '/', '/', 'true'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if ((probe.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    throw new SandboxError(
      'start-failed',
      'The local sandbox isolates the agent with bubblewrap (bwrap), which is not installed here. Nothing was run.',
      `Install it (${INSTALL_BUBBLEWRAP}), or run in a Daytona sandbox.`,
    );
  if (probe.status !== 0)
    throw new SandboxError(
      'start-failed',
      `bubblewrap cannot create a sandbox here, so nothing was run: ${(probe.stderr || probe.error?.message || `exit code ${probe.status}`).trim()}`,
      'Allow unprivileged user namespaces for bwrap (on Ubuntu 24.04, an AppArmor profile for it), or run in a Daytona sandbox.',
    );
}

/** The node the host runs CLIs with, when it lives outside the system folders (nvm, volta…): its prefix and bin. */
function hostNode(): { prefix: string; bin: string } | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    try {
      const real = fs.realpathSync(path.join(dir, 'node'));
      if (/^\/(usr|bin|sbin|lib)\//.test(real)) return undefined;
      const prefix = path.dirname(path.dirname(real));
      return prefix === '/' ? undefined : { prefix, bin: path.dirname(real) };
    } catch {
      // not here
    }
  }
  return undefined;
}

interface Isolation {
  bwrap: string;
  cliCache: string;
  readOnly: string[];
  path: string[];
}

/** Paths given to upload/downloadFolder are the sandbox's own (absolute, or relative to workDir). */
class LocalSandbox implements Sandbox {
  readonly id: string;
  readonly workDir = LOCAL_HOME;
  private readonly rootDir: string;
  private readonly running = new Set<ChildProcess>();
  private deleted = false;

  constructor(
    private readonly folder: string,
    private readonly env: Readonly<Record<string, string>>,
    private readonly isolation: Isolation,
  ) {
    this.id = path.basename(folder);
    this.rootDir = path.join(folder, 'root');
  }

  async upload(files: readonly SandboxFile[]): Promise<void> {
    // Written from here, into the sandbox's root: every folder on the way must be a real one of the root (a link the
    // sandbox made would point at this machine's files).
    for (const file of files) {
      const parts = this.sandboxPath(file.path).split('/').filter(Boolean);
      let at = this.rootDir;
      for (const part of parts.slice(0, -1)) {
        at = path.join(at, part);
        const stat = await fs.promises.lstat(at).catch(() => undefined);
        if (!stat) await fs.promises.mkdir(at);
        else if (!stat.isDirectory()) throw this.refused(file.path, 'a folder on its way is a link or a file');
      }
      const target = path.join(at, parts.at(-1) ?? '');
      const handle = await fs.promises
        .open(
          target,
          fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW,
          0o644,
        )
        .catch((error: NodeJS.ErrnoException) => {
          throw this.refused(file.path, error.code === 'ELOOP' ? 'it is a link' : error.message);
        });
      try {
        await handle.writeFile(file.content);
      } finally {
        await handle.close();
      }
    }
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    let output = '';
    const exitCode = await this.run(
      command,
      options,
      (text) => (output += text),
      (text) => (output += text),
    );
    return { exitCode, output };
  }

  async stream(
    command: string,
    handlers: StreamHandlers,
    options: Omit<ExecOptions, 'timeoutSeconds'> = {},
  ): Promise<StreamResult> {
    const exitCode = await this.run(command, options, handlers.onStdout, handlers.onStderr ?? (() => undefined));
    return { exitCode };
  }

  async downloadFolder(remoteDir: string, localDir: string, options: DownloadOptions = {}): Promise<DownloadResult> {
    const remote = this.sandboxPath(remoteDir);
    // Packed inside the sandbox by the system's tar (read-only there), streamed out and unpacked by the same rules as
    // a Daytona download: nothing of the sandbox is read through a path it could have turned into a link.
    const child = this.spawnInside(`[ -d ${quote(remote)} ] || exit 99\ncd ${quote(remote)} && exec tar -cf - .`, {
      stdout: 'binary',
    });
    let stderr = '';
    child.stderr!.on('data', (data: Buffer) => (stderr = (stderr + data.toString('utf8')).slice(-4000)));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    const abort = () => killGroup(child);
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const report = await unpackResults(child.stdout!, localDir, {
        gzip: false,
        limits: options.limits ?? DEFAULT_RESULT_LIMITS,
        holdsSecret: options.holdsSecret,
        signal: options.signal,
      });
      if (!child.stdout!.readableEnded) killGroup(child); // a limit stopped the reading before tar was done
      const code = await exited;
      if (code === 99) return { files: [], dropped: [], withSecrets: [] };
      if (code !== 0 && report.files.length === 0 && report.dropped.length === 0 && stderr.trim())
        throw new SandboxError(
          'transfer-failed',
          `Could not pack ${remote} in the sandbox: ${stderr.trim()}`,
          'Try again.',
          {
            sandboxId: this.id,
          },
        );
      // tar goes on past what it cannot read (a file made unreadable): what it said is what was left out.
      const unread = stderr
        .split('\n')
        .filter((line) => /^tar: /.test(line) && !/Exiting with failure status/.test(line));
      return { ...report, dropped: [...report.dropped, ...unread.map((line) => ({ path: '…', reason: line }))] };
    } catch (error) {
      if (options.signal?.aborted) throw cancelled();
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', abort);
      if (child.exitCode === null && child.signalCode === null) killGroup(child);
    }
  }

  async keepAlive(): Promise<void> {}

  async delete(): Promise<void> {
    this.deleted = true;
    for (const child of this.running) killGroup(child);
    await removeTree(this.folder);
  }

  /** The sandbox's own absolute path for a path given to it (relative paths start at workDir). */
  private sandboxPath(given: string): string {
    return path.posix.resolve(this.workDir, given);
  }

  private refused(given: string, why: string): SandboxError {
    return new SandboxError(
      'transfer-failed',
      `Refused to write ${given} in the local sandbox: ${why}.`,
      'Start a new run.',
      {
        sandboxId: this.id,
      },
    );
  }

  /**
   * bwrap's arguments: the sandbox's root as `/`, the system read-only on top, then the command's own mounts. The run's
   * folder is the only place anything can write (its /app, /logs/agent, a home and a /tmp of its own, all deleted with
   * it), but for the CLI cache while the agent's CLI is installed. Each command has its own PID namespace, so when it
   * ends everything it started ends too, MCP servers and background jobs included; no capabilities. The network is
   * shared: the agent must reach its model provider (and tests their mocks on 127.0.0.1).
   */
  private bwrapArgs(cwd: string, installsCli: boolean): string[] {
    const args = [
      '--die-with-parent',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--unshare-cgroup-try',
      '--new-session',
      '--cap-drop',
      'ALL',
      '--bind',
      this.rootDir,
      '/',
      '--ro-bind',
      '/usr',
      '/usr',
      '--ro-bind',
      '/etc',
      '/etc',
    ];
    for (const top of TOP_LINKS) {
      const stat = fs.lstatSync(`/${top}`, { throwIfNoEntry: false });
      if (stat?.isDirectory() && !stat.isSymbolicLink()) args.push('--ro-bind', `/${top}`, `/${top}`);
    }
    // /etc/resolv.conf is often a link into /run (systemd-resolved): without its target there is no DNS inside.
    const resolv = safeRealpath('/etc/resolv.conf');
    if (resolv && !resolv.startsWith('/etc/') && !resolv.startsWith('/usr/'))
      args.push('--ro-bind-try', path.dirname(resolv), path.dirname(resolv));
    args.push('--proc', '/proc', '--dev', '/dev');
    for (const dir of this.isolation.readOnly) args.push('--ro-bind-try', dir, dir);
    args.push(installsCli ? '--bind' : '--ro-bind', this.isolation.cliCache, this.isolation.cliCache);
    args.push('--chdir', cwd);
    return args;
  }

  /**
   * The variables every command gets: these basics, the proxy settings, then the request's and the command's own. No
   * other variable of this machine's reaches a command.
   */
  private environment(extra: Readonly<Record<string, string>> | undefined): Record<string, string> {
    const passed = Object.fromEntries(
      Object.entries(process.env).filter((e): e is [string, string] => PASSED_VARIABLES.test(e[0]) && !!e[1]),
    );
    return {
      PATH: [...this.isolation.path, SYSTEM_PATH].join(':'),
      HOME: LOCAL_HOME,
      LANG: process.env.LANG || 'C.UTF-8',
      TERM: 'dumb',
      TMPDIR: '/tmp',
      JETTY_CLI_CACHE: this.isolation.cliCache,
      ...passed,
      ...this.env,
      ...extra,
    };
  }

  private spawnInside(
    command: string,
    options: { cwd?: string; env?: Readonly<Record<string, string>>; installsCli?: boolean; stdout?: 'binary' },
  ): ChildProcess {
    const cwd = this.sandboxPath(options.cwd ?? '.');
    const child = spawn(
      this.isolation.bwrap,
      [...this.bwrapArgs(cwd, options.installsCli ?? false), '--', 'bash', '-c', command],
      {
        cwd: this.folder,
        // Values of keys travel here, never in bwrap's arguments: those are in every process list of this machine.
        env: this.environment(options.env),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    this.running.add(child);
    child.on('close', () => this.running.delete(child));
    child.on('error', () => this.running.delete(child));
    return child;
  }

  /** Runs `bash -c command` inside and resolves with its exit code once its output is delivered. */
  private run(
    command: string,
    options: ExecOptions,
    onStdout: (t: string) => void,
    onStderr: (t: string) => void,
  ): Promise<number> {
    const { signal, timeoutSeconds } = options;
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.deleted)
      return Promise.reject(
        new SandboxError('service', `The local sandbox ${this.id} was deleted.`, 'Start a new run.'),
      );
    return new Promise((resolve, reject) => {
      const child = this.spawnInside(command, options);
      let failure: SandboxError | undefined;
      const stop = (error: SandboxError) => {
        failure ??= error;
        killGroup(child);
      };
      const onAbort = () => stop(cancelled());
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = timeoutSeconds
        ? setTimeout(
            () =>
              stop(
                new SandboxError(
                  'timeout',
                  `The command did not finish within ${timeoutSeconds} s.`,
                  'Try again; if it keeps happening, allow more time.',
                ),
              ),
            timeoutSeconds * 1000,
          )
        : undefined;
      const out = new StringDecoder('utf8');
      const err = new StringDecoder('utf8');
      child.stdout!.on('data', (data: Buffer) => failure || onStdout(out.write(data)));
      child.stderr!.on('data', (data: Buffer) => failure || onStderr(err.write(data)));
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      child.on('error', (error) => {
        finish();
        reject(
          failure ??
            new SandboxError(
              'start-failed',
              `Could not start bubblewrap (${this.isolation.bwrap}): ${error.message}`,
              `Install it (${INSTALL_BUBBLEWRAP}), or run in a Daytona sandbox.`,
            ),
        );
      });
      // The command is over when bash exits, as on Daytona: bwrap's PID namespace ends with it, taking along whatever
      // it left running in the background, so 'close' (which delivers the last output) follows.
      child.on('close', (code, signalName) => {
        finish();
        if (failure) return reject(failure);
        const outTail = out.end();
        const errTail = err.end();
        if (outTail) onStdout(outTail);
        if (errTail) onStderr(errTail);
        resolve(code ?? 128 + (signalName ? (os.constants.signals[signalName] ?? 0) : 0));
      });
    });
  }
}

function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function safeRealpath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

/** Removes a sandbox folder, also when the agent left folders it made unreadable (`chmod 000`). */
async function removeTree(folder: string): Promise<void> {
  try {
    await fs.promises.rm(folder, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    spawnSync('chmod', ['-R', 'u+rwX', folder]);
    await fs.promises.rm(folder, { recursive: true, force: true, maxRetries: 3 });
  }
}

/**
 * Kills a process started with `detached: true` and everything it started (its process group). Also once the process
 * itself has exited: what it left in the background (`npm run dev &`) is still in the group, holding its output open.
 */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch (error) {
    // ESRCH: nothing of the group is left. Anything else: the group is out of reach, the process itself may not be.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') child.kill('SIGKILL');
  }
}
