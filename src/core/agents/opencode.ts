// opencode (the opencode-ai package from npm, a native binary): what a run needs to drive it headless and read what it
// does. Measured on 1.18.33 (see the fixtures in test/fixtures/trajectories/opencode-*).

/** A provider entry of opencode.json: where its API is (the AI SDK appends the paths, e.g. /chat/completions). */
export interface OpencodeProviderOptions {
  baseURL?: string;
}

/** $XDG_CONFIG_HOME/opencode/opencode.json: the providers' options (a base URL), nothing else. */
export function opencodeConfig(providers: Record<string, OpencodeProviderOptions>): string {
  const provider = Object.fromEntries(Object.entries(providers).map(([id, options]) => [id, { options }]));
  return `${JSON.stringify({ $schema: 'https://opencode.ai/config.json', provider }, null, 2)}\n`;
}

/**
 * Files that make opencode's config folder look as if its plugin dependency were installed. opencode 1.18 otherwise
 * runs a background `npm install @opencode-ai/plugin` in every config folder at start (it looks up
 * registry.npmjs.org; offline it fails silently). It skips the install when the folder has a node_modules folder and
 * a package-lock.json whose root lists every dependency (measured), which these two files are.
 */
export const OPENCODE_CONFIG_DEPENDENCY_FILES: readonly { path: string; content: string }[] = (() => {
  const lock = `${JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { '@opencode-ai/plugin': '*' } } } }, null, 2)}\n`;
  return [
    { path: 'package-lock.json', content: lock },
    { path: 'node_modules/.package-lock.json', content: lock },
  ];
})();
