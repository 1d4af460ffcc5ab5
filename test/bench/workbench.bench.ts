// The trajectory tree and the run view under 100,000 events, measured where they run: in a real VS Code extension host
// and its workbench page. Starts the integration harness (test/host/run.ts) on the benchmark suite test/bench/vscode/
// and passes its rows through.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'test', 'host', 'run.ts'), 'test/bench/vscode'],
  {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, JETTY_TEST_STAGE: 'bench' },
  },
);
// Only the rows and failures: the harness's own banner lines say nothing about the figures.
const lines = `${result.stdout}\n${result.stderr}`.split('\n');
const rows = lines.filter((line) => line.startsWith('  tree:') || line.startsWith('  run view:'));
for (const line of rows) console.log(line);
if (result.status !== 0 || rows.length === 0) {
  console.log(lines.slice(-40).join('\n'));
  process.exitCode = 1;
}
