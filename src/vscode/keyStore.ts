// The key store: provider keys and a runbook's own secrets in VS Code's SecretStorage, never in settings or files.
// It keeps a synchronous picture of which names are set (lint and the Keys view ask on every keystroke and repaint),
// and feeds every stored value to the extension's Redactor, so what is stored is also what is hidden everywhere.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { KEY_NAMES } from '../core/keys';
import type { Redactor } from '../core/redact';

/** `key`: one of the registry's provider keys; `secret`: a name a runbook declares under `secrets:`. */
export type SecretKind = 'key' | 'secret';

export interface StoredName {
  name: string;
  kind: SecretKind;
  /** For a runbook secret: the workspace folder it is stored for (secretScope). */
  scope?: string;
}

/**
 * Where a runbook's secrets are kept: its workspace folder (else the folder the file is in), as an opaque id, so the
 * same name in two repositories is two secrets: GH_TOKEN set for one repository is not what a runbook of another
 * repository gets by declaring GH_TOKEN. Provider keys are the user's, for every folder.
 */
export function secretScope(file: vscode.Uri): string {
  return createHash('sha256').update(secretFolder(file).toString()).digest('hex').slice(0, 16);
}

/** The folder a file's runbook secrets belong to (see secretScope). */
export function secretFolder(file: vscode.Uri): vscode.Uri {
  return vscode.workspace.getWorkspaceFolder(file)?.uri ?? vscode.Uri.joinPath(file, '..');
}

// Two namespaces, so a runbook secret can never overwrite a provider key of the same spelling; a secret's name is
// scoped to its folder.
const scoped = (name: string, scope: string | undefined) => (scope === undefined ? name : `${scope}/${name}`);
const storageKey = (kind: SecretKind, name: string, scope?: string): string =>
  kind === 'key' ? `key:${name}` : `secret:${scoped(name, scope ?? NO_SCOPE)}`;
/** A secret asked for without a folder: stored apart from every folder's (never shared with one). */
const NO_SCOPE = 'no-folder';
/**
 * SecretStorage cannot list its entries: the names of stored runbook secrets (not their values) are kept here, each
 * as `<scope>/<name>`. Entries of older versions (a bare name, shared by every folder) are no folder's any more.
 */
const SECRET_INDEX = 'index:secrets';
const REDACTOR_SOURCE = 'key store';

