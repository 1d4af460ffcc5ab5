// npm start: builds the extension and opens it for a person, with examples/ as the workspace.
//   npm start                the VS Code server (the same one the tests use) on 127.0.0.1; open the printed URL in a
//                            browser; Ctrl-C stops it
//   npm start -- --desktop   desktop VS Code (`code` on PATH) with --extensionDevelopmentPath
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { ensureSystemDependencies, REPO_ROOT, startVSCodeServer } from './vscode-server';
import { workbenchUrl } from './workbench';

const EXAMPLES = path.join(REPO_ROOT, 'examples');

function build(): void {
  const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('The build failed (node esbuild.mjs).');
    process.exit(1);
  }
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function openDesktop(): void {
  const code = onPath('code');
  if (!code) {
    console.error(
      'No `code` command on PATH. Install VS Code and its shell command (in VS Code: "Shell Command: Install \'code\' command in PATH"),\n' +
        'or run `npm start` without --desktop to use VS Code in the browser.',
    );
    process.exit(1);
  }
  build();
  console.log(`Opening examples/ in VS Code with the extension from ${REPO_ROOT}`);
  const result = spawnSync(code, [`--extensionDevelopmentPath=${REPO_ROOT}`, EXAMPLES], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

async function serve(): Promise<number> {
  ensureSystemDependencies();
  build();
  const server = await startVSCodeServer({ env: process.env });
  // The real examples folder, not a copy: what a person edits there stays.
  const url = workbenchUrl(server, { workspace: EXAMPLES, extensionDevelopmentPath: REPO_ROOT });
  console.log(
    `\nVS Code ${server.version} is serving examples/ with the Jetty Runbooks extension loaded. Open in a browser:\n\n  ${url}\n`,
  );
  console.log(
    'After a rebuild (npm run build, or npm run watch in another terminal), reload the page. Ctrl-C stops the server.',
  );

  const stoppedByItself = await new Promise<boolean>((resolve) => {
    process.once('SIGINT', () => resolve(false));
    process.once('SIGTERM', () => resolve(false));
    void server.exited.then(() => resolve(true));
  });
  if (stoppedByItself)
    console.error(`The VS Code server stopped by itself:\n${server.output().split('\n').slice(-30).join('\n')}`);
  console.log('\nStopping the VS Code server…');
  await server.stop();
  return stoppedByItself ? 1 : 0;
}

if (process.argv.includes('--desktop')) openDesktop();
else
  void serve().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
