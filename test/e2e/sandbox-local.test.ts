// The local sandbox (src/core/run/local.ts): the same Sandbox interface, every command isolated by the real bubblewrap
// in a root of the run's own. What a command writes lands in that root (/app/results comes home, nothing reaches this
// machine's /app, /var/tmp or home), the user's home and variables are not there, the system is read-only, a cancel
// or the end of a command ends everything it started, and without bwrap nothing runs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalProvider, INSTALL_BUBBLEWRAP, LOCAL_HOME } from '../../src/core/run/local';
import { SandboxError, type SandboxProvider } from '../../src/core/run/sandbox';
import { ended, pidsWith, startedWith } from '../fakes/processes';

describe('local sandbox (bubblewrap)', () => {
  let root: string;
  let provider: SandboxProvider;
  /** Where the sandbox's `/` is on this machine. */
  const rootOf = (id: string) => path.join(root, id, 'root');

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-sandbox-test-'));
    provider = createLocalProvider({ root, cliCache: path.join(root, 'cli-cache') });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates, uploads, executes, streams, downloads /app/results and deletes, all inside its own root', async () => {
    const sandbox = await provider.create({ env: { RUN_SECRET: 'local-canary' }, labels: { 'jetty-run': 'r1' } });
    assert.equal(sandbox.workDir, LOCAL_HOME);

    await sandbox.upload([
      { path: 'in/runbook.md', content: '# Runbook' },
      { path: '/logs/agent/data.bin', content: new Uint8Array([1, 2]) },
    ]);
    assert.equal(fs.readFileSync(path.join(rootOf(sandbox.id), 'home/jetty/in/runbook.md'), 'utf8'), '# Runbook');
    const exec = await sandbox.exec(
      'cat in/runbook.md; echo " $RUN_SECRET $EXTRA"; wc -c < /logs/agent/data.bin; echo oops >&2; exit 3',
      { env: { EXTRA: 'extra' } },
    );
    assert.deepEqual(exec, { exitCode: 3, output: '# Runbook local-canary extra\n2\noops\n' });
    assert.equal((await sandbox.exec('pwd', { cwd: 'in' })).output, `${LOCAL_HOME}/in\n`);
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
      'mkdir -p /app/results/sub && echo a > /app/results/a.txt && echo b > /app/results/sub/b.txt && ln -s /etc/passwd /app/results/link && chmod 4755 /app/results/a.txt',
    );
    const local = path.join(root, 'downloaded');
    assert.deepEqual(await sandbox.downloadFolder('/app/results', local), {
      files: ['a.txt', 'sub/b.txt'],
      dropped: [{ path: 'link', reason: 'a symbolic link' }],
      withSecrets: [],
    });
    assert.equal(fs.readFileSync(path.join(local, 'sub/b.txt'), 'utf8'), 'b\n');
    assert.equal(fs.statSync(path.join(local, 'a.txt')).mode & 0o7777, 0o755, 'the setuid bit stays behind');
    assert.deepEqual(await sandbox.downloadFolder('/app/missing', path.join(root, 'none')), {
      files: [],
      dropped: [],
      withSecrets: [],
    });

    assert.deepEqual(
      (await provider.listLeftovers()).map((l) => [l.id, l.labels['jetty-run'], l.labels['created-by']]),
      [[sandbox.id, 'r1', 'jetty-runbooks']],
    );
    await sandbox.delete();
    assert.deepEqual(await provider.listLeftovers(), []);
    assert.ok(!fs.existsSync(path.join(root, sandbox.id)));
  });

  it('writes nothing outside its own root, cannot read the user’s home, and gets no host variable', async () => {
    const marker = `jetty-local-${process.pid}-${Date.now()}`;
    const home = fs.mkdtempSync(path.join(os.homedir(), '.jetty-home-canary-'));
    fs.writeFileSync(path.join(home, 'id_ed25519'), 'PRIVATE KEY');
    process.env.JETTY_HOST_CANARY = marker;
    try {
      const one = await provider.create({ env: {} });
      const two = await provider.create({ env: {} });
      const wrote = await one.exec(
        [
          `echo one > /app/results/${marker}`,
          `echo x > /var/tmp/${marker} && echo var-tmp-ok`,
          `echo x > /tmp/${marker} && echo tmp-ok`,
          `{ echo x > /usr/${marker}; } 2>/dev/null || echo usr-refused`,
          `{ echo x > /etc/${marker}; } 2>/dev/null || echo etc-refused`,
          `cat '${home}/id_ed25519' 2>/dev/null || echo home-unreadable`,
          `ls '${os.homedir()}' 2>/dev/null | grep -c . || true`,
          'echo "canary=[${JETTY_HOST_CANARY:-}] home=$HOME"',
          'env | cut -d= -f1 | sort | tr "\\n" " "',
        ].join('\n'),
      );
      assert.deepEqual(wrote.output.trim().split('\n'), [
        'var-tmp-ok',
        'tmp-ok',
        'usr-refused',
        'etc-refused',
        'home-unreadable',
        '0',
        `canary=[] home=${LOCAL_HOME}`,
        // The proxy and CA settings of this machine pass (the agent must reach its provider); nothing else does.
        [
          ...['HOME', 'JETTY_CLI_CACHE', 'LANG', 'PATH', 'PWD', 'SHLVL', 'TERM', 'TMPDIR', '_'],
          ...['NODE_EXTRA_CA_CERTS', 'SSL_CERT_DIR', 'SSL_CERT_FILE', 'HTTPS_PROXY', 'NO_PROXY'].filter(
            (n) => process.env[n],
          ),
        ]
          .sort()
          .join(' '),
      ]);
      for (const hostPath of [`/app/results/${marker}`, `/var/tmp/${marker}`, `/tmp/${marker}`, `/usr/${marker}`])
        assert.ok(!fs.existsSync(hostPath), `not on this machine: ${hostPath}`);
      assert.equal(fs.readFileSync(path.join(rootOf(one.id), 'app/results', marker), 'utf8'), 'one\n');
      assert.equal(
        (await two.exec(`cat /app/results/${marker} 2>/dev/null || echo not-here`)).output,
        'not-here\n',
        'another sandbox does not see it',
      );
      await one.delete();
      await two.delete();
    } finally {
      delete process.env.JETTY_HOST_CANARY;
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('only the install step may write the CLI cache it shares with other runs', async () => {
    const sandbox = await provider.create({ env: {} });
    const cache = path.join(root, 'cli-cache');
    const write = `{ echo cli > "$JETTY_CLI_CACHE/agent"; } 2>/dev/null && echo wrote || echo refused`;
    assert.equal((await sandbox.exec(write)).output, 'refused\n');
    assert.equal((await sandbox.exec(write, { installsCli: true })).output, 'wrote\n');
    assert.equal(fs.readFileSync(path.join(cache, 'agent'), 'utf8'), 'cli\n');
    assert.equal((await sandbox.exec(`cat "$JETTY_CLI_CACHE/agent"`)).output, 'cli\n', 'readable by every command');
    await sandbox.delete();
  });

  it('refuses to write through a link the sandbox made, and downloads a results folder that is a link as nothing', async () => {
    const sandbox = await provider.create({ env: {} });
    const outside = path.join(root, 'outside');
    fs.mkdirSync(outside);
    await sandbox.exec(`ln -s '${outside}' /logs/agent/evil && rm -rf /app/results && ln -s '${outside}' /app/results`);
    await assert.rejects(
      sandbox.upload([{ path: '/logs/agent/evil/x.txt', content: 'x' }]),
      (e: unknown) => e instanceof SandboxError && e.kind === 'transfer-failed',
    );
    fs.writeFileSync(path.join(outside, 'host-file.txt'), 'of this machine');
    const local = path.join(root, 'downloaded');
    assert.deepEqual(await sandbox.downloadFolder('/app/results', local), { files: [], dropped: [], withSecrets: [] });
    assert.deepEqual(fs.readdirSync(outside), ['host-file.txt'], 'nothing was written there');
    await sandbox.delete();
  });

  it('a cancel kills the command and everything it started', async () => {
    const sandbox = await provider.create({ env: {} });
    const controller = new AbortController();
    let started: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    const marker = `600.${process.pid}1`;
    const running = sandbox.stream(
      `sleep ${marker} & echo started; wait`,
      { onStdout: () => started() },
      { signal: controller.signal },
    );
    await ready;
    const [child] = await startedWith(`sleep ${marker}`);
    assert.ok(child, 'the child runs');
    controller.abort();
    await assert.rejects(running, (e: unknown) => e instanceof SandboxError && e.kind === 'cancelled');
    assert.ok(await ended(child), 'the command’s child is gone');
    await sandbox.delete();
  });

  it('a command that exits leaving a child in the background: the stream ends, the child is killed', async () => {
    const sandbox = await provider.create({ env: {} });
    const stdout: string[] = [];
    const marker = `600.${process.pid}2`;
    const result = await sandbox.stream(`(sleep ${marker}; echo late) & echo started`, {
      onStdout: (c) => stdout.push(c),
    });
    assert.deepEqual(result, { exitCode: 0 });
    assert.equal(stdout.join(''), 'started\n');
    assert.deepEqual(pidsWith(`sleep ${marker}`), [], 'the background child is gone with the command');
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
    while (!fs.existsSync(path.join(rootOf(sandbox.id), 'home/jetty/started')))
      await new Promise((r) => setTimeout(r, 10));
    await sandbox.delete();
    const result = await running;
    assert.equal(result.exitCode, 137, 'killed by SIGKILL');
  });

  it('a bubblewrap that cannot make a sandbox here (user namespaces forbidden) is refused with its own words', async () => {
    const broken = path.join(root, 'bwrap');
    fs.writeFileSync(broken, '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n', {
      mode: 0o755,
    });
    const refusing = createLocalProvider({ root: path.join(root, 'sandboxes'), bwrap: broken });
    await assert.rejects(
      refusing.create({ env: {} }),
      (e: unknown) =>
        e instanceof SandboxError &&
        e.kind === 'start-failed' &&
        e.message ===
          'bubblewrap cannot create a sandbox here, so nothing was run: bwrap: setting up uid map: Permission denied' &&
        e.nextStep ===
          'Allow unprivileged user namespaces for bwrap (on Ubuntu 24.04, an AppArmor profile for it), or run in a Daytona sandbox.',
    );
    assert.ok(!fs.existsSync(path.join(root, 'sandboxes')), 'no sandbox folder was made');
  });

  it('without bubblewrap it refuses, naming the package, and runs nothing', async () => {
    const missing = createLocalProvider({ root, bwrap: path.join(root, 'no-such-bwrap') });
    await assert.rejects(
      missing.create({ env: {} }),
      (e: unknown) =>
        e instanceof SandboxError &&
        e.kind === 'start-failed' &&
        /bubblewrap \(bwrap\), which is not installed here/.test(e.message) &&
        e.nextStep.includes(INSTALL_BUBBLEWRAP),
    );
    assert.deepEqual(fs.readdirSync(root), [], 'no sandbox folder was made');
  });
});
