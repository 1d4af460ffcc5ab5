// The settings table against package.json, and the one reader both hosts use: every jetty.* setting is declared in
// both places with the same type, default and scope, and values of the wrong type fall back to the default.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readSettings, settingsFromEnv, SETTINGS } from '../../../src/core/settings';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { type: string; default: unknown; scope?: string }> } };
};
const declared = manifest.contributes.configuration.properties;

describe('settings', () => {
  it('package.json declares exactly the settings of the table, each with its type, default and scope', () => {
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(SETTINGS).sort());
    for (const [id, spec] of Object.entries(SETTINGS)) {
      const entry = declared[id]!;
      assert.deepEqual(
        { type: entry.type, default: entry.default, scope: entry.scope },
        { type: spec.type, default: spec.default, scope: spec.scope },
        id,
      );
    }
  });

  it('reads every setting, falling back to its default for a value of the wrong type, and says which', () => {
    const problems: string[] = [];
    const settings = readSettings(
      (id) =>
        ({
          'jetty.claudeCode.version': 7,
          'jetty.daytona.snapshots': 'not json',
          'jetty.run.timeoutMinutes': '12.5',
          'jetty.run.maxConcurrent': 2.5,
          'jetty.sandbox': 'local',
          'jetty.lint.rules': { 'key-unknown': 'off', bad: 3 },
        })[id],
      (id, problem) => problems.push(`${id} ${problem}`),
    );
    assert.equal(settings.versions['claude-code'], '2.1.126');
    assert.deepEqual(settings.snapshots, {});
    assert.equal(settings.timeoutMinutes, 12.5);
    assert.equal(settings.maxConcurrent, 3);
    assert.equal(settings.sandbox, 'local');
    assert.deepEqual(settings.lintRules, { 'key-unknown': 'off' });
    assert.equal(settings.provider.daytonaApiUrl, 'https://app.daytona.io/api');
    assert.deepEqual(problems, [
      'jetty.daytona.snapshots is not an object of names',
      'jetty.claudeCode.version is not text',
      'jetty.run.maxConcurrent is not a whole number',
    ]);
  });

  it('the CLI reads the same settings from their variables, JSON objects and numbers from text', () => {
    const settings = readSettings(
      settingsFromEnv({
        JETTY_DAYTONA_SNAPSHOTS: '{"python312-uv":"mine"}',
        JETTY_RUN_TIMEOUT_MINUTES: '5',
        JETTY_CODEX_VERSION: '0.170.0',
        DAYTONA_API_URL: 'http://127.0.0.1:1/api',
      }),
    );
    assert.deepEqual(settings.snapshots, { 'python312-uv': 'mine' });
    assert.equal(settings.timeoutMinutes, 5);
    assert.equal(settings.versions.codex, '0.170.0');
    assert.equal(settings.provider.daytonaApiUrl, 'http://127.0.0.1:1/api');
  });
});
