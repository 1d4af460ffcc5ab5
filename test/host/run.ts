// npm run test:integration [-- [--untrusted] <suite folder>]: builds the extension and runs one integration suite
// (test/suite by default; JETTY_TEST_SUITE or the argument picks another) inside a real VS Code extension host, with a
// fresh copy of examples/ as the workspace, and exits with the suite's exit code. Every environment variable passes
// through to the extension host: that is how tests point the extension at local servers.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { AGENT_CLI_VERSIONS, ensureAgentCli } from '../fakes/agent-clis';
import { ensureSystemDependencies, REPO_ROOT, startVSCodeServer, CODE_SERVER_VERSION } from './vscode-server';
import { startBridge } from './bridge';
import { launchChromium, workbenchUrl } from './workbench';

const DEFAULT_TIMEOUT_SECONDS = 600;
/** Workbench chatter that says nothing about the suite (shown with JETTY_TEST_VERBOSE=1). */
const NOISE =
  /^(Ignoring fetching additional builtin extensions from gallery|Updating additional builtin extensions cache)/;

/** Things to stop, newest first; run once on every way out (done, failed, timed out, Ctrl-C, SIGTERM). */
const cleanups: (() => Promise<unknown> | unknown)[] = [];
let cleaning: Promise<void> | undefined;
/** Set on Ctrl-C/SIGTERM: what fails after it is the shutdown itself, not worth reporting. */
let interrupted = false;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`cleanup: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}

const args = process.argv.slice(2);
/** --untrusted: the workspace is not trusted (VS Code's restricted mode), as a freshly cloned repository would be. */
const untrusted = args.includes('--untrusted');

function suiteFolder(): string {
  const given = args.find((a) => !a.startsWith('--')) ?? process.env.JETTY_TEST_SUITE ?? 'test/suite';
  const relative = path.relative(REPO_ROOT, path.resolve(REPO_ROOT, given));
  // A source folder (test/suite) runs from its bundle under out/ (esbuild.mjs --tests).
  return path.join(REPO_ROOT, relative.startsWith(`out${path.sep}`) ? relative : path.join('out', relative));
}

async function runInServer(suite: string, workspace: string, timeoutSeconds: number): Promise<number> {
  ensureSystemDependencies();
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  // Large enough for the run view's screenshots to show its header, timeline and results side by side.
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // The suite reaches the page (webviews, notifications, screenshots) through the bridge (bridge.ts).
  const bridge = await startBridge(page);
  cleanups.push(() => bridge.close());
  const server = await startVSCodeServer({ env: { ...process.env, JETTY_HARNESS_URL: bridge.url }, untrusted });
  cleanups.push(() => server.stop());
  console.log(
    `Host: VS Code ${server.version} server (code-server ${CODE_SERVER_VERSION}) in Chromium ${browser.version()}`,
  );

  if (process.env.JETTY_TEST_VERBOSE) {
    page.on('console', (message) => console.log(`[browser ${message.type()}] ${message.text()}`));
  }
  // The workbench's own start-up log comes first; it is held back until the suite's banner ("VS Code 1.x.y", from
  // test/suite/index.ts) and printed only if the suite never starts, when it is what explains why.
  let started = Boolean(process.env.JETTY_TEST_VERBOSE);
  const startup: string[] = [];
  const exitCode = new Promise<number>((resolve, reject) => {
    // The workbench forwards its log and the extension host's console here, and calls codeAutomationExit when run()
    // settles.
    void page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      started ||= /^VS Code \d+\.\d+/.test(line);
      if (!started) startup.push(`[${type}] ${line}`);
      else if (process.env.JETTY_TEST_VERBOSE || !NOISE.test(line))
        (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(line + '\n');
    });
    void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    page.on('crash', () => reject(new Error('The workbench page crashed.')));
    browser.on('disconnected', () => reject(new Error('Chromium exited before the suite finished.')));
    setTimeout(() => {
      const tail = server.output().split('\n').slice(-30).join('\n');
      reject(
        new Error(
          `The integration suite did not finish within ${timeoutSeconds} s (set JETTY_TEST_TIMEOUT_SECONDS to allow more). Last lines of the VS Code server:\n${tail}`,
        ),
      );
    }, timeoutSeconds * 1000).unref();
  });
  // Settled only through the await below; if goto throws first, a later rejection (Chromium closing) must not crash us.
  exitCode.catch(() => undefined);
  await page.goto(workbenchUrl(server, { workspace, extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: suite }));
  try {
    return await exitCode;
  } finally {
    if (!started && !interrupted && startup.length > 0)
      console.error(`The suite never started. The workbench said:\n${startup.join('\n')}`);
  }
}

async function runInElectron(suite: string, workspace: string, timeoutSeconds: number): Promise<number> {
  const { runTests, TestRunFailedError } = await import('@vscode/test-electron');
  const run = runTests({
    version: process.env.JETTY_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: suite,
    launchArgs: [
      workspace,
      '--disable-extensions',
      ...(untrusted ? [] : ['--disable-workspace-trust']),
      '--skip-welcome',
      '--skip-release-notes',
    ],
    extensionTestsEnv: { ...process.env },
  }).catch((error: unknown) => {
    if (error instanceof TestRunFailedError) return error.code ?? 1;
    throw new Error(
      `Desktop VS Code could not be started: ${(error as Error).message}\n` +
        'The electron host downloads VS Code and needs internet; without JETTY_TEST_HOST the offline server host runs the same suite.',
      { cause: error },
    );
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () =>
        reject(
          new Error(
            `The integration suite did not finish within ${timeoutSeconds} s (set JETTY_TEST_TIMEOUT_SECONDS to allow more).`,
          ),
        ),
      timeoutSeconds * 1000,
    ).unref(),
  );
  return Promise.race([run, timeout]);
}

async function main(): Promise<number> {
  // The host (JETTY_TEST_HOST): `server` (default), the VS Code 1.100.3 server from code-server@4.100.3 driven by
  // headless Debian Chromium, works offline (see vscode-server.ts); `electron`, desktop VS Code through
  // @vscode/test-electron, downloads VS Code and needs internet (JETTY_VSCODE_VERSION picks the version, default
  // stable).
  const host = process.env.JETTY_TEST_HOST ?? 'server';
  if (host !== 'server' && host !== 'electron') {
    console.error(
      `JETTY_TEST_HOST must be "server" (the offline VS Code server, default) or "electron" (desktop VS Code), not "${host}".`,
    );
    return 2;
  }
  const timeoutSeconds = Number(process.env.JETTY_TEST_TIMEOUT_SECONDS ?? DEFAULT_TIMEOUT_SECONDS);
  if (!(timeoutSeconds > 0)) {
    console.error(
      `JETTY_TEST_TIMEOUT_SECONDS must be a positive number of seconds, not "${process.env.JETTY_TEST_TIMEOUT_SECONDS}".`,
    );
    return 2;
  }

  // JETTY_TEST_SKIP_BUILD=1: the caller has just built (the harness self-check runs this several times in a row).
  const build = process.env.JETTY_TEST_SKIP_BUILD
    ? { status: 0 }
    : spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('The build failed (node esbuild.mjs --tests).');
    return 1;
  }
  const suite = suiteFolder();
  if (!existsSync(path.join(suite, 'index.js'))) {
    console.error(
      `No suite at ${path.relative(REPO_ROOT, suite)}/index.js: give a folder esbuild.mjs --tests builds (test/suite, test/host/failing-suite).`,
    );
    return 2;
  }

  // The agent CLIs the suite's runs link onto a sandbox's PATH (test/fakes/world.ts), in .cache/ once: the suite
  // itself, inside VS Code, only links them.
  await ensureAgentCli('claude-code', AGENT_CLI_VERSIONS.claudeCodePinned);
  await ensureAgentCli('codex', AGENT_CLI_VERSIONS.codex);
  await ensureAgentCli('hermes', AGENT_CLI_VERSIONS.hermes);

  // A fresh copy each run: tests may write into the workspace, and examples/ must stay as committed.
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'jetty-workspace-'));
  cleanups.push(() => rmSync(workspace, { recursive: true, force: true }));
  cpSync(path.join(REPO_ROOT, 'examples'), workspace, { recursive: true });

  console.log(
    `Running ${path.relative(REPO_ROOT, suite)} in VS Code (${host} host), ${untrusted ? 'untrusted' : 'trusted'} workspace ${workspace}`,
  );
  const code =
    host === 'server'
      ? await runInServer(suite, workspace, timeoutSeconds)
      : await runInElectron(suite, workspace, timeoutSeconds);
  console.log(`The integration suite exited with ${code}.`);
  return code;
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping VS Code and Chromium…`);
    void cleanUp().finally(() => process.exit(code));
  });
}

main()
  .catch((error: unknown) => {
    if (!interrupted) console.error((error as Error).message);
    return 1;
  })
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  });
