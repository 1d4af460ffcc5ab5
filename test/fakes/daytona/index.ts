// A Daytona-compatible server for tests, so the real `@daytonaio/sdk` runs offline: the control-plane API
// (/api/sandbox…) and each sandbox's toolbox (process, sessions, the log WebSocket, files), spoken exactly as the SDK
// expects (shared/notes/daytona-sdk.md), with real sandboxes (sandbox.ts) and faults on demand through `faults`.
// Needs root on this machine.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo, Socket } from 'node:net';
import busboy from 'busboy';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeSandbox, SANDBOX_HOME, problem, type SandboxUser, type SessionCommand } from './sandbox';

export interface FakeDaytonaOptions {
  /** The only key accepted as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Snapshot names that exist; creating from any other answers 400 as the real API does. */
  snapshots?: string[];
  /** How long the log WebSocket stays open after its command exits (the real daemon: about 1 s). */
  logCloseDelayMs?: number;
  /** How long a new sandbox stays 'creating'/'starting' before it is 'started' (tests raise it with faults.startDelayMs). */
  startDelayMs?: number;
  /** Variables every sandbox process sees before the sandbox's own (default: PATH and LANG of this process). */
  baseEnv?: Record<string, string>;
  /** When false, sandbox records lack `toolboxProxyUrl`, so the SDK asks GET /api/sandbox/{id}/toolbox-proxy-url. */
  proxyUrlInSandbox?: boolean;
  /** Who runs the sandbox's commands: `daytona` (default: a real sandbox's user, with passwordless sudo) or root. */
  user?: SandboxUser;
  /** Folders of this machine every sandbox sees read-only at the same path (the agent CLIs the tests link, say). */
  readOnly?: string[];
}

/** Faults to inject; set or clear any of them at any time. */
export interface FakeDaytonaFaults {
  /** Every request (API, toolbox, WebSocket upgrade) answers 401, whatever the key. */
  unauthorized?: boolean;
  /** POST /api/sandbox answers this status (e.g. 500). */
  createStatus?: number;
  /** New sandboxes stay 'creating' then 'starting' this long (overrides options.startDelayMs). */
  startDelayMs?: number;
  /** New sandboxes end in this state instead of 'started'. */
  startState?: 'error' | 'build_failed';
  /** While true, every sandbox that has not started yet stays 'starting' (a test decides when a start ends). */
  holdStart?: boolean;
  /** The log WebSocket is cut (no close frame) once this many bytes have been sent on it. */
  dropLogSocketAfterBytes?: number;
  /** The log WebSocket upgrade answers this status (e.g. 502). */
  logSocketUpgradeStatus?: number;
  /** Every bulk-download part is an error part. */
  failDownload?: boolean;
  /** The next N DELETE /api/sandbox/{id} answer 500. */
  deleteFailures?: number;
}

export interface FakeSandboxRecord {
  id: string;
  state: string;
  labels: Record<string, string>;
  env: Record<string, string>;
  snapshot: string | undefined;
  /** Where the sandbox's home (= working directory, /home/daytona inside) is on this machine. */
  home: string;
  /** Where the sandbox's `/` is on this machine. */
  rootfs: string;
  /** The body of the create request, as received. */
  request: Record<string, unknown>;
  /** When the last POST /api/sandbox/{id}/last-activity arrived (ms since epoch). */
  lastActivityAt: number | undefined;
}

export interface FakeDaytona {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** What the SDK takes as `apiUrl`: `${url}/api`. */
  apiUrl: string;
  apiKey: string;
  faults: FakeDaytonaFaults;
  /** Every request received, in order (WebSocket upgrades as method 'WS'). */
  requests: Array<{ method: string; path: string }>;
  /** Sandboxes created and not deleted. */
  liveSandboxes(): FakeSandboxRecord[];
  sandbox(id: string): FakeSandboxRecord | undefined;
  /**
   * Between tests: clears every fault and destroys every sandbox still alive, returning their ids, which a test that
   * cleaned up after itself leaves empty (`assert.deepEqual(fake.reset(), [])`).
   */
  reset(): string[];
  /** Kills every process, closes every socket and the server, removes every folder. */
  close(): Promise<void>;
}

interface SandboxEntry {
  sandbox: FakeSandbox;
  request: Record<string, unknown>;
  labels: Record<string, string>;
  env: Record<string, string>;
  snapshot: string | undefined;
  startDelayMs: number;
  startState: string;
  /** Seen in its final state once: holdStart no longer applies. */
  started?: boolean;
}

