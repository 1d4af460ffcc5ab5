// The Daytona sandbox on the SDK as shipped: dist/daytona-sdk.js built by esbuild.mjs (production, as packaged) into a
// folder outside the repository, where no node_modules can be found, then loaded and driven against the fake server.
// Uploads (form-data) and downloads (busboy, tar) are the parts an ESM or half-external bundle breaks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { createDaytonaProvider, type DaytonaConfig } from '../../src/core/run/daytona';
import { startFakeDaytona, type FakeDaytona } from '../fakes/daytona';

describe('Daytona sandbox on the esbuild bundle of the SDK', () => {
  let folder: string;
  let sdk: NonNullable<DaytonaConfig['sdk']>;
  let fake: FakeDaytona;

  before(async function () {
    this.timeout(120_000);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'daytona-bundle-'));
    execFileSync(process.execPath, ['esbuild.mjs', '--production', `--sdk-only-to=${folder}`], {
      cwd: path.join(__dirname, '../..'),
      stdio: 'inherit',
    });
    const before = new Set(Object.keys(require.cache));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sdk = require(path.join(folder, 'daytona-sdk.js')) as typeof sdk;
    const loaded = Object.keys(require.cache).filter((file) => !before.has(file));
    assert.deepEqual(loaded, [path.join(folder, 'daytona-sdk.js')], 'the bundle loads no module from outside itself');
    fake = await startFakeDaytona({ logCloseDelayMs: 100 });
  });
  after(async () => {
    await fake?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('uploads, runs, streams, downloads and deletes', async () => {
    const provider = createDaytonaProvider({ apiKey: fake.apiKey, apiUrl: fake.apiUrl, target: 'us', sdk });
    try {
      const sandbox = await provider.create({ snapshot: 'python312-uv', env: {} });
      await sandbox.upload([{ path: 'in/data.txt', content: 'uploaded through form-data\n' }]);
      assert.deepEqual(await sandbox.exec('mkdir results && cp in/data.txt results/ && cat results/data.txt'), {
        exitCode: 0,
        output: 'uploaded through form-data\n',
      });
      const chunks: string[] = [];
      assert.equal((await sandbox.stream('echo streamed', { onStdout: (c) => chunks.push(c) })).exitCode, 0);
      assert.equal(chunks.join(''), 'streamed\n');
      const local = path.join(folder, 'results');
      assert.deepEqual(await sandbox.downloadFolder('results', local), {
        files: ['data.txt'],
        dropped: [],
        withSecrets: [],
      });
      assert.equal(fs.readFileSync(path.join(local, 'data.txt'), 'utf8'), 'uploaded through form-data\n');
      await sandbox.delete();
      assert.deepEqual(fake.liveSandboxes(), []);
    } finally {
      await provider.dispose();
    }
  });

  it('is what the bundled extension loads, and is not inside it', async () => {
    // daytona.ts bundled as extension.js bundles it, next to daytona-sdk.js: small, and its loadSdk() finds the bundle.
    await esbuild.build({
      entryPoints: { host: path.join(__dirname, '../../src/core/run/daytona.ts') },
      outdir: folder,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      logLevel: 'warning',
    });
    // Small (its own code and tar's stream parser, which unpacks results), and none of the SDK's modules.
    const host = fs.readFileSync(path.join(folder, 'host.js'), 'utf8');
    assert.ok(host.length < 300_000, `the SDK is not inside (${host.length} bytes)`);
    assert.ok(!host.includes('node_modules/@daytonaio/'), 'no module of the SDK is inside');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(path.join(folder, 'host.js')) as { loadSdk: () => unknown };
    assert.equal(loaded.loadSdk(), sdk);
  });

  it('keeps the error class names, so a rejected key is still recognised', async () => {
    assert.equal(new sdk.DaytonaAuthenticationError('x').name, 'DaytonaAuthenticationError');
    const provider = createDaytonaProvider({ apiKey: 'wrong', apiUrl: fake.apiUrl, target: 'us', sdk });
    await assert.rejects(provider.create({ env: {} }), { name: 'SandboxError', kind: 'auth' });
    await provider.dispose();
  });
});
