// A snapshot name Jetty does not document. Information only: an organisation may have its own snapshots (and maps them
// with `jetty.daytona.snapshots`, whose names the environment passes in).
import { SNAPSHOTS } from '../../catalog';
import type { Rule } from '../lint';
import { closest } from '../spelling';

export const snapshotUnknown: Rule = {
  code: 'snapshot-unknown',
  severity: 'information',
  description: 'A snapshot name Jetty does not document.',
  check(runbook, environment) {
    const entry = runbook.entry('snapshot');
    const name = runbook.front.snapshot;
    if (!entry?.valueRange || typeof name !== 'string' || name === '') return [];
    const known = [...SNAPSHOTS.map((s) => s.name), ...(environment.snapshots ?? [])];
    if (known.includes(name)) return [];
    const suggestion = closest(name, known);
    return [
      {
        message: `\`${name}\` is not a snapshot Jetty documents (${SNAPSHOTS.map((s) => s.name).join(', ')}): the sandbox starts only if your Daytona organisation has it.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
        range: entry.valueRange,
        fixes: suggestion
          ? [
              {
                title: `Change to \`${suggestion}\``,
                edits: [{ range: entry.valueRange, newText: suggestion }],
                preferred: true,
              },
            ]
          : [],
      },
    ];
  },
};
