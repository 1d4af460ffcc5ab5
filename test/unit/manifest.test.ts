// The manifest's runbook parts kept in step with the code: `jetty.lint.rules` completes exactly the rule codes (with
// their descriptions and default severities), and every menu that runs a runbook asks the per-editor context key
// `jetty.runbooks` (set by src/vscode/runbookDetection.ts), never a single flag a split editor would get wrong.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RULES, SEVERITY_SETTINGS } from '../../src/core/runbook/lint';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
const contributes = manifest.contributes;

describe('manifest: runbook settings and menus', () => {
  it('jetty.lint.rules offers every rule code, in registry order, with its description and default severity', () => {
    const setting = contributes.configuration.properties['jetty.lint.rules'];
    assert.deepEqual(
      setting.propertyNames.enum,
      RULES.map((rule) => rule.code),
    );
    assert.deepEqual(
      setting.propertyNames.markdownEnumDescriptions,
      RULES.map((rule) => `${rule.description} Default: \`${rule.severity}\`.`),
    );
    assert.deepEqual(setting.additionalProperties.enum, SEVERITY_SETTINGS);
  });

  it('runs a runbook from the palette, the editor title and the editor menu only for a runbook editor', () => {
    const runEntries = Object.entries(
      contributes.menus as Record<string, { command: string; when?: string }[]>,
    ).flatMap(([menu, items]) =>
      items.filter((item) => item.command === 'jetty.runRunbook').map((item) => [menu, item.when]),
    );
    assert.deepEqual(runEntries, [
      ['commandPalette', 'resource in jetty.runbooks'],
      ['editor/title/run', 'resource in jetty.runbooks'],
      ['editor/context', 'resource in jetty.runbooks'],
    ]);
  });
});
