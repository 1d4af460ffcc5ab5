// Builds the extension, the CLI and the lazily loaded Daytona SDK bundle into dist/, and (with --tests) the
// integration suites into out/test/ so a real VS Code extension host can load them.
//   node esbuild.mjs [--production] [--watch] [--tests] [--sdk-only-to=<dir>]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');
// --sdk-only-to=<dir>: only the Daytona SDK bundle, into <dir> (its e2e test loads it from outside the repository).
const sdkOnlyTo = process.argv.find((a) => a.startsWith('--sdk-only-to='))?.slice('--sdk-only-to='.length);

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  // Error classes must keep their names (DaytonaAuthenticationError, ZodError...): messages and tests rely on them.
  keepNames: true,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  // The SDK's ESM build loads form-data and busboy at run time instead of bundling them, which breaks uploads
  // (see daytona-sdk.md); its CommonJS build bundles cleanly.
  alias: { '@daytonaio/sdk': path.join(root, 'node_modules/@daytonaio/sdk/cjs/index.js') },
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: {
      extension: 'src/extension.ts',
      cli: 'src/cli.ts',
    },
    outdir: 'dist',
    // `jetty-runbook --version` (src/cli.ts): the package's version, fixed at build time.
    define: {
      JETTY_VERSION: JSON.stringify(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version),
    },
  },
  {
    // Loaded on the first run only, so activation never pays for a megabyte of SDK. The AWS SDK and OpenTelemetry's
    // tracing parts are optional: the SDK loads them only when asked (S3 volumes, tracing). @opentelemetry/api is NOT
    // optional (the SDK requires it at load time) and must be bundled: the .vsix ships without node_modules.
    ...common,
    entryPoints: { 'daytona-sdk': 'src/core/run/daytona-sdk.ts' },
    outdir: sdkOnlyTo ?? 'dist',
    external: [
      'vscode',
      '@aws-sdk/*',
      ...[
        'sdk-node',
        'instrumentation-http',
        'sdk-trace-base',
        'exporter-trace-otlp-http',
        'otlp-exporter-base',
        'semantic-conventions',
        'resources',
      ].map((name) => `@opentelemetry/${name}`),
    ],
  },
  {
    // The run view's and the comparison's scripts run in the webview (a browser), not in node.
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    external: [],
    alias: {},
    entryPoints: { runView: 'src/webview/runView.ts', comparison: 'src/webview/comparison.ts' },
    outdir: 'dist/webview',
  },
];
// Only the SDK bundle (the second build).
if (sdkOnlyTo) builds.splice(0, builds.length, builds[1]);

if (tests) {
  // test/bench/vscode: benchmarks that need the extension host (run by test/bench/workbench.bench.ts).
  const suiteDirs = ['test/suite', 'test/suite-untrusted', 'test/host/failing-suite', 'test/bench/vscode'];
  for (const dir of suiteDirs) {
    if (!existsSync(path.join(root, dir))) continue;
    const entryPoints = readdirSync(path.join(root, dir))
      .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
      .map((f) => path.join(dir, f));
    // The suite runs every *.test.js it finds next to index.js: a bundle left from a deleted test must not run too.
    rmSync(path.join(root, 'out', dir), { recursive: true, force: true });
    builds.push({
      ...common,
      entryPoints,
      outdir: path.join('out', dir),
      // mocha stays a real module so every test file shares the one instance index.ts creates.
      external: ['vscode', 'mocha'],
      sourcemap: 'inline',
    });
  }
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching for changes…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // The webviews' icons: the codicon font, shipped with the extension (a webview cannot reach the workbench's own).
  if (!sdkOnlyTo) {
    mkdirSync(path.join(root, 'dist/codicons'), { recursive: true });
    for (const file of ['codicon.css', 'codicon.ttf'])
      copyFileSync(path.join(root, 'node_modules/@vscode/codicons/dist', file), path.join(root, 'dist/codicons', file));
    copyFileSync(path.join(root, 'node_modules/@vscode/codicons/LICENSE'), path.join(root, 'dist/codicons/LICENSE'));
  }
  // The runbook front-matter's JSON Schema, printed by the CLI just built from the zod schema, ships in the package.
  if (builds.some((b) => b.entryPoints && !Array.isArray(b.entryPoints) && 'cli' in b.entryPoints)) {
    const schema = execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'schema'], { encoding: 'utf8' });
    writeFileSync(path.join(root, 'dist/runbook.schema.json'), schema);
  }
}
