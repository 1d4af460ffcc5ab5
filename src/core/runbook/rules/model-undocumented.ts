// A model the catalog does not list for this agent and provider. A warning, not an error: catalogs age faster than
// providers ship models, so the run may well work.
import { setKey } from '../edits';
import type { Fix, Rule } from '../lint';

export const modelUndocumented: Rule = {
  code: 'model-undocumented',
  severity: 'warning',
  description: 'A model ID not documented for this agent and provider (the catalog may be out of date).',
  check(runbook) {
    const verdict = runbook.modelVerdict;
    const entry = runbook.entry('model');
    if (
      verdict?.kind !== 'undocumented' ||
      !entry?.valueRange ||
      runbook.providerUnsupported ||
      runbook.runtime.providerInvalid
    )
      return [];
    const { model, agent, provider } = runbook.runtime;
    const fixes: Fix[] = [];
    for (const known of verdict.known) {
      const edits = setKey(runbook, 'model', known.id);
      if (edits) fixes.push({ title: `Use ${known.id}`, edits });
    }
    const setting = provider ? `${agent} with ${provider}` : agent;
    const known = verdict.known.length
      ? `Documented: ${verdict.known.map((m) => `\`${m.id}\``).join(', ')}.`
      : `Jetty documents no model for ${setting}.`;
    return [
      {
        message: `\`${model}\` is not documented for ${setting}: the provider may reject it and the run fail at the first request (or the catalog is out of date). ${known}`,
        range: entry.valueRange,
        fixes,
      },
    ];
  },
};
