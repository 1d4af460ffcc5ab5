// "Jetty: Set Provider Key", "Jetty: Clear Provider Key" and the Keys view: what the user sees of the key store.
// A value is only ever typed into a password box or passed by a script; nothing here shows, logs or returns it.
import * as vscode from 'vscode';
import { KEYS, checkKeyShape, declaredSecrets, isKeyName } from '../core/keys';
import { PROVIDERS } from '../core/catalog';
import { frontMatterMapping } from '../core/runbook/parse';
import { redactedMessage } from '../core/redact';
import { confirm } from './confirm';
import { secretFolder, secretScope, type KeyStore, type SecretKind, type StoredName } from './keyStore';
import { parsedRunbook } from './runbookDetection';

/** What the commands accept from a script, a code action, the run command or a Keys view row. */
export interface KeyCommandArgs {
  name?: string;
  /** Inferred when missing: a registry key name is a provider key, any other name a runbook secret. */
  kind?: SecretKind;
  /** Set Provider Key only: store this value without asking. */
  value?: string;
  /** For a runbook secret: a file or folder of the workspace folder it is for (default: the active editor's). */
  folder?: string;
}

/** What the commands resolve to: whether the name is set afterwards (undefined when the user cancelled). Never a value. */
export interface KeyCommandResult {
  name: string;
  kind: SecretKind;
  set: boolean;
  /** The shape check's warning, when the stored value does not look like that key. */
  warning?: string;
}

/**
 * A row of the Keys view. VS Code hands this very object to a command run from the row's menu, which is how the
 * commands tell a person's click from a script's plain `{name}`: only a person is asked to confirm before a stored
 * value is deleted.
 */
export class KeyRow implements StoredName {
  constructor(
    readonly name: string,
    readonly kind: SecretKind,
    readonly scope?: string,
  ) {}
}

/** The view's rows: every provider key, then runbook secrets (stored ones and the active runbook's declared ones). */
export class KeysTreeProvider implements vscode.TreeDataProvider<KeyRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The active runbook's declared secrets as last listed, to repaint only when they change. */
  private listedSecrets = '';

  constructor(private readonly store: KeyStore) {}

  refresh(): void {
    this.changed.fire();
  }

  /** Repaints when the active runbook's declared secrets differ from the ones listed. */
  refreshIfSecretsChanged(): void {
    if (activeRunbookSecrets().join('\n') !== this.listedSecrets) this.refresh();
  }

  getChildren(element?: KeyRow): KeyRow[] {
    if (element) return [];
    const scope = activeScope();
    const rows = this.store
      .names(scope)
      .map(({ name, kind }) => new KeyRow(name, kind, kind === 'secret' ? scope : undefined));
    const declared = activeRunbookSecrets();
    this.listedSecrets = declared.join('\n');
    for (const name of declared) {
      if (!rows.some((row) => row.name === name && row.kind === 'secret')) rows.push(new KeyRow(name, 'secret', scope));
    }
    return rows;
  }

  getTreeItem(element: KeyRow): vscode.TreeItem {
    const set = this.store.isSet(element.name, element.kind, element.scope);
    const item = new vscode.TreeItem(element.name, vscode.TreeItemCollapsibleState.None);
    item.id = `${element.kind}:${element.scope ?? ''}:${element.name}`;
    item.description =
      element.kind === 'key' ? (set ? 'set' : 'not set') : set ? 'runbook secret · set' : 'runbook secret · not set';
    item.tooltip = new vscode.MarkdownString(
      `${describe(element)}\n\n${set ? 'Stored in VS Code’s secret storage.' : 'Not set.'}`,
    );
    item.iconPath = new vscode.ThemeIcon(set ? 'pass-filled' : 'circle-large-outline');
    // The manifest's inline actions key off these: set on every row, clear on rows that are set.
    // No click action: a click only selects; setting (a password prompt) is the row's inline action.
    item.contextValue = set ? 'key.set' : 'key.unset';
    item.accessibilityInformation = { label: `${element.name}, ${set ? 'set' : 'not set'}` };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** What the extension's API offers tests and other extensions about keys: names and whether they are set, never values. */
export interface KeysApi {
  /** Reads the key store if it has not been read yet; settles when it has. */
  ready(): Promise<void>;
  status(): (StoredName & { set: boolean })[];
  tree: KeysTreeProvider;
}

/** Where the key commands say what they did: the "Jetty" output channel. Every line is redacted first. */
export type KeyLog = Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;

/** Typing in a runbook repaints the Keys view once the typing pauses, and only if its declared secrets changed. */
const SECRETS_SETTLE_MS = 300;

export function registerKeys(
  context: vscode.ExtensionContext,
  store: KeyStore,
  redact: (text: string) => string,
  output?: KeyLog,
): KeysApi {
  const tree = new KeysTreeProvider(store);
  const view = vscode.window.createTreeView('jetty.keys', { treeDataProvider: tree });
  const log: Log = (level, message) => output?.[level](redact(message));
  const showError = (error: unknown): undefined => {
    const message = `Jetty: ${redactedMessage(error, redact)}`;
    log('error', message);
    void vscode.window.showErrorMessage(message);
    return undefined;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  context.subscriptions.push(
    tree,
    view,
    store.onDidChange(() => tree.refresh()),
    vscode.window.onDidChangeActiveTextEditor(() => {
      if (view.visible) tree.refreshIfSecretsChanged();
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!view.visible || e.document !== vscode.window.activeTextEditor?.document || e.contentChanges.length === 0)
        return;
      clearTimeout(timer);
      timer = setTimeout(() => tree.refreshIfSecretsChanged(), SECRETS_SETTLE_MS);
    }),
    { dispose: () => clearTimeout(timer) },
    vscode.commands.registerCommand('jetty.setProviderKey', (args?: KeyCommandArgs) =>
      setKey(store, args, log).catch(showError),
    ),
    vscode.commands.registerCommand('jetty.clearProviderKey', (args?: KeyCommandArgs) =>
      clearKey(store, args, log).catch(showError),
    ),
  );
  return {
    ready: () => store.load(),
    status: () =>
      store
        .names(activeScope())
        .map(({ name, kind, scope }) => ({ name, kind, set: store.isSet(name, kind, scope) === true })),
    tree,
  };
}

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

function describe({ name, kind }: StoredName): string {
  if (kind === 'key' && isKeyName(name)) {
    const { label, serves } = KEYS[name];
    return `${label}, for ${serves === 'daytona' ? 'Daytona sandboxes' : PROVIDERS[serves].label}`;
  }
  return `A secret the runbooks of this workspace folder declare under \`secrets:\`, given to their agent as an environment variable (another folder's secret of the same name is another secret)`;
}

function kindOf(name: string, kind: SecretKind | undefined): SecretKind {
  return kind ?? (isKeyName(name) ? 'key' : 'secret');
}

/**
 * The names the active editor's runbook declares under `secrets:` (none for plain markdown), leaving out those no
 * environment variable can carry: a run never asks for them (lint's secret-env-invalid says why).
 */
function activeRunbookSecrets(): string[] {
  const document = vscode.window.activeTextEditor?.document;
  const parsed = document && parsedRunbook(document);
  const front = parsed && frontMatterMapping(parsed);
  return front ? declaredSecrets(front).flatMap((secret) => (secret.env === undefined ? [] : [secret.name])) : [];
}

/** The active editor's runbook secrets' scope (its workspace folder), else the first workspace folder's. */
function activeScope(): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  return uri && secretScope(uri);
}

