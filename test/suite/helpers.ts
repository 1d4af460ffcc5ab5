// What the integration suites share: the extension's API, and waiting for what VS Code does on its own time.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JettyApi } from '../../src/extension';

export const EXTENSION_ID = 'jetty.jetty-runbooks';

/** Activates the extension (if needed) and returns what activate() returned. */
export async function jettyApi(): Promise<JettyApi> {
  const extension = vscode.extensions.getExtension<JettyApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/**
 * Polls `probe` (sync or async) until it gives a truthy value, and returns it. No timing is asserted: past 30 s the
 * test fails saying what it waited for, well inside the suite's timeout.
 */
export async function until<T>(
  probe: () => T | undefined | false | PromiseLike<T | undefined | false>,
  what: string,
): Promise<T> {
  for (let waited = 0; ; waited += 50) {
    const value = await probe();
    if (value) return value;
    if (waited > 30_000) assert.fail(`still waiting after 30 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
