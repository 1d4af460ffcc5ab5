// The entry the VS Code extension host calls (extensionTestsPath): runs every *.test.js bundled next to this file with
// mocha, in whichever host started VS Code (test/host/run.ts: the offline server or desktop Electron).
//   JETTY_TEST_GREP   run only the tests whose full title matches this regular expression
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export function run(): Promise<void> {
  // The reporter counts this stage into `npm test`'s final line (see test/reporter.cjs).
  process.env.JETTY_TEST_STAGE ??= 'integration';
  // Stack traces of failures point at the .ts sources (the bundles carry inline source maps).
  process.setSourceMapsEnabled(true);
  const reporter = findUp(__dirname, path.join('test', 'reporter.cjs'));
  const mocha = new Mocha({
    ui: 'bdd',
    reporter,
    color: false,
    timeout: 60_000,
    forbidOnly: true,
    forbidPending: true,
    ...(process.env.JETTY_TEST_GREP ? { grep: process.env.JETTY_TEST_GREP } : {}),
  });
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  console.log(
    `VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`,
  );
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed.`)) : resolve()));
  });
}

/** The bundle lives somewhere under out/ (out/test/suite, out/test/host/failing-suite): find the repository's file. */
function findUp(from: string, file: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, file))) return path.join(dir, file);
    if (dir === path.dirname(dir)) throw new Error(`${file} not found above ${from}`);
  }
}