const DEFAULT_SNAPSHOTS = ['python312-uv', 'python312-uv-node', 'prism-playwright', 'daytonaio/sandbox:0.5.0-slim'];
const FRAME_BYTES = 1024;

/**
 * Binds 127.0.0.1:0. Each sandbox has a root file system of its own and runs its commands inside it, as the `daytona`
 * user with passwordless sudo or as root (sandbox.ts); `liveSandboxes()` reports the ones still alive.
 */
export async function startFakeDaytona(options: FakeDaytonaOptions = {}): Promise<FakeDaytona> {
  const apiKey = options.apiKey ?? 'fake-daytona-key';
  const snapshots = new Set(options.snapshots ?? DEFAULT_SNAPSHOTS);
  const logCloseDelayMs = options.logCloseDelayMs ?? 1000;
  const baseEnv = options.baseEnv ?? { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-daytona-'));
  const faults: FakeDaytonaFaults = {};
  const requests: FakeDaytona['requests'] = [];
  const entries = new Map<string, SandboxEntry>();
  const sockets = new Set<WebSocket>();
  const timers = new Set<NodeJS.Timeout>();
  const wss = new WebSocketServer({ noServer: true });
  const socketSandbox = new WeakMap<WebSocket, string>();
  let baseUrl = '';

  const state = (entry: SandboxEntry): string => {
    if (entry.sandbox.deleted) return 'destroyed';
    const elapsed = Date.now() - entry.sandbox.createdAt;
    if (elapsed < entry.startDelayMs / 2) return 'creating';
    if (elapsed < entry.startDelayMs || (faults.holdStart && !entry.started)) return 'starting';
    entry.started = true;
    return entry.startState;
  };

  const record = (entry: SandboxEntry): FakeSandboxRecord => ({
    id: entry.sandbox.id,
    state: state(entry),
    labels: entry.labels,
    env: entry.env,
    snapshot: entry.snapshot,
    home: entry.sandbox.home,
    rootfs: entry.sandbox.rootfs,
    request: entry.request,
    lastActivityAt: entry.sandbox.lastActivityAt,
  });

  // The sandbox as the API returns it (the fields the SDK reads).
  const dto = (entry: SandboxEntry): Record<string, unknown> => {
    const current = state(entry);
    const request = entry.request;
    return {
      id: entry.sandbox.id,
      organizationId: 'fake-organization',
      name: entry.sandbox.id,
      snapshot: entry.snapshot,
      user: options.user ?? 'daytona',
      env: entry.env,
      labels: entry.labels,
      public: false,
      networkBlockAll: false,
      target: typeof request.target === 'string' ? request.target : 'us',
      cpu: 1,
      gpu: 0,
      memory: 1,
      disk: 3,
      state: current,
      desiredState: current === 'destroyed' ? 'destroyed' : 'started',
      errorReason: current === 'error' || current === 'build_failed' ? 'injected fault' : undefined,
      autoStopInterval: typeof request.autoStopInterval === 'number' ? request.autoStopInterval : 15,
      autoDeleteInterval: typeof request.autoDeleteInterval === 'number' ? request.autoDeleteInterval : -1,
      createdAt: new Date(entry.sandbox.createdAt).toISOString(),
      updatedAt: new Date().toISOString(),
      ...(options.proxyUrlInSandbox === false ? {} : { toolboxProxyUrl: `${baseUrl}/toolbox` }),
    };
  };

  const liveEntry = (id: string): SandboxEntry | undefined => {
    const entry = entries.get(id);
    return entry && !entry.sandbox.deleted ? entry : undefined;
  };

  const authorized = (headers: http.IncomingHttpHeaders): boolean =>
    !faults.unauthorized && headers.authorization === `Bearer ${apiKey}`;

  // ---- control plane: /api/... ----
  async function api(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.split('/').filter(Boolean).slice(1); // without 'api'
    const method = req.method ?? 'GET';
    if (parts[0] !== 'sandbox') return send(res, 404, problem(404, `Cannot ${method} ${url.pathname}`));

    if (parts.length === 1 && method === 'POST') {
      const body = await readJson(req);
      if (faults.createStatus)
        return send(res, faults.createStatus, problem(faults.createStatus, 'Internal server error (injected fault)'));
      const snapshot = typeof body.snapshot === 'string' ? body.snapshot : undefined;
      if (snapshot && !snapshots.has(snapshot)) {
        return send(
          res,
          400,
          problem(400, `Snapshot ${snapshot} not found. Did you add it through the Daytona Dashboard?`),
        );
      }
      const id = randomUUID();
      const env = stringRecord(body.env);
      const sandbox = new FakeSandbox(
        id,
        path.join(root, id),
        { ...baseEnv, ...env },
        {
          user: options.user ?? 'daytona',
          readOnly: options.readOnly ?? [],
        },
      );
      const entry: SandboxEntry = {
        sandbox,
        request: body,
        labels: stringRecord(body.labels),
        env,
        snapshot: snapshot ?? (body.buildInfo ? undefined : DEFAULT_SNAPSHOTS[0]),
        startDelayMs: faults.startDelayMs ?? options.startDelayMs ?? 20,
        startState: faults.startState ?? 'started',
      };
      entries.set(id, entry);
      return send(res, 200, dto(entry));
    }

    if (parts.length === 1 && method === 'GET') {
      const wanted = url.searchParams.get('labels');
      const labels = wanted ? stringRecord(JSON.parse(wanted)) : {};
      const items = [...entries.values()]
        .filter((e) => !e.sandbox.deleted && Object.entries(labels).every(([k, v]) => e.labels[k] === v))
        .map(dto);
      return send(res, 200, { items, total: items.length, nextCursor: null });
    }

    const entry = liveEntry(parts[1] ?? '');
    if (!entry) return send(res, 404, problem(404, `Sandbox with ID or name ${parts[1]} not found`));
    const action = parts.slice(2).join('/');

    if (action === '' && method === 'GET') return send(res, 200, dto(entry));
    if (action === '' && method === 'DELETE') {
      if (faults.deleteFailures) {
        faults.deleteFailures--;
        return send(res, 500, problem(500, 'Failed to delete sandbox (injected fault)'));
      }
      entry.sandbox.destroy();
      for (const socket of sockets) if (socketSandbox.get(socket) === entry.sandbox.id) socket.terminate();
      return send(res, 200, dto(entry));
    }
    if (action === 'toolbox-proxy-url' && method === 'GET') return send(res, 200, { url: `${baseUrl}/toolbox` });
    if (action === 'last-activity' && method === 'POST') {
      entry.sandbox.lastActivityAt = Date.now();
      res.writeHead(201).end();
      return;
    }
    if (/^autostop\/\d+$/.test(action) && method === 'POST') return send(res, 200, {});
    return send(res, 404, problem(404, `Cannot ${method} ${url.pathname}`));
  }

  // ---- sandbox toolbox: /toolbox/{id}/... ----
  async function toolbox(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const [, , id, ...rest] = url.pathname.split('/');
    const entry = liveEntry(id ?? '');
    if (!entry) return send(res, 404, problem(404, 'sandbox not found'));
    if (state(entry) !== 'started') return send(res, 409, problem(409, `sandbox is ${state(entry)}`));
    const sandbox = entry.sandbox;
    await sandbox.ready; // its namespaces are up (a moment after it is created)
    const route = rest.join('/');
    const method = req.method ?? 'GET';

    if (route === 'user-home-dir' || route === 'work-dir') return send(res, 200, { dir: SANDBOX_HOME });

    if (route === 'process/execute' && method === 'POST') {
      const result = await sandbox.execute(await readJson(req));
      return send(res, result.status, result.body);
    }

    if (route === 'process/session' && method === 'POST') {
      const { sessionId } = await readJson(req);
      if (typeof sessionId !== 'string' || !sessionId) return send(res, 400, problem(400, 'sessionId is required'));
      if (sandbox.sessions.has(sessionId)) return send(res, 409, problem(409, 'session already exists'));
      sandbox.sessions.set(sessionId, new Map());
      res.writeHead(201).end();
      return;
    }
    if (route === 'process/session' && method === 'GET') {
      return send(
        res,
        200,
        [...sandbox.sessions].map(([sessionId, commands]) => ({
          sessionId,
          commands: [...commands.values()].map(commandDto),
        })),
      );
    }

    const session = /^process\/session\/([^/]+)(?:\/(.*))?$/.exec(route);
    if (session) {
      const commands = sandbox.sessions.get(decodeURIComponent(session[1]!));
      if (!commands) return send(res, 404, problem(404, 'session not found'));
      const tail = session[2] ?? '';
      if (tail === '' && method === 'GET')
        return send(res, 200, { sessionId: session[1], commands: [...commands.values()].map(commandDto) });
      if (tail === '' && method === 'DELETE') {
        sandbox.sessions.delete(session[1]!);
        res.writeHead(204).end();
        return;
      }
      if (tail === 'exec' && method === 'POST') {
        const body = await readJson(req);
        if (typeof body.command !== 'string' || !body.command.trim())
          return send(res, 400, problem(400, 'command cannot be empty'));
        const command = sandbox.startSessionCommand(session[1]!, body.command);
        if (body.runAsync === true || body.async === true) return send(res, 202, { cmdId: command.id });
        await new Promise<void>((resolve) => {
          const stop = command.watch(() => command.exitCode !== undefined && (stop(), resolve()));
        });
        const logs = command.logs();
        return send(res, 200, {
          cmdId: command.id,
          output: logs.output,
          stdout: logs.stdout,
          stderr: logs.stderr,
          exitCode: command.exitCode,
        });
      }
      const commandRoute = /^command\/([^/]+)(\/logs)?$/.exec(tail);
      const command = commandRoute ? commands.get(decodeURIComponent(commandRoute[1]!)) : undefined;
      if (commandRoute && !command) return send(res, 404, problem(404, 'command not found'));
      if (command && method === 'GET') return send(res, 200, commandRoute![2] ? command.logs() : commandDto(command));
    }

    if (route === 'files/bulk-upload' && method === 'POST') return upload(req, res, sandbox);
    if (route === 'files/bulk-download' && method === 'POST') return download(res, sandbox, await readJson(req));
    if (route === 'files' && method === 'GET') {
      const folder = sandbox.resolve(url.searchParams.get('path') ?? '');
      // Looked at from here, so only through real folders of its root: a link inside would point at this machine.
      const local = hostPath(sandbox.rootfs, folder);
      if (!local || !fs.lstatSync(local, { throwIfNoEntry: false })?.isDirectory())
        return send(res, 404, problem(404, 'path not found', 'FILE_NOT_FOUND'));
      return send(
        res,
        200,
        fs.readdirSync(local).map((name) => fileInfo(path.join(local, name), path.posix.join(folder, name))),
      );
    }
    return send(res, 404, problem(404, `Cannot ${method} ${url.pathname}`));
  }

  async function upload(req: http.IncomingMessage, res: http.ServerResponse, sandbox: FakeSandbox): Promise<void> {
    const destinations = new Map<string, string>();
    const contents = new Map<string, Buffer>();
    await new Promise<void>((resolve, reject) => {
      const parser = busboy({ headers: req.headers });
      parser.on('field', (name, value) => {
        const match = /^files\[(\d+)\]\.path$/.exec(name);
        if (match) destinations.set(match[1]!, value);
      });
      parser.on('file', (name, stream) => {
        const match = /^files\[(\d+)\]\.file$/.exec(name);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => match && contents.set(match[1]!, Buffer.concat(chunks)));
      });
      parser.on('close', resolve);
      parser.on('error', reject);
      req.pipe(parser);
    });
    for (const [index, destination] of destinations) {
      const failed = await sandbox.writeFile(destination, contents.get(index) ?? Buffer.alloc(0));
      if (failed) return send(res, 400, problem(400, `failed to write ${destination}: ${failed}`, 'FILE_WRITE_FAILED'));
    }
    res.writeHead(200).end();
  }

  async function download(
    res: http.ServerResponse,
    sandbox: FakeSandbox,
    body: Record<string, unknown>,
  ): Promise<void> {
    const paths = Array.isArray(body.paths) ? body.paths.filter((p): p is string => typeof p === 'string') : [];
    const boundary = `fake-daytona-${randomUUID()}`;
    res.writeHead(200, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    for (const requested of paths) {
      const disposition = (name: string) => `form-data; name="${name}"; filename="${requested.replaceAll('"', '%22')}"`;
      let error: Record<string, unknown> | undefined;
      const content = faults.failDownload ? undefined : await sandbox.readFile(requested);
      if (faults.failDownload)
        error = problem(500, `failed to read file ${requested} (injected fault)`, 'FILE_READ_FAILED');
      else if (!content) error = problem(404, `file not found: ${requested}`, 'FILE_NOT_FOUND');
      if (error) {
        res.write(
          `--${boundary}\r\nContent-Disposition: ${disposition('error')}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(error)}\r\n`,
        );
        continue;
      }
      res.write(
        `--${boundary}\r\nContent-Disposition: ${disposition('file')}\r\nContent-Type: application/octet-stream\r\n\r\n`,
      );
      await pipeline(content!, res, { end: false });
      res.write('\r\n');
    }
    res.end(`--${boundary}--\r\n`);
  }

  // ---- the log WebSocket: /toolbox/{id}/process/session/{sid}/command/{cid}/logs?follow=true ----

  function follow(socket: WebSocket, sandboxId: string, command: SessionCommand): void {
    sockets.add(socket);
    socketSandbox.set(socket, sandboxId);
    const dropAfter = faults.dropLogSocketAfterBytes;
    let sent = 0;
    let ending = false;
    const pump = (): void => {
      if (ending || socket.readyState !== socket.OPEN) return;
      while (sent < command.logLength) {
        const limit = dropAfter !== undefined ? Math.min(command.logLength, dropAfter) : command.logLength;
        if (sent >= limit) {
          // Cut the connection without a close frame, once what was sent has left.
          ending = true;
          socket.send(Buffer.alloc(0), { binary: true }, () => socket.terminate());
          return;
        }
        const frame = command.slice(sent, Math.min(sent + FRAME_BYTES, limit));
        sent += frame.length;
        socket.send(frame, { binary: true });
      }
      if (command.exitCode !== undefined) {
        ending = true;
        const timer = setTimeout(() => (timers.delete(timer), socket.close(1000)), logCloseDelayMs);
        timers.add(timer);
      }
    };
    const stop = command.watch(pump);
    socket.on('close', () => (stop(), sockets.delete(socket)));
    socket.on('error', () => socket.terminate());
    pump();
  }

  function upgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: 'WS', path: url.pathname });
    const refuse = (status: number, message: string) => {
      const body = JSON.stringify(problem(status, message));
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (!authorized(req.headers)) return refuse(401, 'Unauthorized');
    if (faults.logSocketUpgradeStatus) return refuse(faults.logSocketUpgradeStatus, 'Bad Gateway (injected fault)');
    const match = /^\/toolbox\/([^/]+)\/process\/session\/([^/]+)\/command\/([^/]+)\/logs$/.exec(url.pathname);
    const entry = match ? liveEntry(match[1]!) : undefined;
    const command = entry?.sandbox.sessions.get(decodeURIComponent(match![2]!))?.get(decodeURIComponent(match![3]!));
    if (!entry || !command) return refuse(404, 'command not found');
    wss.handleUpgrade(req, socket, head, (ws) => follow(ws, entry.sandbox.id, command));
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? 'GET', path: url.pathname });
    if (!authorized(req.headers)) {
      req.resume();
      return send(res, 401, problem(401, 'Unauthorized'));
    }
    const handler = url.pathname.startsWith('/api/') ? api : url.pathname.startsWith('/toolbox/') ? toolbox : undefined;
    if (!handler) {
      req.resume();
      return send(res, 404, problem(404, `Cannot ${req.method} ${url.pathname}`));
    }
    handler(req, res, url).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, problem(500, `fake daytona: ${error instanceof Error ? error.message : String(error)}`));
      else res.destroy();
    });
  });
  server.on('upgrade', upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api`,
    apiKey,
    faults,
    requests,
    liveSandboxes: () => [...entries.values()].filter((e) => !e.sandbox.deleted).map(record),
    sandbox: (id) => {
      const entry = entries.get(id);
      return entry && record(entry);
    },
    reset: () => {
      for (const key of Object.keys(faults)) delete faults[key as keyof FakeDaytonaFaults];
      const left = [...entries.values()].filter((entry) => !entry.sandbox.deleted);
      for (const entry of left) {
        entry.sandbox.destroy();
        for (const socket of sockets) if (socketSandbox.get(socket) === entry.sandbox.id) socket.terminate();
      }
      return left.map((entry) => entry.sandbox.id);
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.terminate();
      for (const entry of entries.values()) if (!entry.sandbox.deleted) entry.sandbox.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      wss.close();
      fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

function commandDto(command: SessionCommand): Record<string, unknown> {
  return {
    id: command.id,
    command: command.command,
    ...(command.exitCode === undefined ? {} : { exitCode: command.exitCode }),
  };
}

/** Where a sandbox path is on this machine, when every folder on its way is a real folder of the root. */
function hostPath(rootfs: string, sandboxPath: string): string | undefined {
  let at = rootfs;
  for (const part of sandboxPath.split('/').filter(Boolean)) {
    at = path.join(at, part);
    if (fs.lstatSync(at, { throwIfNoEntry: false })?.isSymbolicLink()) return undefined;
  }
  return at;
}

function fileInfo(file: string, sandboxPath: string): Record<string, unknown> {
  const stat = fs.lstatSync(file);
  const modTime = stat.mtime.toISOString();
  return {
    name: path.basename(file),
    path: sandboxPath,
    isDir: stat.isDirectory(),
    size: stat.size,
    mode: `0${(stat.mode & 0o777).toString(8)}`,
    permissions: (stat.mode & 0o777).toString(8),
    owner: 'daytona',
    group: 'daytona',
    modTime,
    modifiedAt: modTime,
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