export class KeyStore implements vscode.Disposable {
  private set = new Set<string>();
  /**
   * Every value seen this session, cleared or replaced ones included: a run started before a key changed may still
   * print the old value, so it stays hidden until VS Code restarts.
   */
  private readonly seen = new Set<string>();
  private secretNames: string[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  /**
   * Every read and write of the picture, in order: two secrets saved at once each see the other's name in the index,
   * and an onDidChange for a write is looked at after the write.
   */
  private queue: Promise<void> = Promise.resolve();
  /** The first read, once asked for; `loaded` once it has finished (until then nothing is known to be set or missing). */
  private loading: Promise<void> | undefined;
  private loaded = false;

  /** Fires after the picture of what is set has changed, whoever changed it (this window, another one, a command). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly redactor: Redactor,
  ) {
    // Before the first read there is no picture to update: that read sees the change anyway.
    this.subscription = secrets.onDidChange((e) => {
      if (this.loaded) void this.enqueue(() => this.reread(e.key));
    });
  }

  /**
   * Reads the store the first time it is called; later calls share that read. Nothing is read at activation, which
   * happens for every markdown file: SecretStorage may have to unlock the OS keyring for it. The first read happens
   * when something needs the picture.
   */
  load(): Promise<void> {
    this.loading ??= this.enqueue(() => this.readAll());
    return this.loading;
  }

  /**
   * Whether a value is stored under the name, synchronously from the store's picture: undefined until the first read
   * has finished (so lint shows no "key missing" that is not), which asking starts; onDidChange fires when it is done.
   */
  isSet(name: string, kind: SecretKind = 'key', scope?: string): boolean | undefined {
    this.startReading();
    return this.loaded ? this.set.has(storageKey(kind, name, scope)) : undefined;
  }

  /** Every name stored or known: the registry's keys (set or not) and the runbook secrets stored for `scope`. */
  names(scope?: string): StoredName[] {
    this.startReading();
    return namesOf(this.secretNames, scope);
  }

  async get(name: string, kind: SecretKind = 'key', scope?: string): Promise<string | undefined> {
    const value = await this.read(storageKey(kind, name, scope));
    // Whoever reads a value may show something that contains it: the redactor knows it from now on.
    if (value) this.hide(value);
    return value;
  }

  async store(name: string, value: string, kind: SecretKind = 'key', scope?: string): Promise<void> {
    // Hidden before it is stored: nothing that runs between the two steps may print it unredacted.
    this.hide(value);
    await this.load();
    const entry = scoped(name, scope ?? NO_SCOPE);
    await this.enqueue(async () => {
      await this.secrets.store(storageKey(kind, name, scope), value);
      if (kind === 'secret' && !this.secretNames.includes(entry))
        await this.writeIndex([...this.secretNames, entry].sort());
      this.mark(storageKey(kind, name, scope), true);
    });
  }

  async clear(name: string, kind: SecretKind = 'key', scope?: string): Promise<void> {
    await this.load();
    const entry = scoped(name, scope ?? NO_SCOPE);
    await this.enqueue(async () => {
      await this.secrets.delete(storageKey(kind, name, scope));
      if (kind === 'secret' && this.secretNames.includes(entry))
        await this.writeIndex(this.secretNames.filter((n) => n !== entry));
      this.mark(storageKey(kind, name, scope), false);
    });
  }

  private startReading(): void {
    if (!this.loaded) void this.load().catch(() => undefined);
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(step);
    // A failed step (SecretStorage refusing a write) fails its caller, not the steps queued after it.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeIndex(names: string[]): Promise<void> {
    await this.secrets.store(SECRET_INDEX, JSON.stringify(names));
    this.secretNames = names;
  }

  /** The first read: the index and every name's value, swapped in whole so nobody sees a half-read store. */
  private async readAll(): Promise<void> {
    const secretNames = parseIndex(await this.read(SECRET_INDEX));
    const names = [...namesOf([]), ...secretNames.map((entry) => ({ entry, kind: 'secret' as const }))];
    const keyOf = (n: (typeof names)[number]) => ('entry' in n ? `secret:${n.entry}` : storageKey(n.kind, n.name));
    const values = await Promise.all(names.map((n) => this.read(keyOf(n))));
    const set = new Set<string>();
    names.forEach((n, i) => {
      const value = values[i];
      if (!value) return;
      set.add(keyOf(n));
      this.hide(value);
    });
    this.secretNames = secretNames;
    this.set = set;
    this.loaded = true;
    // Always: what was unknown is known now (lint shows the missing-key finding it held back).
    this.changed.fire();
  }

  /** After SecretStorage says one entry changed (here, in another window, or by a write of ours): that entry only. */
  private async reread(key: string): Promise<void> {
    if (key !== SECRET_INDEX) {
      const value = await this.read(key);
      if (value) this.hide(value);
      this.mark(key, Boolean(value));
      return;
    }
    const secretNames = parseIndex(await this.read(SECRET_INDEX));
    const added = secretNames.filter((name) => !this.secretNames.includes(name));
    const removed = this.secretNames.filter((name) => !secretNames.includes(name));
    if (added.length === 0 && removed.length === 0) return;
    const values = await Promise.all(added.map((entry) => this.read(`secret:${entry}`)));
    this.secretNames = secretNames;
    for (const entry of removed) this.set.delete(`secret:${entry}`);
    added.forEach((entry, i) => {
      const value = values[i];
      if (!value) return;
      this.set.add(`secret:${entry}`);
      this.hide(value);
    });
    this.changed.fire();
  }

  /** Records whether a storage key holds a value, and tells listeners when that changed. */
  private mark(key: string, isSet: boolean): void {
    if (this.set.has(key) === isSet) return;
    if (isSet) this.set.add(key);
    else this.set.delete(key);
    this.changed.fire();
  }

  /** SecretStorage can fail (no keyring on a Linux desktop): then the name reads as not set, and saving says why. */
  private async read(key: string): Promise<string | undefined> {
    try {
      return (await this.secrets.get(key)) || undefined;
    } catch {
      return undefined;
    }
  }

  private hide(value: string): void {
    if (this.seen.has(value)) return;
    this.seen.add(value);
    this.redactor.set(REDACTOR_SOURCE, this.seen);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** The registry's keys, and the secrets of the index stored for `scope` (none without one). */
function namesOf(secretNames: readonly string[], scope?: string): StoredName[] {
  const prefix = `${scope ?? NO_SCOPE}/`;
  return [
    ...KEY_NAMES.map((name) => ({ name, kind: 'key' as const })),
    ...secretNames
      .filter((entry) => entry.startsWith(prefix))
      .map((entry) => ({ name: entry.slice(prefix.length), kind: 'secret' as const, scope: scope ?? NO_SCOPE })),
  ];
}

function parseIndex(raw: string | undefined): string[] {
  try {
    const names: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}
