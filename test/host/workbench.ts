// Opening the VS Code web workbench of a running server (vscode-server.ts): the URL that loads a folder with this
// extension in development mode (and, for tests, a suite to run), and Debian's Chromium to open it headless.
import { chromium, type Browser } from 'playwright-core';
import type { VSCodeServer } from './vscode-server';

export const CHROMIUM = '/usr/bin/chromium';

export interface WorkbenchOptions {
  /** Absolute path of the folder to open. */
  workspace: string;
  /** Absolute path of the extension to load in development mode. */
  extensionDevelopmentPath: string;
  /** Absolute path of a built suite folder (its index.js exports run()); tests run and the workbench then exits. */
  extensionTestsPath?: string;
}

/** The workbench URL; absolute server paths travel as vscode-remote URIs of the server's own authority. */
export function workbenchUrl(server: VSCodeServer, options: WorkbenchOptions): string {
  const remote = (p: string): string => server.remoteAuthority + p;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]];
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  payload.push(['enableProposedApi', ''], ['skipWelcome', 'true']);
  const query = new URLSearchParams({ folder: remote(options.workspace), payload: JSON.stringify(payload) });
  return `${server.url}/?${query.toString()}`;
}

/** Headless Chromium with everything that would reach for the (closed) network switched off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The caller stops the browser together with the server on Ctrl-C; playwright's own handlers would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
