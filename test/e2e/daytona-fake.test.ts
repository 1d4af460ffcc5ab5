// The fake Daytona server, driven by the real @daytonaio/sdk with no code of ours in between: if these pass, the fake
// speaks the contract the SDK expects (shared/notes/daytona-sdk.md), so tests built on it test real SDK behaviour.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Daytona } from '@daytonaio/sdk';
import { startFakeDaytona, type FakeDaytona } from '../fakes/daytona';

describe('fake Daytona server, through the real SDK', () => {
  let fake: FakeDaytona;
  let daytona: Daytona;

  before(async () => {
    fake = await startFakeDaytona({ logCloseDelayMs: 100, startDelayMs: 200 });
    daytona = new Daytona({ apiKey: fake.apiKey, apiUrl: fake.apiUrl, target: 'us', useDeprecatedPolling: true });
  });
  after(async () => {
    await daytona[Symbol.asyncDispose]();
    await fake.close();
  });

  it('creates, executes, streams a session command, moves files and deletes', async () => {
    const sandbox = await daytona.create({
      snapshot: 'python312-uv',
      envVars: { GREETING: 'hello' },
      labels: { purpose: 'test' },
    });
    assert.equal(sandbox.state, 'started');
    const polls = fake.requests.filter((r) => r.method === 'GET' && r.path === `/api/sandbox/${sandbox.id}`);
    assert.ok(polls.length >= 1, 'the SDK polled the sandbox until it started');
    assert.deepEqual(fake.sandbox(sandbox.id)?.labels, { purpose: 'test', 'code-toolbox-language': 'python' });

    const rootfs = fake.sandbox(sandbox.id)!.rootfs;
    const home = await sandbox.getUserHomeDir();
    assert.equal(home, '/home/daytona', 'its own home, as a real sandbox reports it');
    assert.equal(await sandbox.getWorkDir(), '/home/daytona');

    // process/execute runs without a shell, like the real daemon: variables are not expanded unless a shell is asked for.
    assert.deepEqual(await sandbox.process.executeCommand('echo $GREETING'), {
      exitCode: 0,
      result: '$GREETING\n',
      artifacts: { stdout: '$GREETING\n' },
    });
    const shell = await sandbox.process.executeCommand(`bash -c 'echo $GREETING; pwd; exit 7'`);
    assert.deepEqual([shell.exitCode, shell.result], [7, `hello\n${home}\n`]);
    await assert.rejects(sandbox.process.executeCommand('sleep 5', undefined, undefined, 1), {
      name: 'DaytonaTimeoutError',
      statusCode: 408,
    });

    // A session command with runAsync answers at once with a command id; status has no exitCode until it has finished.
    await sandbox.process.createSession('s');
    const line = 'x'.repeat(3000);
    const started = await sandbox.process.executeSessionCommand('s', {
      command: `sleep 0.3; echo ${line}; echo warn >&2; echo "$GREETING"`,
      runAsync: true,
    });
    assert.ok(started.cmdId);
    assert.equal((await sandbox.process.getSessionCommand('s', started.cmdId)).exitCode, undefined);
    const stdout: string[] = [];
    const stderr: string[] = [];
    await sandbox.process.getSessionCommandLogs(
      's',
      started.cmdId,
      (c) => stdout.push(c),
      (c) => stderr.push(c),
    );
    assert.equal(stdout.join(''), `${line}\nhello\n`);
    assert.equal(stderr.join(''), 'warn\n');
    assert.ok(stdout.length >= 3, `a 3 KB line arrives in several callbacks (got ${stdout.length})`);
    assert.ok(
      stdout.every((c) => c.length <= 1024),
      'no callback carries more than one 1024-byte frame',
    );
    assert.equal((await sandbox.process.getSessionCommand('s', started.cmdId)).exitCode, 0);
    const logs = await sandbox.process.getSessionCommandLogs('s', started.cmdId);
    assert.deepEqual([logs.stdout, logs.stderr], [`${line}\nhello\n`, 'warn\n']);
    const output = logs.output ?? '';
    assert.ok(
      output.includes('\u0001\u0001\u0001') && output.includes('\u0002\u0002\u0002'),
      'output keeps the raw markers',
    );

    const sync = await sandbox.process.executeSessionCommand('s', { command: 'echo sync; exit 4' });
    assert.deepEqual([sync.exitCode, sync.stdout], [4, 'sync\n']);

    await sandbox.fs.uploadFiles([
      { source: Buffer.from('hello file'), destination: `${home}/a/b.txt` },
      { source: Buffer.from([0, 1, 2, 255]), destination: 'relative.bin' },
    ]);
    assert.deepEqual((await sandbox.fs.listFiles(home!)).map((f) => f.name).sort(), ['a', 'relative.bin']);
    const downloaded = await sandbox.fs.downloadFiles([
      { source: `${home}/a/b.txt` },
      { source: 'relative.bin' },
      { source: 'missing.txt' },
    ]);
    assert.equal(downloaded[0]?.result?.toString(), 'hello file');
    assert.deepEqual([...(downloaded[1]?.result as Buffer)], [0, 1, 2, 255]);
    assert.match(downloaded[2]?.error ?? '', /not found/);
    await assert.rejects(sandbox.fs.downloadFile('missing.txt'), { name: 'DaytonaNotFoundError' });
    const local = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fake-dl-')), 'b.txt');
    await sandbox.fs.downloadFile(`${home}/a/b.txt`, local);
    assert.equal(fs.readFileSync(local, 'utf8'), 'hello file');
    // Written as the sandbox's user, inside its own root: not where that user may not write.
    await assert.rejects(sandbox.fs.uploadFiles([{ source: Buffer.from('x'), destination: '/usr/x' }]), {
      statusCode: 400,
    });
    assert.equal(fs.readFileSync(path.join(fake.sandbox(sandbox.id)!.home, 'a/b.txt'), 'utf8'), 'hello file');

    const listed: string[] = [];
    for await (const found of daytona.list({ labels: { purpose: 'test' } })) listed.push(found.id);
    assert.deepEqual(listed, [sandbox.id]);

    await sandbox.refreshActivity();
    assert.ok(fake.sandbox(sandbox.id)?.lastActivityAt);
    await sandbox.delete();
    assert.deepEqual(fake.liveSandboxes(), []);
    assert.ok(!fs.existsSync(rootfs), 'the sandbox folder is removed');
  });

  it('gives each sandbox a root of its own: what one writes to /app/results is neither this machine’s nor another’s', async () => {
    const marker = `fake-isolation-${process.pid}-${Date.now()}`;
    const [one, two] = await Promise.all([daytona.create({ snapshot: 'python312-uv' }), daytona.create({})]);
    const run = (sandbox: typeof one, command: string) =>
      sandbox.process.executeCommand(`bash -c '${command.replaceAll("'", `'\\''`)}'`);
    // The sandbox user is daytona, who needs sudo for /app, as in a real sandbox.
    const denied = await run(one, 'id -un; mkdir /app 2>&1; echo "[$?]"');
    assert.match(denied.result, /^daytona\nmkdir: cannot create directory ‘\/app’: Permission denied\n\[1\]\n$/);
    for (const [sandbox, text] of [
      [one, 'one'],
      [two, 'two'],
    ] as const) {
      const wrote = await run(
        sandbox,
        `sudo -n mkdir -p /app/results && sudo -n chown daytona /app/results && echo ${text} > /app/results/${marker} && cat /app/results/${marker}`,
      );
      assert.deepEqual([wrote.exitCode, wrote.result], [0, `${text}\n`]);
    }
    assert.equal((await run(one, `cat /app/results/${marker}`)).result, 'one\n', 'not overwritten by the other');
    assert.equal(
      fs.readFileSync(path.join(fake.sandbox(two.id)!.rootfs, 'app/results', marker), 'utf8'),
      'two\n',
      'in its own root on this machine',
    );
    assert.ok(!fs.existsSync(`/app/results/${marker}`), 'not this machine’s /app');
    const tmp = await run(one, `echo x > /tmp/${marker} && ls /tmp`);
    assert.equal(tmp.result, `${marker}\n`, 'its own /tmp');
    assert.ok(!fs.existsSync(`/tmp/${marker}`));
    const system = await run(one, `sudo -n touch /usr/${marker} 2>&1; sudo -n mount -o remount,rw /usr 2>&1 | head -1`);
    assert.match(
      system.result,
      /Read-only file system[\s\S]*permission denied/,
      'the system is read-only, even to sudo',
    );
    assert.ok(!fs.existsSync(`/usr/${marker}`));
    await Promise.all([one.delete(), two.delete()]);
  });

  it('runs as root (without capabilities) when asked', async () => {
    const rooted = await startFakeDaytona({ user: 'root', logCloseDelayMs: 50 });
    const client = new Daytona({
      apiKey: rooted.apiKey,
      apiUrl: rooted.apiUrl,
      target: 'us',
      useDeprecatedPolling: true,
    });
    try {
      const sandbox = await client.create({});
      const result = await sandbox.process.executeCommand(
        `bash -c 'id -u; mkdir -p /app/results && echo ok > /app/results/x && cat /app/results/x; grep CapEff /proc/self/status'`,
      );
      assert.deepEqual(result.result.split('\n').slice(0, 3), ['0', 'ok', 'CapEff:\t0000000000000000']);
      assert.equal(fs.readFileSync(path.join(rooted.sandbox(sandbox.id)!.rootfs, 'app/results/x'), 'utf8'), 'ok\n');
      await sandbox.delete();
    } finally {
      await client[Symbol.asyncDispose]();
      await rooted.close();
    }
  });

  it('answers 401 to a wrong key on the API, the toolbox and the log socket', async () => {
    const sandbox = await daytona.create({ snapshot: 'python312-uv' });
    await sandbox.process.createSession('s');
    const { cmdId } = await sandbox.process.executeSessionCommand('s', { command: 'echo hi', runAsync: true });
    const wrong = new Daytona({ apiKey: 'wrong-key', apiUrl: fake.apiUrl, target: 'us', useDeprecatedPolling: true });
    await assert.rejects(wrong.create({ snapshot: 'python312-uv' }), {
      name: 'DaytonaAuthenticationError',
      statusCode: 401,
    });
    fake.faults.unauthorized = true;
    try {
      await assert.rejects(sandbox.process.executeCommand('echo'), { statusCode: 401 });
      // A failed upgrade rejects with the ws library's ErrorEvent, which is not an Error.
      const rejection = await sandbox.process
        .getSessionCommandLogs(
          's',
          cmdId!,
          () => undefined,
          () => undefined,
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(!(rejection instanceof Error));
      assert.match((rejection as { message: string }).message, /401/);
    } finally {
      fake.faults.unauthorized = false;
      await wrong[Symbol.asyncDispose]();
    }
    await sandbox.delete();
  });

  it('serves the toolbox URL from its own endpoint when the sandbox record lacks it', async () => {
    const bare = await startFakeDaytona({ proxyUrlInSandbox: false, logCloseDelayMs: 50 });
    const client = new Daytona({ apiKey: bare.apiKey, apiUrl: bare.apiUrl, target: 'us', useDeprecatedPolling: true });
    try {
      const sandbox = await client.create();
      assert.equal((await sandbox.process.executeCommand('echo ok')).result, 'ok\n');
      assert.ok(bare.requests.some((r) => r.path === `/api/sandbox/${sandbox.id}/toolbox-proxy-url`));
      await sandbox.delete();
    } finally {
      await client[Symbol.asyncDispose]();
      await bare.close();
    }
  });
});
