// What the catalog says about one model under one agent and provider: the single verdict the model rules, hover and
// completion share, so they never disagree (a model completion offers is never one lint flags).
import {
  AGENTS,
  BEDROCK_OTHER_VENDORS,
  bedrockVendor,
  findBroken,
  modelFamily,
  modelsFor,
  replacementModel,
  type AgentId,
  type BrokenModel,
  type ModelFamily,
  type ModelInfo,
  type ProviderId,
} from '../catalog';

export type ModelVerdict =
  /** A non-Anthropic Bedrock ID under claude-code: HTTP 400 from its API client. */
  | { kind: 'cross-family-bedrock'; vendor: string; vendorName: string }
  /** A bare ID of a family the agent cannot run. */
  | { kind: 'wrong-family'; family: ModelFamily }
  /** Documented to fail in this setting. */
  | { kind: 'broken'; broken: BrokenModel; replacement: string | undefined }
  | { kind: 'documented'; entry: ModelInfo }
  /** Not in the catalog for this agent and provider; `known` are the ones that are. */
  | { kind: 'undocumented'; known: ModelInfo[] };

/** Verdicts already given: a pure function of the catalog, asked on every keystroke about the same few models. */
const verdicts = new Map<string, ModelVerdict>();
const MAX_REMEMBERED = 64;

export function assessModel(model: string, agent: AgentId, provider: ProviderId | undefined): ModelVerdict {
  const key = `${agent}\u0000${provider ?? ''}\u0000${model}`;
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = judge(model, agent, provider);
    if (verdicts.size >= MAX_REMEMBERED) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}

function judge(model: string, agent: AgentId, provider: ProviderId | undefined): ModelVerdict {
  if (agent === 'claude-code') {
    const vendor = bedrockVendor(model);
    if (vendor !== undefined && vendor !== 'anthropic') {
      return { kind: 'cross-family-bedrock', vendor, vendorName: BEDROCK_OTHER_VENDORS[vendor] ?? vendor };
    }
  }
  const family = modelFamily(model);
  if (family && !family.agents.includes(agent)) return { kind: 'wrong-family', family };
  const broken = findBroken(model, agent, provider);
  if (broken) return { kind: 'broken', broken, replacement: replacementModel(broken, model) };
  const known = modelsFor(agent, provider);
  const entry = known.find((m) => m.id === model);
  if (entry) return { kind: 'documented', entry };
  return { kind: 'undocumented', known };
}

/** The provider a model ID is spelled for, as far as its shape or the catalog tells (for fixes that write one). */
export function providerForModel(model: string | undefined, agent: AgentId): ProviderId | undefined {
  if (model) {
    const documented = modelsFor(agent).find((m) => m.id === model);
    if (documented) return documented.provider;
    if (bedrockVendor(model) !== undefined && AGENTS[agent].providers.includes('bedrock')) return 'bedrock';
    if (model.includes('/') && AGENTS[agent].providers.includes('openrouter')) return 'openrouter';
  }
  return AGENTS[agent].defaultProvider;
}
