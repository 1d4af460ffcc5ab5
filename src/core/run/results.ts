// What comes home from a sandbox: a tar stream of the results folder becomes plain files and folders on this machine,
// and nothing else. The agent made that stream (it may have replaced `tar` itself), so every entry is untrusted, and
// what was left out is listed, never silently lost.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import zlib from 'node:zlib';
import { Parser } from 'tar/parse';
import type { ReadEntry } from 'tar/read-entry';

export interface ResultLimits {
  /** All files together. */
  maxTotalBytes: number;
  /** One file. */
  maxFileBytes: number;
  /** Files and folders. */
  maxFiles: number;
  /** How many times its own size a compressed archive may expand to. */
  maxCompressionRatio: number;
}

/** The settings' defaults (jetty.results.*): far above any report, dataset sample or set of images a runbook writes. */
export const DEFAULT_RESULT_LIMITS: ResultLimits = {
  maxTotalBytes: 512 * 1024 * 1024,
  maxFileBytes: 100 * 1024 * 1024,
  maxFiles: 10_000,
  maxCompressionRatio: 100,
};

export interface DroppedResult {
  /** Relative to the results folder, '/'-separated, as the archive named it. */
  path: string;
  reason: string;
}

export interface ResultsReport {
  /** Files written, relative to the results folder, '/'-separated, sorted. */
  files: string[];
  /** What was left out and why (at most MAX_LISTED entries; the last one then says how many more). */
  dropped: DroppedResult[];
  /** Result files that hold one of the run's secrets (reported, never rewritten: results are the agent's data). */
  withSecrets: string[];
}

/**
 * Names that make a tool on this machine act when they sit in a folder, at any depth: a version-control folder turns
 * every path under it into a repository (git runs its hooks and `core.fsmonitor` for VS Code's git extension or a
 * git-aware prompt), the others are loaded on entering or opening the folder. Compared without case and trailing dots
 * or spaces, as Windows and macOS file systems do.
 */
export const CONTROL_NAMES: Readonly<Record<string, string>> = {
  '.git': 'a git repository (git would run its hooks and core.fsmonitor here)',
  '.hg': 'a Mercurial repository (its hooks would run here)',
  '.svn': 'a Subversion working copy',
  '.bzr': 'a Bazaar branch',
  _darcs: 'a darcs repository',
  '.jj': 'a Jujutsu repository',
  '.vscode': 'VS Code settings and tasks (applied to a folder opened here)',
  '.envrc': 'a direnv file (loaded on entering the folder)',
  '.mise.toml': 'a mise file (loaded on entering the folder)',
  'mise.toml': 'a mise file (loaded on entering the folder)',
};

const MAX_LISTED = 100;
/** Below this much expanded data the compression ratio is not judged: small files of one repeated byte are normal. */
const RATIO_FLOOR = 1024 * 1024;
/** Tar's own bytes per entry (a header block and padding), beyond the files' data. */
const ENTRY_OVERHEAD = 1536;
/** Text kept from one chunk to the next while scanning for secrets: longer than any spelling of a key. */
const SCAN_OVERLAP = 4096;

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const TYPE_WORDS: Record<string, string> = {
  SymbolicLink: 'a symbolic link',
  CharacterDevice: 'a device',
  BlockDevice: 'a device',
  FIFO: 'a named pipe',
};

export interface UnpackOptions {
  limits: ResultLimits;
  /** The stream is gzip-compressed (its compression ratio is then judged). */
  gzip: boolean;
  /** True when the text holds a secret of the run (a redactor that changes it). */
  holdsSecret?: (text: string) => boolean;
  signal?: AbortSignal;
}

/**
 * Unpacks a tar stream (of the results folder, as `tar -c -C <folder> .` writes it) into `localDir`, created if needed:
 * no links, devices or paths outside the folder; no control files (CONTROL_NAMES); modes masked to 0644/0755; within
 * size limits. Files holding one of the run's secrets are named (not rewritten).
 * Stops reading at the first limit the stream as a whole breaks (its size, its compression ratio, the number of
 * entries) and lists the rest as dropped; a single file over its limit is dropped alone. Rejects only when the stream
 * itself fails or `signal` aborts (with the signal's reason).
 */
