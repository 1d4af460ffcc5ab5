// Redaction runs on every line an agent prints, so it must cost well under parsing that line (target: half), and stay cheap as the
// number of known secrets grows. Baselines measured in the same run: JSON.parse of the same lines (work every line
// gets anyway), and the naive way of hiding many keys (one replaceAll per key and spelling).
import { Redactor } from '../../src/core/redact';
import { percentile, printRow, sample } from './measure';

function keys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `sk-ant-api03-${i.toString(36).padStart(6, '0')}-${'Q'.repeat(20)}`);
}

// Lines shaped like claude-code's stream-json, about 300 characters; one in fifty carries a key.
function lines(secretsInText: string[]): string[] {
  return Array.from({ length: 2000 }, (_, i) => {
    const text =
      i % 50 === 0
        ? `export KEY=${secretsInText[i % secretsInText.length]}`
        : `total ${i}\\ndrwxr-xr-x 2 root root 4096 results`;
    return JSON.stringify({
      type: 'user',
      message: {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: `toolu_${i}`, content: text, is_error: false }],
      },
      session_id: '6f0c2b53-1d7e-4c43-9d7a-2a1e0c6b1f11',
      uuid: `0b7e${i}`,
    });
  });
}

function naive(values: string[]): (text: string) => string {
  const spellings = values.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]).sort((a, b) => b.length - a.length);
  return (text) => spellings.reduce((t, s) => t.replaceAll(s, '***'), text);
}

const RUNS = 30;
for (const count of [6, 100]) {
  const secrets = keys(count);
  const input = lines(secrets);
  const redactor = new Redactor(secrets);
  const hide = naive(secrets);
  const perLine = (fn: (line: string) => unknown) => () => {
    for (const line of input) fn(line);
  };
  const ours = percentile(sample(perLine(redactor.redact), RUNS, 5), 50);
  const parse = percentile(sample(perLine(JSON.parse), RUNS, 5), 50);
  const replaceAll = percentile(sample(perLine(hide), RUNS, 5), 50);
  printRow({
    name: `redact 2000 stream-json lines, ${count} keys, vs JSON.parse, median`,
    value: ours,
    unit: 'ms',
    baseline: parse,
    target: '≤ 0.5× JSON.parse',
    met: ours <= parse / 2,
  });
  printRow({
    name: `redact 2000 stream-json lines, ${count} keys, vs replaceAll per key, median`,
    value: ours,
    unit: 'ms',
    baseline: replaceAll,
    target: count >= 100 ? '< naive' : 'informational',
    ...(count >= 100 ? { met: ours < replaceAll } : {}),
  });
}
