// `npm run package` builds a .vsix that a real VS Code installs, holding only what a user needs, and whose bundles work
// on their own: the installed extension has no node_modules, so the CLI and the lazily loaded Daytona SDK must run from
// the files in dist/ alone.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureVSCodeServer, REPO_ROOT } from './vscode-server';

const VSIX = path.join(REPO_ROOT, 'jetty-runbooks.vsix');

describe('npm run package', () => {
  let temp: string;
  let installed: string;

  before(async () => {
    temp = mkdtempSync(path.join(os.tmpdir(), 'jetty-package-'));
    const packaged = spawnSync('npm', ['run', 'package'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(packaged.status, 0, `npm run package failed:\n${packaged.stdout}\n${packaged.stderr}`);
    // The server's own command line installs it, as `code --install-extension` would on a desktop.
    const vscode = await ensureVSCodeServer();
    const install = spawnSync(
      process.execPath,
      [
        path.join(vscode, 'out', 'server-main.js'),
        '--install-extension',
        VSIX,
        '--extensions-dir',
        path.join(temp, 'extensions'),
        '--server-data-dir',
        path.join(temp, 'server-data'),
        '--user-data-dir',
        path.join(temp, 'user-data'),
        '--accept-server-license-terms',
      ],
      { encoding: 'utf8', env: { ...process.env, HOME: temp, EXTENSIONS_GALLERY: '{}' } },
    );
    assert.equal(install.status, 0, `--install-extension failed:\n${install.stdout}\n${install.stderr}`);
    assert.match(install.stdout, /successfully installed/);
    installed = path.join(temp, 'extensions', 'jetty.jetty-runbooks-0.1.0');
  });

  after(() => rmSync(temp, { recursive: true, force: true }));

  it('installs into VS Code with only the bundles, the manifest, media, grammars, examples and docs', () => {
    const files = readdirSync(installed, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(installed, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    const allowed =
      /^(dist\/(extension|cli|daytona-sdk)\.js|dist\/webview\/(runView|comparison)\.js|dist\/codicons\/(codicon\.css|codicon\.ttf|LICENSE)|dist\/runbook\.schema\.json|package\.json|readme\.md|LICENSE\.txt|media\/.+|syntaxes\/.+|examples\/.+|\.vsixmanifest)$/i;
    const unexpected = files.filter((f) => !allowed.test(f));
    assert.deepEqual(unexpected, [], 'sources, tests, source maps and node_modules stay out of the package');
    for (const needed of [
      'dist/extension.js',
      'dist/cli.js',
      'dist/daytona-sdk.js',
      'dist/runbook.schema.json',
      'dist/webview/runView.js',
      'dist/webview/comparison.js',
      'dist/codicons/codicon.ttf',
      'package.json',
      'media/icon.png',
    ]) {
      assert.ok(files.includes(needed), `${needed} is in the package`);
    }
  });

  it('the installed CLI runs on its own: `jetty-runbook check` finds the zai.glm-5 error', () => {
    const check = spawnSync(
      process.execPath,
      [path.join(installed, 'dist', 'cli.js'), 'check', path.join(installed, 'examples', 'bedrock-glm.md')],
      {
        cwd: temp,
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      },
    );
    assert.equal(check.status, 1, check.stderr);
    assert.match(check.stdout, /bedrock-glm\.md:\d+:\d+: error model-cross-family-bedrock /);
  });

  it('the installed Daytona SDK bundle loads on its own', () => {
    const load = spawnSync(
      process.execPath,
      [
        '-e',
        `const sdk = require(${JSON.stringify(path.join(installed, 'dist', 'daytona-sdk.js'))}); process.stdout.write(typeof sdk.Daytona)`,
      ],
      {
        cwd: temp,
        encoding: 'utf8',
      },
    );
    assert.equal(load.status, 0, load.stderr);
    assert.equal(load.stdout, 'function');
  });
});