function activeFolderName(): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  return uri && (vscode.workspace.getWorkspaceFolder(uri)?.name ?? secretFolder(uri).path);
}

function argsOf(args: unknown): KeyCommandArgs {
  // A menu or keybinding may pass anything (a URI, a tree row); only a plain { name } is taken as a name.
  if (!args || typeof args !== 'object') return {};
  const { name, kind, value, folder } = args as Record<string, unknown>;
  return {
    ...(typeof name === 'string' && name.trim() ? { name: name.trim() } : {}),
    ...(kind === 'key' || kind === 'secret' ? { kind } : {}),
    ...(typeof value === 'string' ? { value } : {}),
    ...(typeof folder === 'string' && folder ? { folder } : {}),
  };
}

const NAME = /^[A-Za-z_][\w-]*$/;

/**
 * What a command is about: a row, a script's name (for a runbook secret, of the folder it names or the active one).
 * Another repository's secret of the same name is never shown, set or cleared here.
 */
function targetOf(rawArgs: unknown, args: KeyCommandArgs): StoredName | undefined {
  if (rawArgs instanceof KeyRow) return { name: rawArgs.name, kind: rawArgs.kind, scope: rawArgs.scope };
  if (!args.name) return undefined;
  const kind = kindOf(args.name, args.kind);
  if (kind === 'key') return { name: args.name, kind };
  return { name: args.name, kind, scope: args.folder ? secretScope(vscode.Uri.parse(args.folder)) : activeScope() };
}

