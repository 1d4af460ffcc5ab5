// The redactor: every known secret becomes *** wherever and however it appears in a line, and nothing else changes.
import assert from 'node:assert/strict';
import { CUT_AT_END, Redactor, redactedMessage, redactorFromEnv } from '../../../src/core/redact';

const ANTHROPIC = 'sk-ant-api03-Zx9_canary-1111';
const BEDROCK = 'ABSKab+cd/ef==gh"quoted\\back';

describe('Redactor', () => {
  it('replaces a key anywhere in a line, and every repeat of it', () => {
    const r = new Redactor([ANTHROPIC]);
    assert.equal(r.redact(`${ANTHROPIC}`), '***');
    assert.equal(r.redact(`key=${ANTHROPIC} again ${ANTHROPIC}${ANTHROPIC}.`), 'key=*** again ***.');
  });

  it('catches a key at the very start and end of a line (redaction runs after line splitting)', () => {
    const r = new Redactor([ANTHROPIC]);
    const chunks = [
      `first line\nexport ANTHROPIC_API_KEY=${ANTHROPIC.slice(0, 10)}`,
      `${ANTHROPIC.slice(10)}\n${ANTHROPIC} last`,
    ];
    const lines = chunks
      .join('')
      .split('\n')
      .map((line) => r.redact(line));
    assert.deepEqual(lines, ['first line', 'export ANTHROPIC_API_KEY=***', '*** last']);
  });

  it('catches a key inside a JSON string, where quotes, backslashes and slashes are escaped', () => {
    const r = new Redactor([BEDROCK]);
    const line = JSON.stringify({ type: 'item.completed', item: { aggregated_output: `token: ${BEDROCK}\n` } });
    const redacted = r.redact(line);
    assert.equal(redacted, JSON.stringify({ type: 'item.completed', item: { aggregated_output: 'token: ***\n' } }));
    assert.doesNotMatch(redacted, /ABSK/);
    // Some encoders also write / as \/.
    const slashEscaped = JSON.stringify(BEDROCK).slice(1, -1).replaceAll('/', '\\/');
    assert.equal(r.redact(`"x":"${slashEscaped}"`), '"x":"***"');
  });

  it('catches a key escaped twice (JSON inside a JSON string) and percent-encoded in a URL', () => {
    const r = new Redactor([BEDROCK]);
    const inner = JSON.stringify({ token: BEDROCK });
    const outer = JSON.stringify({ type: 'tool_result', content: inner });
    assert.equal(r.redact(outer), JSON.stringify({ type: 'tool_result', content: JSON.stringify({ token: '***' }) }));
    assert.equal(r.redact(`GET /x?key=${encodeURIComponent(BEDROCK)} 200`), 'GET /x?key=*** 200');
  });

  it('catches a key in base64 (standard and URL-safe, wherever it starts in a longer encoded text) and in hex', () => {
    const r = new Redactor([ANTHROPIC]);
    for (const before of ['', 'a', 'ab', 'abc', 'Authorization: Basic ']) {
      for (const after of ['', 'z', 'zz', ':password']) {
        const encoded = Buffer.from(`${before}${ANTHROPIC}${after}`).toString('base64');
        const urlSafe = encoded.replaceAll('+', '-').replaceAll('/', '_');
        for (const text of [encoded, urlSafe]) {
          const redacted = r.redact(`token ${text} end`);
          assert.match(redacted, /\*\*\*/, `${before}|${after}: ${text}`);
          const gone = `token ${text} end`.length - redacted.length + 3;
          assert.ok(gone >= (ANTHROPIC.length * 4) / 3 - 4, `all but the edges of the key's encoding go: ${redacted}`);
        }
      }
    }
    const hex = Buffer.from(ANTHROPIC).toString('hex');
    assert.equal(r.redact(`0x${hex}`), '0x***');
    assert.equal(r.redact(hex.toUpperCase()), '***');
  });

  it('hides the start of a key that a cut left at the end of a text, when told the text was cut there', () => {
    const r = new Redactor([ANTHROPIC, BEDROCK]);
    for (let n = 4; n < ANTHROPIC.length; n++) {
      const cut = `log line ${ANTHROPIC.slice(0, n)}`;
      assert.equal(r.redact(cut, CUT_AT_END), 'log line ***', `${n} characters of the key`);
    }
    const jsonCut = `{"out":"${JSON.stringify(BEDROCK).slice(1, 20)}`;
    assert.equal(r.redact(jsonCut, CUT_AT_END), '{"out":"***', 'in its JSON spelling too');
    assert.equal(r.redact('ends with sk-', CUT_AT_END), 'ends with sk-', 'three characters are no more than a prefix');
    assert.equal(r.redact(`whole ${ANTHROPIC}`, CUT_AT_END), 'whole ***');
    assert.equal(
      r.redact(`log line ${ANTHROPIC.slice(0, 10)}`),
      `log line ${ANTHROPIC.slice(0, 10)}`,
      'only when told',
    );
  });

  it('covers overlapping keys completely: one extending another, and two overlapping in the text', () => {
    const r = new Redactor(['abcdefgh12', 'abcdefgh12345678', '12345678xyz']);
    assert.equal(r.redact('<abcdefgh12345678>'), '<***>');
    assert.equal(r.redact('<abcdefgh12345678xyz>'), '<***>');
    assert.equal(r.redact('<abcdefgh12 and 12345678xyz>'), '<*** and ***>');
    assert.equal(r.redact('abcdefgh1'), 'abcdefgh1');
  });

  it('escapes regular-expression characters in keys', () => {
    const r = new Redactor(['a.b*c+d?e(f)[g]{h}|i^j$k\\l']);
    assert.equal(r.redact('x a.b*c+d?e(f)[g]{h}|i^j$k\\l y'), 'x *** y');
    assert.equal(r.redact('aXbbbcd'), 'aXbbbcd');
  });

  it('ignores values shorter than 8 characters, so ordinary text is not mangled', () => {
    const r = new Redactor(['true', 'dev', '1234', 'secret7', undefined, '']);
    const text = 'if dev is true then 1234 is a secret7 value';
    assert.equal(r.redact(text), text);
    assert.equal(r.size, 0);
    // The eighth character makes it a secret.
    assert.equal(new Redactor(['secret78']).redact('a secret78 b'), 'a *** b');
  });

  it('leaves text without secrets untouched, and works with no secrets at all', () => {
    assert.equal(new Redactor().redact('nothing to hide here'), 'nothing to hide here');
    assert.equal(new Redactor([ANTHROPIC]).redact('sk-ant-api03 is only a prefix'), 'sk-ant-api03 is only a prefix');
  });

  it('values come and go by source: a cleared key source stops matching, a run’s values add to the stored keys', () => {
    const r = new Redactor();
    r.set('keys', [ANTHROPIC]);
    r.set('run-1', ['run-secret-value']);
    assert.equal(r.redact(`${ANTHROPIC} run-secret-value`), '*** ***');
    assert.equal(r.size, 2);
    r.delete('run-1');
    assert.equal(r.redact(`${ANTHROPIC} run-secret-value`), '*** run-secret-value');
    r.set('keys', []);
    assert.equal(r.redact(ANTHROPIC), ANTHROPIC);
  });

  it('handles many keys in one pattern', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `sk-test-${String(i).padStart(4, '0')}-${'x'.repeat(i % 7)}`);
    const r = new Redactor(keys);
    const line = keys.filter((_, i) => i % 3 === 0).join(' | ');
    assert.equal(
      r.redact(line),
      keys
        .filter((_, i) => i % 3 === 0)
        .map(() => '***')
        .join(' | '),
    );
  });
});