export async function unpackResults(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  localDir: string,
  options: UnpackOptions,
): Promise<ResultsReport> {
  const { limits, holdsSecret, signal } = options;
  await fs.promises.mkdir(localDir, { recursive: true });
  /** Files being written or written, by name: their size and the write (a hard link to one waits for it). */
  const files = new Map<string, { size: number; written: Promise<boolean> }>();
  const folders = new Set<string>();
  const made: Promise<void>[] = [];
  const withSecrets = new Set<string>();
  const dropped: DroppedResult[] = [];
  let droppedMore = 0;
  const drop = (name: string, reason: string) => {
    if (dropped.length < MAX_LISTED) dropped.push({ path: name, reason });
    else droppedMore++;
  };
  /** Control folders already listed: what lies under them is left out with them, without a line each. */
  const droppedRoots = new Set<string>();
  let keptBytes = 0;
  let entries = 0;
  let stopped: string | undefined;
  let halt!: () => void;
  const halted = new Promise<void>((resolve) => (halt = resolve));
  const stop = (reason: string) => {
    stopped ??= reason;
    halt();
  };

  const onEntry = (entry: ReadEntry) => {
    const raw = entry.path;
    const skip = (reason?: string) => {
      entry.resume();
      if (reason) drop(raw.replace(/^(\.\/)+/, ''), reason);
    };
    if (stopped) return skip();
    if (++entries > limits.maxFiles * 2) {
      stop(`more than ${limits.maxFiles * 2} entries in the archive`);
      return skip();
    }
    const name = entryName(raw);
    if (name === '') return skip(); // the folder itself (`./`)
    if (name === undefined) return skip('a path outside the results folder');
    const parts = name.split('/');
    const control = parts.findIndex((part) => controlReason(part) !== undefined);
    if (control >= 0) {
      const root = parts.slice(0, control + 1).join('/');
      entry.resume();
      if (!droppedRoots.has(root)) drop(root, controlReason(parts[control]!)!);
      droppedRoots.add(root);
      return;
    }
    const type = entry.type;
    const count = folders.size + files.size;
    if (type === 'Directory') {
      if (files.has(name)) return skip('a folder with the name of a file brought home');
      if (folders.has(name)) return skip();
      if (count >= limits.maxFiles) return skip(`over the limit of ${limits.maxFiles} files and folders`);
      folders.add(name);
      entry.resume();
      const folder = path.join(localDir, ...parts);
      made.push(
        fs.promises
          .mkdir(folder, { recursive: true, mode: 0o755 })
          .then(() => fs.promises.chmod(folder, 0o755))
          .catch(() => void folders.delete(name)),
      );
      return;
    }
    const link = type === 'Link';
    if (!FILE_TYPES.has(type) && !link) return skip(TYPE_WORDS[type] ?? `not a plain file (${type})`);
    const target = link ? files.get(entryName(entry.linkpath ?? '') ?? '') : undefined;
    if (link && !target) return skip('a hard link to nothing brought home');
    const size = target ? target.size : entry.size;
    if (files.has(name) || folders.has(name)) return skip('a second entry of the same name (the first is kept)');
    if (size > limits.maxFileBytes)
      return skip(`larger than the limit for one file (${megabytes(limits.maxFileBytes)})`);
    if (count >= limits.maxFiles) {
      stop(`over the limit of ${limits.maxFiles} files and folders`);
      return skip(stopped);
    }
    if (keptBytes + size > limits.maxTotalBytes) {
      stop(`over the limit for all results together (${megabytes(limits.maxTotalBytes)})`);
      return skip(stopped);
    }
    keptBytes += size;
    const file = path.join(localDir, ...parts);
    const mode = (entry.mode ?? 0o644) & 0o111 ? 0o755 : 0o644;
    const written = (async (): Promise<boolean> => {
      try {
        if (target) {
          entry.resume();
          if (!(await target.written)) throw new Error('its file was not brought home');
          await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
          await fs.promises.copyFile(path.join(localDir, ...entryName(entry.linkpath!)!.split('/')), file, COPY_EXCL);
          if (withSecrets.has(entryName(entry.linkpath!)!)) withSecrets.add(name);
        } else {
          const found = await writeEntry(entry, file, mode, halted, holdsSecret);
          if (found) withSecrets.add(name);
        }
        await fs.promises.chmod(file, mode);
        return true;
      } catch (error) {
        files.delete(name);
        keptBytes -= size;
        // What this entry began to write goes; a file already there (another spelling of the name, on a file system
        // that ignores case) is another entry's and stays.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
          await fs.promises.rm(file, { force: true }).catch(() => undefined);
        drop(
          name,
          error instanceof Halted ? `not read to its end: ${stopped}` : `not brought home: ${reasonOf(error)}`,
        );
        return false;
      }
    })();
    files.set(name, { size, written });
  };

  const parser = new Parser({
    strict: false,
    onReadEntry: onEntry,
    onwarn: (code: string, message: string | Error) => {
      // Once the unpacking stopped, the parser is ended mid-stream on purpose: that is no damage of the sandbox's.
      if (code === 'TAR_BAD_ARCHIVE' && !stopped) drop('…', `the sandbox sent a damaged archive: ${reasonOf(message)}`);
    },
  });
  // What the stream itself may carry: the files kept, what is dropped along the way, and tar's own blocks.
  const budget = limits.maxTotalBytes + limits.maxFiles * 2 * ENTRY_OVERHEAD + RATIO_FLOOR;
  let compressed = 0;
  let expanded = 0;
  const gunzip = options.gzip ? zlib.createGunzip() : undefined;
  const feed = async (chunk: Buffer): Promise<boolean> => {
    expanded += chunk.length;
    if (expanded > budget) stop(`over the limit for all results together (${megabytes(limits.maxTotalBytes)})`);
    else if (gunzip && expanded > RATIO_FLOOR && expanded > limits.maxCompressionRatio * compressed)
      stop(`the archive expands more than ${limits.maxCompressionRatio} times its size (the compression-ratio limit)`);
    if (stopped) return false;
    if (!parser.write(chunk)) await Promise.race([once(parser, 'drain'), halted]);
    return !stopped;
  };
  const onAbort = () => halt();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal?.aborted) throw signal.reason;
    if (gunzip) {
      const input = (async () => {
        for await (const chunk of source) {
          compressed += chunk.length;
          if (stopped || signal?.aborted) break;
          if (!gunzip.write(chunk)) await Promise.race([once(gunzip, 'drain'), halted]);
        }
        gunzip.end();
      })();
      input.catch((error: unknown) => gunzip.destroy(error as Error));
      for await (const chunk of gunzip as AsyncIterable<Buffer>) {
        if (!(await feed(chunk)) || signal?.aborted) break;
      }
      if (!stopped && !signal?.aborted) await input;
      gunzip.destroy();
    } else {
      for await (const chunk of source) {
        if (!(await feed(Buffer.from(chunk as Uint8Array))) || signal?.aborted) break;
      }
    }
    if (signal?.aborted) throw signal.reason;
    parser.end();
    await Promise.all([...made, ...[...files.values()].map((f) => f.written)]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    halt();
  }
  if (stopped) drop('…', `the rest was not read: ${stopped}`);
  if (droppedMore) dropped.push({ path: '…', reason: `${droppedMore} more left out` });
  return { files: [...files.keys()].sort(), dropped, withSecrets: [...withSecrets].sort() };
}

