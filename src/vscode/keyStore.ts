// The key store: provider keys and a runbook's own secrets in VS Code's SecretStorage, never in settings or files.
// It keeps a synchronous picture of which names are set (lint and the Keys view ask on every keystroke and repaint),
// and feeds every stored value to the extension's Redactor, so what is stored is also what is hidden everywhere.
import * as vscode from 'vscode';
import { KEY_NAMES, type KeyValues } from '../core/keys';
import type { Redactor } from '../core/redact';

/** `key`: one of the registry's provider keys; `secret`: a name a runbook declares under `secrets:`. */
export type SecretKind = 'key' | 'secret';

export interface StoredName {
  name: string;
  kind: SecretKind;
}

// Two namespaces, so a runbook secret can never overwrite a provider key of the same spelling.
const storageKey = (kind: SecretKind, name: string): string => `${kind}:${name}`;
/** SecretStorage cannot list its entries: the names of stored runbook secrets (not their values) are kept here. */
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
  /** Chains reloads so a burst of onDidChange events settles on the last state, in order. */
  private loading: Promise<void> = Promise.resolve();

  /** Fires after the picture of what is set has changed, whoever changed it (this window, another one, a command). */
  readonly onDidChange = this.changed.event;

  /** Whether the first read of the store has finished; until then nothing is known to be set or missing. */
  private loaded = false;
  /** Settles when the first read of the store has finished. */
  readonly ready: Promise<void>;

  /** Opens the store and starts reading what is set (activation does not wait for SecretStorage). */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly redactor: Redactor,
  ) {
    this.subscription = secrets.onDidChange(() => void this.reload());
    this.ready = this.reload();
  }

  /** Whether a value is stored under the name; synchronous, from the store's picture. */
  isSet(name: string, kind: SecretKind = 'key'): boolean {
    return this.set.has(storageKey(kind, name));
  }

  /** For lint: undefined while the store is still being read, so no "key missing" flashes up at start-up. */
  readonly isKeySet = (name: string): boolean | undefined => (this.loaded ? this.isSet(name) : undefined);

  /** Every name stored or known: the registry's keys (set or not) and the runbook secrets that are stored. */
  names(): StoredName[] {
    return namesOf(this.secretNames);
  }

  async get(name: string, kind: SecretKind = 'key'): Promise<string | undefined> {
    return this.read(storageKey(kind, name));
  }

  /** The values of the given keys and secrets that are set, by name: for a run, after `missingKeys` came back empty. */
  async valuesFor(names: readonly StoredName[]): Promise<KeyValues> {
    const values = await Promise.all(names.map(({ name, kind }) => this.get(name, kind)));
    const out: KeyValues = {};
    names.forEach(({ name }, i) => {
      if (values[i]) out[name] = values[i];
    });
    return out;
  }

  async store(name: string, value: string, kind: SecretKind = 'key'): Promise<void> {
    // Hidden before it is stored: nothing that runs between the two steps may print it unredacted.
    this.hide(value);
    await this.secrets.store(storageKey(kind, name), value);
    if (kind === 'secret' && !this.secretNames.includes(name)) {
      await this.secrets.store(SECRET_INDEX, JSON.stringify([...this.secretNames, name].sort()));
    }
    await this.reload();
  }

  async clear(name: string, kind: SecretKind = 'key'): Promise<void> {
    await this.secrets.delete(storageKey(kind, name));
    if (kind === 'secret' && this.secretNames.includes(name)) {
      await this.secrets.store(SECRET_INDEX, JSON.stringify(this.secretNames.filter((n) => n !== name)));
    }
    await this.reload();
  }

  /** Re-reads which names are set (and their values into the redactor), then tells listeners if anything changed. */
  reload(): Promise<void> {
    this.loading = this.loading.then(
      () => this.load(),
      () => this.load(),
    );
    return this.loading;
  }

  private async load(): Promise<void> {
    const secretNames = parseIndex(await this.read(SECRET_INDEX));
    const names = namesOf(secretNames);
    const values = await Promise.all(names.map(({ name, kind }) => this.read(storageKey(kind, name))));
    // Swapped in whole after the reads, so nobody sees a half-read store.
    const set = new Set<string>();
    names.forEach(({ name, kind }, i) => {
      const value = values[i];
      if (!value) return;
      set.add(storageKey(kind, name));
      this.hide(value);
    });
    const changed = !this.loaded || [...set].join('\n') !== [...this.set].join('\n');
    this.secretNames = secretNames;
    this.set = set;
    this.loaded = true;
    if (changed) this.changed.fire();
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

function namesOf(secretNames: readonly string[]): StoredName[] {
  return [...KEY_NAMES.map((name) => ({ name, kind: 'key' as const })), ...secretNames.map((name) => ({ name, kind: 'secret' as const }))];
}

function parseIndex(raw: string | undefined): string[] {
  try {
    const names: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}