describe('redactorFromEnv (the CLI)', () => {
  it('reads the registry’s key names and the extra names a run passes, from the environment', () => {
    const env = { OPENAI_API_KEY: 'sk-proj-from-env-1', GITHUB_TOKEN: 'ghp_from_env_22', HOME: '/root/not-a-secret' };
    const r = redactorFromEnv(env, ['GITHUB_TOKEN']);
    assert.equal(r.redact('sk-proj-from-env-1 ghp_from_env_22 /root/not-a-secret'), '*** *** /root/not-a-secret');
    assert.equal(redactorFromEnv(env).redact('ghp_from_env_22'), 'ghp_from_env_22');
  });

  it('hides the credential parts of URL variables (user, password, query values), not the rest of the URL', () => {
    const env = {
      ANTHROPIC_BASE_URL: 'https://team:gw-pass%2Fword-1@gateway.example/v1?key=query-token-22',
      DAYTONA_API_URL: 'https://app.daytona.io/api',
    };
    const r = redactorFromEnv(env);
    assert.equal(
      r.redact('Could not reach https://team:gw-pass%2Fword-1@gateway.example/v1?key=query-token-22 (gw-pass/word-1)'),
      'Could not reach https://***@gateway.example/v1?key=*** (***)',
    );
    assert.equal(r.redact('https://app.daytona.io/api'), 'https://app.daytona.io/api');
  });
});

describe('redactedMessage', () => {
  it('gives an error’s message with secrets hidden, whatever was thrown', () => {
    const r = new Redactor([ANTHROPIC]);
    assert.equal(redactedMessage(new Error(`401 for key ${ANTHROPIC}`), r.redact), '401 for key ***');
    assert.equal(redactedMessage(`bad ${ANTHROPIC}`, r.redact), 'bad ***');
    const hostile = {
      toString: () => {
        throw new Error('no');
      },
    };
    assert.equal(redactedMessage(hostile, r.redact), 'An unknown error occurred.');
  });
});
