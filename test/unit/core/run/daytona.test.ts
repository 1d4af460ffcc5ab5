// The pure parts of the Daytona sandbox: exactly-once delivery of streamed output, the command wrapper, and the
// translation of SDK failures into SandboxErrors (what a download brings home: results.test.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSdk } from '../../../../src/core/run/daytona';
import { toSandboxError } from '../../../../src/core/run/daytona-errors';
import { StreamTail, pollDelayMs, wrapCommand } from '../../../../src/core/run/daytona-sandbox';
import { splitCommand } from '../../../fakes/daytona/sandbox';

describe('pollDelayMs (polling the whole log when the socket failed)', () => {
  it('waits the base interval for a short log, longer as the log grows (about 256 KB/s re-downloaded), at most 30 s', () => {
    assert.equal(pollDelayMs(1000, 0), 1000);
    assert.equal(pollDelayMs(1000, 200_000), 1000);
    assert.equal(pollDelayMs(1000, 1024 * 1024), 4096);
    assert.equal(pollDelayMs(1000, 100 * 1024 * 1024), 30_000);
    assert.equal(pollDelayMs(50, 0), 50, 'tests poll fast');
    assert.equal(pollDelayMs(60_000, 0), 60_000, 'a longer base interval is kept');
  });
});

describe('StreamTail', () => {
  const tail = () => {
    const delivered: string[] = [];
    return { stream: new StreamTail((t) => delivered.push(t)), delivered };
  };

  it('passes live text through and delivers nothing twice when the logs endpoint agrees', () => {
    const { stream, delivered } = tail();
    stream.live('{"a":');
    stream.live('1}\n');
    stream.settle('{"a":1}\n');
    assert.deepEqual(delivered, ['{"a":', '1}\n']);
  });

  it('delivers from the logs endpoint exactly what the socket missed', () => {
    const { stream, delivered } = tail();
    stream.live('line 1\nli');
    stream.settle('line 1\nline 2\n');
    stream.settle('line 1\nline 2\nline 3\n');
    assert.deepEqual(delivered, ['line 1\nli', 'ne 2\n', 'line 3\n']);
  });

  it('holds back what a cut connection fabricates (marker bytes, a broken character) until it is confirmed', () => {
    const { stream, delivered } = tail();
    stream.live('abc\u0001\u0001'); // the first bytes of a marker the SDK flushed when the socket closed
    assert.deepEqual(delivered, ['abc']);
    stream.settle('abc€ and more');
    assert.equal(delivered.join(''), 'abc€ and more');

    const second = tail();
    second.stream.live('price: \uFFFD'); // half of a € flushed as U+FFFD
    second.stream.settle('price: €5');
    assert.equal(second.delivered.join(''), 'price: €5');
  });

  it('delivers held text once more text confirms it', () => {
    const { stream, delivered } = tail();
    stream.live('x\uFFFD');
    stream.live('y');
    assert.equal(delivered.join(''), 'x\uFFFDy', 'a replacement character in the middle is real output');
  });

  it('delivers nothing after close', () => {
    const { stream, delivered } = tail();
    stream.close();
    stream.live('late');
    stream.settle('late');
    assert.deepEqual(delivered, []);
  });
});

describe('wrapCommand', () => {
  const run = (wrapped: string) => {
    // As the real daemon's execute endpoint runs it: split on spaces and quotes, no shell.
    const [file, ...args] = splitCommand(wrapped);
    return execFileSync(file!, args, { encoding: 'utf8', input: 'must not be read' });
  };

  it('survives the daemon splitting and runs the command in bash, in cwd, with env, stdin closed', () => {
    const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wrap-')));
    const command = `printf '%s|' "$PWD" "$QUOTED" "$(cat)" "it's" ; echo "$(( 6 * 7 ))"`;
    const output = run(wrapCommand(command, folder, { QUOTED: `a 'b' "c" $d \\ e` }));
    assert.equal(output, `${folder}|a 'b' "c" $d \\ e||it's|42\n`);
    fs.rmSync(folder, { recursive: true });
  });

  it('has no quote or space inside its script argument', () => {
    assert.match(wrapCommand(`echo "hi there" 'x'`, '/'), /^bash -c 'eval "\$\(echo [A-Za-z0-9+/=]+ \| base64 -d\)"'$/);
  });

  it('refuses bad variable names and commands too long for one argument', () => {
    assert.throws(() => wrapCommand('true', '/', { 'BAD-NAME': 'x' }), RangeError);
    assert.throws(() => wrapCommand('x'.repeat(100_000), '/'), /upload it as a file/);
  });
});

describe('toSandboxError', () => {
  const sdk = loadSdk();
  const context = { operation: 'create the sandbox', url: 'https://daytona.example/api', secret: 'dtn_secret_key_123' };

  it('turns each kind of SDK failure into a clear SandboxError', () => {
    const cases: Array<[unknown, string, string]> = [
      [
        new sdk.DaytonaAuthenticationError('Unauthorized', 401),
        'auth',
        'Daytona rejected the API key (HTTP 401) while trying to create the sandbox.',
      ],
      [
        new sdk.DaytonaValidationError(
          'Snapshot my-snap not found. Did you add it through the Daytona Dashboard?',
          400,
        ),
        'snapshot-not-found',
        'Daytona has no snapshot named "my-snap".',
      ],
      [
        new sdk.DaytonaConnectionError('getaddrinfo ENOTFOUND daytona.example'),
        'unreachable',
        'Could not reach Daytona at https://daytona.example/api (host not found) while trying to create the sandbox.',
      ],
      [
        new sdk.DaytonaInternalServerError('boom', 500),
        'service',
        'Daytona answered HTTP 500 while trying to create the sandbox: boom',
      ],
      [
        { type: 'error', message: 'Unexpected server response: 502' },
        'service',
        'Daytona failed while trying to create the sandbox: Unexpected server response: 502',
      ],
    ];
    for (const [error, kind, message] of cases) {
      const result = toSandboxError(sdk, error, context);
      assert.deepEqual([result.kind, result.message], [kind, message]);
    }
    assert.equal(
      toSandboxError(sdk, new sdk.DaytonaValidationError('Snapshot x not found', 400), { ...context, snapshot: 'x' })
        .details.snapshot,
      'x',
    );
  });

  it('never repeats the key, even when the service echoes it', () => {
    const result = toSandboxError(sdk, new sdk.DaytonaError('bad token dtn_secret_key_123 for org', 418), context);
    assert.equal(result.message, 'Daytona answered HTTP 418 while trying to create the sandbox: bad token *** for org');
  });
});