async function setKey(store: KeyStore, rawArgs: unknown, log: Log): Promise<KeyCommandResult | undefined> {
  await store.load();
  const args = argsOf(rawArgs);
  const target = targetOf(rawArgs, args) ?? (await pickName(store, 'set'));
  if (!target) return undefined;
  if (!NAME.test(target.name))
    throw new Error(`'${target.name}' is not a key or secret name (letters, digits, _ and -).`);
  if (target.kind === 'key' && !isKeyName(target.name))
    throw new Error(`${target.name} is not a provider key Jetty knows.`);

  const scripted = args.value !== undefined;
  // A pasted key often carries a line break or spaces around it; keys never do.
  const value = (scripted ? args.value! : await askValue(target))?.trim();
  if (value === undefined) return undefined;
  if (!value) {
    if (scripted) throw new Error(`No value given for ${target.name}.`);
    return undefined;
  }
  const warning = checkKeyShape(target.name, value);
  await store.store(target.name, value, target.kind, target.scope);
  log('info', `${target.name} saved in the key store.${warning ? ` ${warning}` : ''}`);
  if (warning) void vscode.window.showWarningMessage(`Jetty: ${target.name} saved. ${warning}`);
  else if (!scripted)
    void vscode.window.showInformationMessage(`Jetty: ${target.name} saved in VS Code's secret storage.`);
  return { name: target.name, kind: target.kind, set: true, ...(warning ? { warning } : {}) };
}

async function clearKey(store: KeyStore, rawArgs: unknown, log: Log): Promise<KeyCommandResult | undefined> {
  await store.load();
  const args = argsOf(rawArgs);
  const target = targetOf(rawArgs, args) ?? (await pickName(store, 'clear'));
  if (!target) return undefined;
  const result = { name: target.name, kind: target.kind };
  if (!store.isSet(target.name, target.kind, target.scope)) {
    void vscode.window.showInformationMessage(`Jetty: ${target.name} is not set.`);
    return { ...result, set: false };
  }
  // One click on a row's trash icon must not lose a key; a script's `{name}` and a name picked from the quick pick
  // (which says "clear") are already deliberate.
  if (rawArgs instanceof KeyRow) {
    const what = target.kind === 'key' ? target.name : `the runbook secret ${target.name}`;
    const detail =
      'It is deleted from VS Code’s secret storage. Runs that need it stop and ask for it until it is set again.';
    if (!(await confirm(`Clear ${what}?`, detail, 'Clear'))) return undefined;
  }
  await store.clear(target.name, target.kind, target.scope);
  log('info', `${target.name} cleared from the key store.`);
  void vscode.window.showInformationMessage(`Jetty: ${target.name} cleared.`);
  return { ...result, set: false };
}

interface NamePick extends vscode.QuickPickItem {
  target?: StoredName;
}

/** A quick pick of the provider keys and runbook secrets, each shown as set or not set. */
async function pickName(store: KeyStore, purpose: 'set' | 'clear'): Promise<StoredName | undefined> {
  const scope = activeScope();
  const row = (target: StoredName): NamePick => {
    const set = store.isSet(target.name, target.kind, target.scope);
    return {
      label: `$(${set ? 'pass-filled' : 'circle-large-outline'}) ${target.name}`,
      description: set ? 'set' : 'not set',
      detail: describe(target),
      target,
    };
  };
  const keys = store.names().filter((n) => n.kind === 'key');
  const secrets = [
    ...new Set([
      ...activeRunbookSecrets(),
      ...store
        .names(scope)
        .filter((n) => n.kind === 'secret')
        .map((n) => n.name),
    ]),
  ]
    .filter((name) => !isKeyName(name))
    .map((name): StoredName => ({ name, kind: 'secret', scope }));
  let items: NamePick[] = [
    ...keys.map(row),
    ...(secrets.length
      ? [{ label: 'Runbook secrets', kind: vscode.QuickPickItemKind.Separator }, ...secrets.map(row)]
      : []),
  ];
  if (purpose === 'clear')
    items = items.filter((item) => !item.target || store.isSet(item.target.name, item.target.kind, item.target.scope));
  if (!items.some((item) => item.target)) {
    void vscode.window.showInformationMessage('Jetty: no provider key or runbook secret is set.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: purpose === 'set' ? 'Jetty: Set Provider Key' : 'Jetty: Clear Provider Key',
    placeHolder: purpose === 'set' ? 'Which key or secret to set' : 'Which key or secret to clear',
    matchOnDetail: true,
  });
  return picked?.target;
}

async function askValue(target: StoredName): Promise<string | undefined> {
  const info = target.kind === 'key' && isKeyName(target.name) ? KEYS[target.name] : undefined;
  const folder = target.kind === 'secret' ? activeFolderName() : undefined;
  return vscode.window.showInputBox({
    title: `Jetty: Set ${target.name}${folder ? ` for ${folder}` : ''}`,
    prompt: `${describe(target)}. Kept in VS Code's secret storage, never in settings or files.`,
    placeHolder: info ? info.shape.looksLike : 'the secret value',
    password: true,
    ignoreFocusOut: true,
    // A warning, not an error: the value can still be saved (vendors change formats; gateways issue their own tokens).
    validateInput: (text) => {
      const trimmed = text.trim();
      const warning = trimmed ? checkKeyShape(target.name, trimmed) : undefined;
      return warning ? { message: warning, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
    },
  });
}
