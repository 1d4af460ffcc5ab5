// The Daytona sandbox (src/core/run/daytona.ts) through the real SDK against the fake Daytona server: a full life
// cycle, every injected fault ending in a clear SandboxError with no sandbox left alive, live output that survives a
// dropped or refused log socket without losing or repeating a byte, and cancels that stop at once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { createDaytonaProvider, type DaytonaConfig } from '../../src/core/run/daytona';
import {
  SandboxError,
  type SandboxErrorKind,
  type SandboxProvider,
  type StreamResult,
} from '../../src/core/run/sandbox';
import { startFakeDaytona, type FakeDaytona } from '../fakes/daytona';
import { ended, isAlive, startedWith } from '../fakes/processes';

describe('Daytona sandbox against the fake Daytona server', () => {
  let fake: FakeDaytona;
  let provider: SandboxProvider;
  let scratch: string;

  const config = (overrides: Partial<DaytonaConfig> = {}): DaytonaConfig => ({
    apiKey: fake.apiKey,
    apiUrl: fake.apiUrl,
    target: 'us',
    keepAliveIntervalMs: 50,
    pollIntervalMs: 100,
    deleteRetryDelayMs: 10,
    ...overrides,
  });

  /** Asserts the promise rejects with a SandboxError of `kind` and returns it. */
  async function failure(promise: Promise<unknown>, kind: SandboxErrorKind): Promise<SandboxError> {
    const error = await promise.then(
      () => assert.fail(`expected a ${kind} SandboxError`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SandboxError, `not a SandboxError: ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.ok(error.nextStep.length > 0);
    return error;
  }

  /** Resolves once `condition` holds (checked every 10 ms): waits for an event, asserts nothing about time. */
  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((r) => setTimeout(r, 10));
  }

  /** Runs `command` through stream() and returns what arrived on stdout and stderr. */
  async function streamed(sandbox: Awaited<ReturnType<SandboxProvider['create']>>, command: string) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const result = await sandbox.stream(command, { onStdout: (c) => stdout.push(c), onStderr: (c) => stderr.push(c) });
    return { result, stdout: stdout.join(''), stderr: stderr.join(''), chunks: stdout };
  }

  before(async () => {
    fake = await startFakeDaytona({ logCloseDelayMs: 100 });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'daytona-sandbox-test-'));
  });
  beforeEach(() => {
    provider = createDaytonaProvider(config());
  });
  afterEach(async () => {
    // Faults off first: a held start or failing deletes would keep dispose() waiting for its background clean-ups.
    for (const key of Object.keys(fake.faults)) delete fake.faults[key as keyof typeof fake.faults];
    await provider.dispose();
    assert.deepEqual(fake.reset(), [], 'no sandbox is left alive');
  });
  after(async () => {
    await fake.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('creates, uploads, executes, streams, keeps alive, downloads and deletes', async () => {
    const sandbox = await provider.create({
      snapshot: 'python312-uv',
      env: { RUN_SECRET: 'canary-value-123', GREETING: 'hi' },
      labels: { 'jetty-run': 'r1' },
    });
    const record = fake.sandbox(sandbox.id)!;
    assert.equal(sandbox.workDir, '/home/daytona', 'workDir is what the sandbox reports');
    assert.equal(record.labels['created-by'], 'jetty-runbooks');
    assert.equal(record.labels['jetty-run'], 'r1');
    assert.equal(record.request.autoDeleteInterval, 0, 'ephemeral: deleted when it stops');
    assert.equal(record.env.RUN_SECRET, 'canary-value-123');

    await sandbox.upload([
      { path: 'in/runbook.md', content: '# Runbook' },
      { path: `${sandbox.workDir}/data.bin`, content: new Uint8Array([0, 255, 10]) },
    ]);
    const exec = await sandbox.exec(
      `cat in/runbook.md; echo " $GREETING $EXTRA"; od -An -tu1 data.bin; echo oops >&2; exit 3`,
      { env: { EXTRA: 'it\'s "quoted" $HOME' } },
    );
    assert.deepEqual(exec, { exitCode: 3, output: `# Runbook hi it's "quoted" $HOME\n   0 255  10\noops\n` });
    assert.equal((await sandbox.exec('pwd', { cwd: 'in' })).output, `${sandbox.workDir}/in\n`);

    const line = 'x'.repeat(3000);
    const { result, stdout, stderr, chunks } = await streamed(
      sandbox,
      `echo ${line}; echo warn >&2; sleep 0.3; echo "$RUN_SECRET"; exit 5`,
    );
    assert.deepEqual(result, { exitCode: 5 });
    assert.equal(stdout, `${line}\ncanary-value-123\n`);
    assert.equal(stderr, 'warn\n');
    assert.ok(chunks.length >= 3, 'the 3 KB line arrived in several chunks');
    assert.ok(fake.sandbox(sandbox.id)?.lastActivityAt, 'stream() kept the sandbox alive');

    await sandbox.exec(
      'mkdir -p results/sub && echo a > results/a.txt && printf "\\xff\\x00" > results/sub/b.bin && ln -s /etc/passwd results/link',
    );
    const local = path.join(scratch, 'results');
    const downloaded = await sandbox.downloadFolder('results', local);
    assert.deepEqual(downloaded, {
      files: ['a.txt', 'sub/b.bin'],
      dropped: [{ path: 'link', reason: 'a symbolic link' }],
      withSecrets: [],
    });
    assert.equal(fs.readFileSync(path.join(local, 'a.txt'), 'utf8'), 'a\n');
    assert.deepEqual([...fs.readFileSync(path.join(local, 'sub/b.bin'))], [255, 0]);
    assert.ok(!fs.existsSync(path.join(local, 'link')), 'a link from the sandbox is not recreated here');
    assert.deepEqual(await sandbox.downloadFolder('no-such-folder', path.join(scratch, 'none')), {
      files: [],
      dropped: [],
      withSecrets: [],
    });

    await sandbox.delete();
    await sandbox.delete(); // idempotent
    assert.deepEqual(fake.liveSandboxes(), []);
  });

  it('a rejected key is an auth error that does not show the key, and leaves nothing behind', async () => {
    const wrong = createDaytonaProvider(config({ apiKey: 'wrong-key-canary-42' }));
    const error = await failure(wrong.create({ snapshot: 'python312-uv', env: {} }), 'auth');
    assert.equal(error.message, 'Daytona rejected the API key (HTTP 401) while trying to create the sandbox.');
    assert.ok(!error.message.includes('wrong-key-canary-42') && !error.nextStep.includes('wrong-key-canary-42'));
    await wrong.dispose();
  });

  it('a key revoked mid-run fails the next command as an auth error', async () => {
    const sandbox = await provider.create({ env: {} });
    fake.faults.unauthorized = true;
    await failure(sandbox.exec('true'), 'auth');
    await failure(sandbox.stream('true', { onStdout: () => undefined }), 'auth');
    fake.faults.unauthorized = false;
    await sandbox.delete();
  });

  it('an unreachable API names the URL it could not reach', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const apiUrl = `http://127.0.0.1:${closed}/api`;
    const offline = createDaytonaProvider(config({ apiUrl }));
    const error = await failure(offline.create({ env: {} }), 'unreachable');
    assert.equal(
      error.message,
      `Could not reach Daytona at ${apiUrl} (connection refused) while trying to create the sandbox.`,
    );
    assert.equal(error.details.url, apiUrl);
    await offline.dispose();
  });

  it('a 500 on create is a service error with the status', async () => {
    fake.faults.createStatus = 500;
    const error = await failure(provider.create({ snapshot: 'python312-uv', env: {} }), 'service');
    assert.equal(
      error.message,
      'Daytona answered HTTP 500 while trying to create the sandbox: Internal server error (injected fault)',
    );
  });

  it('an unknown snapshot is named', async () => {
    const error = await failure(provider.create({ snapshot: 'no-such-snapshot', env: {} }), 'snapshot-not-found');
    assert.equal(error.message, 'Daytona has no snapshot named "no-such-snapshot".');
    assert.equal(error.details.snapshot, 'no-such-snapshot');
  });

  it('a slow start is waited for', async () => {
    fake.faults.holdStart = true;
    let settled = false;
    const creating = provider.create({ image: 'python:3.12-slim', env: {} }).finally(() => (settled = true));
    const polled = (id: string) => fake.requests.some((r) => r.path === `/api/sandbox/${id}` && r.method === 'GET');
    await until(() => fake.liveSandboxes().some((s) => s.state === 'starting' && polled(s.id)));
    assert.equal(settled, false, 'create() still waits while the sandbox is starting');
    fake.faults.holdStart = false;
    const sandbox = await creating;
    assert.equal(fake.sandbox(sandbox.id)?.state, 'started');
    assert.match(
      String((fake.sandbox(sandbox.id)?.request.buildInfo as { dockerfileContent?: string })?.dockerfileContent),
      /^FROM python:3.12-slim/,
    );
    await sandbox.delete();
  });

  it('a start that takes too long times out and the half-made sandbox is deleted', async () => {
    fake.faults.startDelayMs = 60_000;
    const impatient = createDaytonaProvider(config({ startTimeoutSeconds: 1 }));
    const error = await failure(impatient.create({ snapshot: 'python312-uv', env: {} }), 'timeout');
    assert.equal(error.message, 'The Daytona sandbox did not start within 1 s.');
    assert.deepEqual(fake.liveSandboxes(), [], 'found by its request label and deleted before the error was reported');
    await impatient.dispose();
  });

  it('a sandbox that fails to start is a start error and is deleted', async () => {
    fake.faults.startState = 'error';
    const error = await failure(provider.create({ snapshot: 'python312-uv', env: {} }), 'start-failed');
    assert.match(error.message, /^The Daytona sandbox could not start: .*status: error/);
    assert.deepEqual(fake.liveSandboxes(), []);
  });

  it('a cancel while the sandbox starts returns before it has started, and the sandbox is deleted once it exists', async () => {
    fake.faults.holdStart = true;
    const controller = new AbortController();
    const creating = provider.create({ snapshot: 'python312-uv', env: {} }, { signal: controller.signal });
    await until(() => fake.liveSandboxes().length === 1);
    controller.abort();
    await failure(creating, 'cancelled');
    const [starting] = fake.liveSandboxes();
    assert.match(starting?.state ?? '', /^(creating|starting)$/, 'the cancel did not wait for the start');
    fake.faults.holdStart = false;
    await provider.dispose(); // waits for the background deletion
    assert.deepEqual(fake.liveSandboxes(), []);
    assert.ok(
      fake.requests.some((r) => r.method === 'DELETE' && r.path === `/api/sandbox/${starting!.id}`),
      'deleted through the API',
    );
  });

  it('a cancel mid-command returns at once; deleting the sandbox then kills the command', async () => {
    const sandbox = await provider.create({ env: {} });
    const controller = new AbortController();
    let firstChunk: () => void;
    const started = new Promise<void>((resolve) => (firstChunk = resolve));
    const marker = `600.${process.pid}3`;
    const running = sandbox.stream(
      `echo started; exec sleep ${marker}`,
      { onStdout: () => firstChunk() },
      { signal: controller.signal },
    );
    await started;
    controller.abort();
    await failure(running, 'cancelled');
    const [pid] = await startedWith(`sleep ${marker}`);
    assert.ok(pid && isAlive(pid), 'the command runs until the sandbox is deleted');
    await sandbox.delete();
    assert.ok(await ended(pid), 'deleting the sandbox killed the command');
  });

  it('an exec timeout is a timeout error', async () => {
    const sandbox = await provider.create({ env: {} });
    const error = await failure(sandbox.exec('sleep 10', { timeoutSeconds: 1 }), 'timeout');
    assert.equal(error.message, 'The command did not finish within 1 s.');
    await sandbox.delete();
  });

  describe('live output when the log socket fails', () => {
    // First one write of 2000 three-byte characters (log: 3 marker bytes, then the line), so a cut after 1601 bytes lands
    // inside a character; then JSON lines with multi-byte characters in bursts with pauses, so the command still runs.
    const script = `
wide=$(printf '€%.0s' $(seq 1 2000)); printf '%s\\n' "$wide"
for burst in 1 2 3; do
  for i in $(seq 1 40); do echo "{\\"burst\\":$burst,\\"line\\":$i,\\"text\\":\\"€ü😀 payload payload payload\\"}"; done
  echo "stderr $burst" >&2
  sleep 0.4
done`;
    let expected: string;

    before(async () => {
      const reference = createDaytonaProvider(config());
      const sandbox = await reference.create({ env: {} });
      expected = (await sandbox.exec(`bash -c '${script.replaceAll("'", "'\\''")}' 2>/dev/null`)).output;
      await sandbox.delete();
      await reference.dispose();
      assert.equal(expected.split('\n').length, 122);
    });

    const check = (run: { result: StreamResult; stdout: string; stderr: string }) => {
      assert.equal(run.stdout, expected, 'every byte arrived exactly once');
      assert.equal(run.stderr, 'stderr 1\nstderr 2\nstderr 3\n');
      assert.equal(run.result.exitCode, 0);
    };

    it('a socket dropped mid-stream (mid-character) while the command runs loses and repeats nothing', async () => {
      const sandbox = await provider.create({ env: {} });
      fake.faults.dropLogSocketAfterBytes = 1601; // 3 + 532 × 3 + 2: inside a character
      const run = await streamed(sandbox, script);
      check(run);
      assert.equal(fake.requests.filter((r) => r.method === 'WS').length >= 1, true);
      assert.ok(!run.stdout.includes('\uFFFD') && !run.stdout.includes('\u0001'), 'no fabricated bytes from the cut');
      await sandbox.delete();
    });

    it('a socket dropped late, after a fast command has finished, still delivers the rest', async () => {
      const sandbox = await provider.create({ env: {} });
      fake.faults.dropLogSocketAfterBytes = 6001;
      const run = await streamed(sandbox, script.replaceAll('sleep 0.4', 'true'));
      assert.equal(run.stdout, expected);
      await sandbox.delete();
    });

    it('a refused upgrade (502) falls back to polling', async () => {
      const sandbox = await provider.create({ env: {} });
      fake.faults.logSocketUpgradeStatus = 502;
      check(await streamed(sandbox, script));
      await sandbox.delete();
    });
  });

  it('a failing download is a transfer error', async () => {
    const sandbox = await provider.create({ env: {} });
    await sandbox.exec('mkdir results && echo a > results/a.txt');
    fake.faults.failDownload = true;
    const error = await failure(sandbox.downloadFolder('results', path.join(scratch, 'failed')), 'transfer-failed');
    assert.match(
      error.message,
      /^Daytona answered HTTP 500 while trying to download results from the sandbox: failed to read file/,
    );
    await sandbox.delete();
  });

  it('deletion retries once, and reports a second failure clearly', async () => {
    const first = await provider.create({ env: {} });
    fake.faults.deleteFailures = 1;
    await first.delete();
    assert.deepEqual(fake.liveSandboxes(), []);

    const second = await provider.create({ env: {} });
    fake.faults.deleteFailures = 2;
    const error = await failure(second.delete(), 'delete-failed');
    assert.equal(
      error.message,
      `Could not delete the Daytona sandbox ${second.id}: Daytona answered HTTP 500 while trying to delete the sandbox: Failed to delete sandbox (injected fault)`,
    );
    assert.equal(fake.liveSandboxes().length, 1);
    await second.delete(); // a later try can still succeed
  });

  it('lists and deletes the sandboxes this extension left behind, and only those', async () => {
    const ours = [await provider.create({ env: {} }), await provider.create({ env: {}, labels: { 'jetty-run': 'x' } })];
    const foreign = await fetch(`${fake.apiUrl}/sandbox`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ labels: { 'created-by': 'someone-else' } }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    const leftovers = await provider.listLeftovers();
    assert.deepEqual(leftovers.map((l) => l.id).sort(), ours.map((s) => s.id).sort());
    for (const leftover of leftovers) await provider.deleteLeftover(leftover.id);
    await provider.deleteLeftover(ours[0]!.id); // already gone: fine
    assert.deepEqual(
      fake.liveSandboxes().map((s) => s.id),
      [foreign.id],
    );
    await fetch(`${fake.apiUrl}/sandbox/${foreign.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${fake.apiKey}` },
    });
  });
});