const COPY_EXCL = fs.constants.COPYFILE_EXCL;

/** A write cut short because the unpacking stopped. */
class Halted extends Error {}

/** Writes one entry's data to a new file; true when it holds a secret. Never leaves the entry unread. */
async function writeEntry(
  entry: ReadEntry,
  file: string,
  mode: number,
  halted: Promise<void>,
  holdsSecret: ((text: string) => boolean) | undefined,
): Promise<boolean> {
  let out: fs.WriteStream;
  try {
    await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
    out = fs.createWriteStream(file, { flags: 'wx', mode });
    await once(out, 'open');
  } catch (error) {
    entry.resume();
    throw error;
  }
  let tail = '';
  let found = false;
  let bytes = 0;
  entry.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (holdsSecret && !found) {
      // latin1: one character per byte, so keys (ASCII in every spelling) match in text and binary files alike.
      const text = tail + chunk.toString('latin1');
      found = holdsSecret(text);
      tail = text.slice(-SCAN_OVERLAP);
    }
    if (!out.write(chunk)) {
      entry.pause();
      out.once('drain', () => entry.resume());
    }
  });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  const stoppedEarly = halted.then(() => Promise.reject(new Halted()));
  try {
    await Promise.race([once(entry, 'end'), failed, stoppedEarly]);
    out.end();
    await Promise.race([once(out, 'close'), failed]);
  } catch (error) {
    entry.resume();
    out.destroy();
    throw error;
  } finally {
    stoppedEarly.catch(() => undefined);
    failed.catch(() => undefined);
  }
  if (bytes !== entry.size) throw new Error(`the archive ends inside it (${bytes} of ${entry.size} bytes)`);
  return found;
}

function reasonOf(error: unknown): string {
  if (typeof error === 'string') return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code && !/^TAR_/.test(code) ? code : error instanceof Error ? error.message : String(error);
}

/** Why a name must not come home (a control file, see CONTROL_NAMES), or undefined. */
export function controlReason(name: string): string | undefined {
  const key = name.toLowerCase().replace(/[. ]+$/, '');
  return Object.hasOwn(CONTROL_NAMES, key) ? CONTROL_NAMES[key] : undefined;
}

/**
 * An archive entry's path relative to the results folder ('' for the folder itself), or undefined when it is not a
 * plain relative path: absolute, a drive letter, a backslash (a separator on Windows), `.` or `..` inside, a NUL.
 */
export function entryName(raw: string): string | undefined {
  const name = raw.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (name === '' || name === '.') return '';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || /[\\\0]/.test(name)) return undefined;
  const parts = name.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return undefined;
  return name;
}

function megabytes(bytes: number): string {
  return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
