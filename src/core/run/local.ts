// The Sandbox interface on this machine, for `jetty.sandbox: local`: a fresh folder under the system temp folder,
// commands as `bash -c` processes in their own process group (so a cancel kills the agent and everything it started),
// and this process's environment plus the request's. It isolates nothing: the agent has a shell on this machine,
// which is why the caller asks the user first.
//
// Layout: <tmp>/jetty-sandbox-XXXXXX/ holds sandbox.json (labels, creation time: what listLeftovers reads) and work/,
// the workDir. Paths given to upload/downloadFolder must stay inside the sandbox folder.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  OWNER_LABELS,
  SandboxError,
  cancelled,
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

const PREFIX = 'jetty-sandbox-';

export interface LocalConfig {
  /** Where sandbox folders go (default: the system temp folder). */
  root?: string;
}

export function createLocalProvider(config: LocalConfig = {}): SandboxProvider {
  const root = config.root ?? os.tmpdir();
  return {
    kind: 'local',
    async create(request: SandboxRequest, options = {}): Promise<Sandbox> {
      if (options.signal?.aborted) throw cancelled();
      const folder = await fs.promises.mkdtemp(path.join(root, PREFIX));
      const record = { createdAt: new Date().toISOString(), labels: { ...request.labels, ...OWNER_LABELS } };
      await fs.promises.writeFile(path.join(folder, 'sandbox.json'), JSON.stringify(record, null, 2));
      await fs.promises.mkdir(path.join(folder, 'work'));
      return new LocalSandbox(folder, request.env);
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
      await fs.promises.rm(path.join(root, id), { recursive: true, force: true, maxRetries: 3 });
    },
    async dispose(): Promise<void> {},
  };
}

class LocalSandbox implements Sandbox {
  readonly id: string;
  readonly workDir: string;
  private readonly running = new Set<ChildProcess>();
  private deleted = false;

  constructor(
    private readonly folder: string,
    private readonly env: Readonly<Record<string, string>>,
  ) {
    this.id = path.basename(folder);
    this.workDir = path.join(folder, 'work');
  }

  async upload(files: readonly SandboxFile[]): Promise<void> {
    for (const file of files) {
      const target = this.inside(file.path, 'upload to');
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(target, file.content);
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

  async downloadFolder(remoteDir: string, localDir: string): Promise<DownloadResult> {
    const files: string[] = [];
    const skipped: string[] = [];
    if (!fs.existsSync(this.inside(remoteDir, 'download from'))) return { files, skipped };
    // The agent made this folder: it may be a link to anywhere (say $HOME). Only where it really is counts.
    const source = await fs.promises.realpath(this.inside(remoteDir, 'download from'));
    this.inside(source, 'download from', await fs.promises.realpath(this.folder));
    await fs.promises.mkdir(localDir, { recursive: true });
    const copy = async (relative: string): Promise<void> => {
      for (const entry of await fs.promises.readdir(path.join(source, relative), { withFileTypes: true })) {
        const name = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          await fs.promises.mkdir(path.join(localDir, name), { recursive: true });
          await copy(name);
        } else if (entry.isFile()) {
          await fs.promises.copyFile(path.join(source, name), path.join(localDir, name));
          files.push(name);
        } else skipped.push(name); // links and devices: the same rule as a Daytona download
      }
    };
    await copy('');
    return { files: files.sort(), skipped };
  }

  async keepAlive(): Promise<void> {}

  async delete(): Promise<void> {
    this.deleted = true;
    for (const child of this.running) killGroup(child);
    await fs.promises.rm(this.folder, { recursive: true, force: true, maxRetries: 3 });
  }

  /** Runs `bash -c command` in its own process group and resolves with its exit code once its output is delivered. */
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
    const cwd = this.inside(options.cwd ?? '.', 'run a command in');
    return new Promise((resolve, reject) => {
      const child = spawn('bash', ['-c', command], {
        cwd,
        env: { ...process.env, ...this.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      this.running.add(child);
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
        this.running.delete(child);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      // The command is over when bash exits, as on Daytona. Whatever it left running in the background would hold
      // stdout open, and 'close' (which delivers the last output) would never come.
      child.on('exit', () => killGroup(child));
      child.on('error', (error) => {
        finish();
        reject(
          failure ??
            new SandboxError(
              'service',
              `Could not start bash: ${error.message}`,
              'Install bash, or use the Daytona sandbox.',
            ),
        );
      });
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

  /** An absolute path inside this sandbox's folder (relative paths start at workDir); `folder`: the folder as seen. */
  private inside(sandboxPath: string, doing: string, folder = this.folder): string {
    const resolved = path.resolve(this.workDir, sandboxPath);
    if (resolved === folder || resolved.startsWith(folder + path.sep)) return resolved;
    throw new SandboxError(
      'transfer-failed',
      `Refused to ${doing} ${sandboxPath}: it is outside the local sandbox folder ${this.folder}.`,
      'Use paths inside the sandbox work folder.',
      { sandboxId: this.id },
    );
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
