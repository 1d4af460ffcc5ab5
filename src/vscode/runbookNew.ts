// "Jetty: New Runbook": a runbook in the structure of Jetty's templates (core/runbook/skeleton.ts), with the agent,
// provider, model and snapshot picked from the catalog, defaulting as Jetty's wizard does. It opens as an untitled
// document to save where you like, or, given `{ uri }`, is written there. Scripts and tests pass every choice in one
// object, `{ kind, title, agent, provider, model, snapshot, uri }`, as jetty.setProviderKey takes `{ name, value }`.
import * as vscode from 'vscode';
import {
  AGENTS,
  AGENT_IDS,
  PROVIDERS,
  SNAPSHOTS,
  WIZARD_DEFAULTS,
  isAgentId,
  isProviderId,
  modelsFor,
  type AgentId,
  type ProviderId,
} from '../core/catalog';
import { runbookSkeleton, type SkeletonKind } from '../core/runbook/skeleton';

export interface NewRunbookArgs {
  kind?: SkeletonKind;
  title?: string;
  agent?: string;
  provider?: string;
  model?: string;
  snapshot?: string;
  /** Where to write it (a file that must not exist yet); an untitled document when missing. */
  uri?: vscode.Uri | string;
}

export function registerRunbookNew(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('jetty.newRunbook', (args?: NewRunbookArgs) =>
      newRunbook(args ?? {}).catch((error: unknown) => {
        void vscode.window.showErrorMessage(`Jetty: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }),
    ),
  );
}

/** The document it opened, or undefined when a question was dismissed. */
async function newRunbook(args: NewRunbookArgs): Promise<vscode.TextDocument | undefined> {
  const kind = args.kind ?? (await pickKind());
  if (!kind) return undefined;
  if (kind !== 'programmatic' && kind !== 'rubric')
    throw new Error(`kind must be programmatic or rubric, not '${kind}'.`);
  const title =
    args.title ??
    (await vscode.window.showInputBox({
      title: 'Jetty: New Runbook',
      prompt: 'What the runbook does, as its title',
      value: 'New runbook',
    }));
  if (title === undefined) return undefined;
  const agent = args.agent ?? (await pickAgent());
  if (!agent) return undefined;
  if (!isAgentId(agent)) throw new Error(`'${agent}' is not an agent Jetty knows (${AGENT_IDS.join(', ')}).`);
  const provider = args.provider ?? (await pickProvider(agent));
  if (!provider) return undefined;
  if (!isProviderId(provider) || !AGENTS[agent].providers.includes(provider))
    throw new Error(`${agent} cannot use the provider '${provider}' (${AGENTS[agent].providers.join(', ')}).`);
  const model = args.model ?? (await pickModel(agent, provider));
  if (!model) return undefined;
  const snapshot = args.snapshot ?? (await pickSnapshot());
  if (!snapshot) return undefined;

  const text = runbookSkeleton({ kind, title, agent, provider, model, snapshot });
  let document: vscode.TextDocument;
  if (args.uri !== undefined) {
    const uri = typeof args.uri === 'string' ? vscode.Uri.parse(args.uri) : args.uri;
    if (await exists(uri)) throw new Error(`${uri.fsPath} already exists; New Runbook does not overwrite files.`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    document = await vscode.workspace.openTextDocument(uri);
  } else {
    document = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
  }
  await vscode.window.showTextDocument(document);
  return document;
}

async function pickKind(): Promise<SkeletonKind | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      {
        label: 'programmatic' as const,
        detail: 'Judged by checks: files, schemas, tests, counts',
      },
      {
        label: 'rubric' as const,
        detail: 'Judged by scores against criteria: writing, analysis, design',
      },
    ],
    { title: 'Jetty: New Runbook', placeHolder: 'How the run is judged' },
  );
  return picked?.label;
}

async function pickAgent(): Promise<string | undefined> {
  const order = [WIZARD_DEFAULTS.agent, ...AGENT_IDS.filter((id) => id !== WIZARD_DEFAULTS.agent)];
  const picked = await vscode.window.showQuickPick(
    order.map((id) => ({
      label: id,
      description: id === WIZARD_DEFAULTS.agent ? "Jetty's default" : '',
      detail: AGENTS[id].description,
    })),
    { title: 'Jetty: New Runbook', placeHolder: 'The agent that carries the runbook out' },
  );
  return picked?.label;
}

async function pickProvider(agent: AgentId): Promise<string | undefined> {
  const providers = [...AGENTS[agent].providers].sort(
    (a, b) => Number(b === WIZARD_DEFAULTS.provider) - Number(a === WIZARD_DEFAULTS.provider),
  );
  if (providers.length === 1) return providers[0];
  const picked = await vscode.window.showQuickPick(
    providers.map((id) => ({
      label: id,
      description: `${PROVIDERS[id].label}${id === WIZARD_DEFAULTS.provider ? " · Jetty's default" : ''}`,
    })),
    { title: 'Jetty: New Runbook', placeHolder: `Who serves ${agent}'s model` },
  );
  return picked?.label;
}

async function pickModel(agent: AgentId, provider: ProviderId): Promise<string | undefined> {
  const models = modelsFor(agent, provider).sort(
    (a, b) => Number(b.id === WIZARD_DEFAULTS.model) - Number(a.id === WIZARD_DEFAULTS.model),
  );
  const other = { label: 'Another model…', description: 'typed in; lint says whether Jetty documents it', id: '' };
  const picked = await vscode.window.showQuickPick(
    [
      ...models.map((m) => ({
        label: m.id,
        description: [m.id === WIZARD_DEFAULTS.model ? "Jetty's default" : '', m.status].filter(Boolean).join(' · '),
        detail: m.notes,
        id: m.id,
      })),
      other,
    ],
    { title: 'Jetty: New Runbook', placeHolder: `The model, as ${PROVIDERS[provider].label} spells it` },
  );
  if (!picked) return undefined;
  if (picked.id) return picked.id;
  const typed = await vscode.window.showInputBox({ title: 'Jetty: New Runbook', prompt: 'The model ID' });
  return typed?.trim() || undefined;
}

async function pickSnapshot(): Promise<string | undefined> {
  const order = [...SNAPSHOTS].sort(
    (a, b) => Number(b.name === WIZARD_DEFAULTS.snapshot) - Number(a.name === WIZARD_DEFAULTS.snapshot),
  );
  const own = Object.keys(
    vscode.workspace.getConfiguration('jetty').get<Record<string, string>>('daytona.snapshots') ?? {},
  ).filter((name) => !SNAPSHOTS.some((s) => s.name === name));
  const picked = await vscode.window.showQuickPick(
    [
      ...order.map((s) => ({
        label: s.name,
        description: s.name === WIZARD_DEFAULTS.snapshot ? "Jetty's default" : '',
        detail: s.description,
      })),
      ...own.map((name) => ({ label: name, description: 'from jetty.daytona.snapshots', detail: undefined })),
    ],
    { title: 'Jetty: New Runbook', placeHolder: 'The sandbox image the run starts in' },
  );
  return picked?.label;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
