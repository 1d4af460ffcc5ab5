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

    const home = await sandbox.getUserHomeDir();
    assert.equal(home, fake.sandbox(sandbox.id)?.home);

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
    // Outside the sandbox folder is refused (a client hard-coding /home/daytona fails instead of writing to this machine).
    await assert.rejects(sandbox.fs.uploadFiles([{ source: Buffer.from('x'), destination: '/home/daytona/x' }]), {
      statusCode: 400,
    });

    const listed: string[] = [];
    for await (const found of daytona.list({ labels: { purpose: 'test' } })) listed.push(found.id);
    assert.deepEqual(listed, [sandbox.id]);

    await sandbox.refreshActivity();
    assert.ok(fake.sandbox(sandbox.id)?.lastActivityAt);
    await sandbox.delete();
    assert.deepEqual(fake.liveSandboxes(), []);
    assert.ok(!fs.existsSync(home!), 'the sandbox folder is removed');
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
