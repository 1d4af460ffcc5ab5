// Hover in a runbook, as plain markdown: what a front-matter key means, what the catalog knows about a model (runtime,
// provider, status, notes, source) or an agent, provider or snapshot, and what a `{{variable}}` stands for.
import { isMap, isNode, isScalar, isSeq, type Node } from 'yaml';
import {
  AGENTS,
  EVALUATION_MODES,
  PROVIDERS,
  SNAPSHOTS,
  TEMPLATE_VARIABLES,
  isAgentId,
  isProviderId,
  modelEntries,
} from '../catalog';
import { describeParameter } from './complete';
import { runbookParameters } from './parameters';
import type { ParsedRunbook } from './parse';
import { Runbook } from './runbook';
import { keyInfo } from './schema';
import { secretName, findTemplateVariables } from './template';
import type { Span } from './text';

export interface HoverInfo {
  markdown: string;
  span: Span;
}

export function hoverAt(parsed: ParsedRunbook, offset: number): HoverInfo | undefined {
  const frontMatter = parsed.frontMatter;
  if (frontMatter && offset >= frontMatter.content.start && offset <= frontMatter.content.end) {
    const at = nodeAt(frontMatter.document.contents, offset, []);
    if (!at) return undefined;
    if (at.on === 'key') {
      const info = keyInfo(at.path);
      if (!info) return undefined;
      const values = info.values ? `\n\nValues: ${info.values.map((v) => `\`${v}\``).join(', ')}.` : '';
      return { markdown: `**${at.path.join('.')}**: ${info.description}${values}`, span: at.span };
    }
    const markdown = describeValue(new Runbook(parsed), at.path.join('.'), at.value);
    return markdown ? { markdown, span: at.span } : undefined;
  }
  if (offset < parsed.bodyOffset) return undefined;
  // Only the line around the offset is searched: a hover never scans a megabyte body.
  const lineStart = Math.max(parsed.text.lastIndexOf('\n', offset - 1) + 1, parsed.bodyOffset);
  const lf = parsed.text.indexOf('\n', offset);
  const variable = findTemplateVariables(parsed.text, lineStart, lf === -1 ? parsed.text.length : lf).find(
    (v) => v.start <= offset && offset <= v.end,
  );
  if (!variable) return undefined;
  const span = { start: variable.start, end: variable.end };
  const secret = secretName(variable.name);
  if (secret !== undefined) {
    return {
      markdown: `**{{secrets.${secret}}}**: the value of the secret \`${secret}\`, resolved from the environment at run time. It never appears in trajectories.`,
      span,
    };
  }
  const known = TEMPLATE_VARIABLES.find((v) => v.name === variable.name);
  const parameter = known ? undefined : runbookParameters(parsed).find((p) => p.name === variable.name);
  if (parameter)
    return {
      markdown: `**{{${parameter.name}}}**: run parameter${parameter.label ? ` "${parameter.label}"` : ''}, declared in the runbook's Parameters.\n\n${describeParameter(parameter)}`,
      span,
    };
  if (!known)
    return {
      markdown: `**{{${variable.name}}}**: neither a variable Jetty fills in nor a parameter this runbook declares; the run must pass it as a template variable.`,
      span,
    };
  return { markdown: `**{{${known.name}}}**: ${known.description}`, span };
}

function describeValue(runbook: Runbook, key: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (key === 'model') return describeModel(runbook, value);
  if (key === 'agent' && isAgentId(value)) {
    const agent = AGENTS[value];
    return `**${agent.label}** (\`${agent.id}\`): ${agent.description}\n\nProviders: ${agent.providers.join(', ')}.${agent.defaultModel ? ` Default model: \`${agent.defaultModel}\`.` : ''}\n\nSource: ${agent.source}`;
  }
  if (key === 'model_provider' && isProviderId(value)) {
    const users = Object.values(AGENTS)
      .filter((a) => a.providers.includes(value))
      .map((a) => a.id);
    return `**${PROVIDERS[value].label}** (\`${value}\`). Agents that can use it: ${users.join(', ')}.`;
  }
  if (key === 'snapshot') {
    const snapshot = SNAPSHOTS.find((s) => s.name === value);
    return snapshot ? `**${snapshot.name}**: ${snapshot.description}.` : undefined;
  }
  if (key === 'evaluation') {
    const mode = EVALUATION_MODES.find((m) => m.id === value);
    return mode && `**${mode.id}**: ${mode.description}.`;
  }
  return undefined;
}

function describeModel(runbook: Runbook, model: string): string {
  const { agent, provider } = runbook.runtime;
  const verdict = runbook.modelVerdict;
  const lines = [`**${model}**`];
  const entries = modelEntries(model);
  for (const entry of entries) {
    lines.push(
      `${entry.notes}. Runtime${entry.agents.length > 1 ? 's' : ''}: ${entry.agents.join(', ')} · provider: ${PROVIDERS[entry.provider].label} · status: ${entry.status} · source: ${entry.source}`,
    );
  }
  switch (verdict?.kind) {
    case 'documented':
      lines.push(`Documented for ${agent} with ${verdict.entry.provider}.`);
      break;
    case 'cross-family-bedrock':
      lines.push(`claude-code cannot run it (${verdict.vendorName} on Bedrock): use hermes.`);
      break;
    case 'wrong-family':
      lines.push(`${agent} cannot run ${verdict.family.name} models: use ${verdict.family.agent}.`);
      break;
    case 'broken':
      lines.push(`Fails ${provider ? `with ${provider}` : `on ${agent}`}: ${verdict.broken.reason}.`);
      break;
    case 'undocumented':
      lines.push(`Not documented for ${agent}${provider ? ` with ${provider}` : ''}.`);
      break;
  }
  return lines.join('\n\n');
}

interface NodeAt {
  on: 'key' | 'value';
  path: string[];
  span: Span;
  value?: unknown;
}

function nodeAt(node: unknown, offset: number, path: string[]): NodeAt | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (!isScalar(key) || !key.range) continue;
      const name = String(key.value);
      if (key.range[0] <= offset && offset <= key.range[1])
        return { on: 'key', path: [...path, name], span: { start: key.range[0], end: key.range[1] } };
      const value = pair.value as Node | null;
      if (isNode(value) && value.range && value.range[0] <= offset && offset <= value.range[1]) {
        return nodeAt(value, offset, [...path, name]);
      }
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const n = item as Node;
      if (isNode(n) && n.range && n.range[0] <= offset && offset <= n.range[1])
        return nodeAt(n, offset, [...path, String(index)]);
    }
    return undefined;
  }
  if (isScalar(node) && node.range)
    return { on: 'value', path, span: { start: node.range[0], end: node.range[1] }, value: node.value };
  return undefined;
}
