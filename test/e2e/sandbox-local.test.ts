// The local sandbox (src/core/run/local.ts): the same Sandbox interface in a temporary folder on this machine, with
// real bash processes; a cancel kills the whole process group; paths outside the folder are refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalProvider } from '../../src/core/run/local';
import { SandboxError, type SandboxProvider } from '../../src/core/run/sandbox';
import { ended, isAlive } from '../fakes/processes';

describe('local sandbox', () => {
  let root: string;
  let provider: SandboxProvider;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-sandbox-test-'));
    provider = createLocalProvider({ root });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates, uploads, executes, streams, downloads and deletes', async () => {
    const sandbox = await provider.create({ env: { RUN_SECRET: 'local-canary' }, labels: { 'jetty-run': 'r1' } });
    assert.ok(sandbox.workDir.startsWith(root) && fs.statSync(sandbox.workDir).isDirectory());

    await sandbox.upload([
      { path: 'in/runbook.md', content: '# Runbook' },
      { path: `${sandbox.workDir}/data.bin`, content: new Uint8Array([1, 2]) },
    ]);
    const exec = await sandbox.exec(
      'cat in/runbook.md; echo " $RUN_SECRET $EXTRA"; wc -c < data.bin; echo oops >&2; exit 3',
      { env: { EXTRA: 'extra' } },
    );
    assert.deepEqual(exec, { exitCode: 3, output: '# Runbook local-canary extra\n2\noops\n' });
    assert.equal((await sandbox.exec('pwd', { cwd: 'in' })).output, `${fs.realpathSync(sandbox.workDir)}/in\n`);
    assert.equal((await sandbox.exec('read line; echo "[$line]"')).output, '[]\n', 'stdin is closed');

    const stdout: string[] = [];
    const stderr: string[] = [];
    const result = await sandbox.stream('printf "%s\\n" "€ü😀"; echo warn >&2; sleep 0.2; echo done; exit 4', {
      onStdout: (c) => stdout.push(c),
      onStderr: (c) => stderr.push(c),
    });
    assert.deepEqual(result, { exitCode: 4 });
    assert.equal(stdout.join(''), '€ü😀\ndone\n');
    assert.equal(stderr.join(''), 'warn\n');

    await sandbox.exec(
      'mkdir -p results/sub && echo a > results/a.txt && echo b > results/sub/b.txt && ln -s /etc/passwd results/link',
    );
    const local = path.join(root, 'downloaded');
    assert.deepEqual(await sandbox.downloadFolder('results', local), {
      files: ['a.txt', 'sub/b.txt'],
      skipped: ['link'],
    });
    assert.equal(fs.readFileSync(path.join(local, 'sub/b.txt'), 'utf8'), 'b\n');
    assert.deepEqual(await sandbox.downloadFolder('missing', path.join(root, 'none')), { files: [], skipped: [] });

    assert.deepEqual(
      (await provider.listLeftovers()).map((l) => [l.id, l.labels['jetty-run'], l.labels['created-by']]),
      [[sandbox.id, 'r1', 'jetty-runbooks']],
    );
    await sandbox.delete();
    assert.deepEqual(await provider.listLeftovers(), []);
    assert.ok(!fs.existsSync(sandbox.workDir));
  });

  it('refuses paths outside its folder', async () => {
    const sandbox = await provider.create({ env: {} });
    const outside = path.join(root, 'outside.txt');
    await assert.rejects(
      sandbox.upload([{ path: outside, content: 'x' }]),
      (e: unknown) => e instanceof SandboxError && e.kind === 'transfer-failed',
    );
    await assert.rejects(sandbox.upload([{ path: '../../outside.txt', content: 'x' }]), SandboxError);
    await assert.rejects(sandbox.downloadFolder('/etc', path.join(root, 'etc')), SandboxError);
    assert.ok(!fs.existsSync(outside));
    await assert.rejects(provider.deleteLeftover('../etc'), RangeError);
    await sandbox.delete();
  });

  it('refuses to download a results folder the agent made a link to elsewhere (its home, say)', async () => {
    const sandbox = await provider.create({ env: {} });
    const home = path.join(root, 'home');
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(home, '.ssh-key'), 'private');
    await sandbox.exec(`ln -s '${home}' results`);
    const local = path.join(root, 'downloaded');
    await assert.rejects(
      sandbox.downloadFolder('results', local),
      (e: unknown) =>
        e instanceof SandboxError && e.kind === 'transfer-failed' && /outside the local sandbox folder/.test(e.message),
    );
    assert.ok(!fs.existsSync(path.join(local, '.ssh-key')), 'nothing was copied');
    await sandbox.exec('rm results && mkdir -p real/inside && echo a > real/inside/a.txt && ln -s real/inside results');
    assert.deepEqual(
      await sandbox.downloadFolder('results', local),
      { files: ['a.txt'], skipped: [] },
      'a link that stays inside is fine',
    );
    await sandbox.delete();
  });

  it('a cancel kills the command and everything it started', async () => {
    const sandbox = await provider.create({ env: {} });
    const controller = new AbortController();
    let started: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    const running = sandbox.stream(
      'sleep 600 & echo $! > child; echo started; wait',
      { onStdout: () => started() },
      { signal: controller.signal },
    );
    await ready;
    const child = Number(fs.readFileSync(path.join(sandbox.workDir, 'child'), 'utf8'));
    assert.ok(isAlive(child));
    controller.abort();
    await assert.rejects(running, (e: unknown) => e instanceof SandboxError && e.kind === 'cancelled');
    assert.ok(await ended(child), 'the command’s child is gone');
    await sandbox.delete();
  });

  it('a command that exits leaving a child in the background holding its output: the stream ends, the child is killed', async () => {
    const sandbox = await provider.create({ env: {} });
    const stdout: string[] = [];
    const result = await sandbox.stream('(sleep 600; echo late) & echo $! > child; echo started', {
      onStdout: (c) => stdout.push(c),
    });
    assert.deepEqual(result, { exitCode: 0 });
    assert.equal(stdout.join(''), 'started\n');
    assert.ok(
      await ended(Number(fs.readFileSync(path.join(sandbox.workDir, 'child'), 'utf8'))),
      'the background child is gone',
    );
    await sandbox.delete();
  });

  it('an exec timeout kills the command and is a timeout error', async function () {
    this.timeout(30_000);
    const sandbox = await provider.create({ env: {} });
    await assert.rejects(
      sandbox.exec('sleep 600', { timeoutSeconds: 1 }),
      (e: unknown) =>
        e instanceof SandboxError && e.kind === 'timeout' && e.message === 'The command did not finish within 1 s.',
    );
    await sandbox.delete();
  });

  it('deleting while a command runs kills it', async function () {
    this.timeout(30_000);
    const sandbox = await provider.create({ env: {} });
    const running = sandbox.exec('touch started; exec sleep 600');
    while (!fs.existsSync(path.join(sandbox.workDir, 'started'))) await new Promise((r) => setTimeout(r, 10));
    await sandbox.delete();
    const result = await running;
    assert.equal(result.exitCode, 137, 'killed by SIGKILL');
  });
});
