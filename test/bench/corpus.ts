// The lint benchmark's corpus: the gallery-shaped runbooks of test/fixtures/runbooks (long `origin` blocks with
// comments, parameter tables of both shapes, `secrets:` empty, bodies writing /app/results), each grown to a 20-40 KB
// body the way real runbooks grow: more steps, each with prose, a command block and a table.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = path.resolve(__dirname, '../fixtures/runbooks');

/** Body sizes the corpus cycles through, in KB. */
const SIZES = [20, 25, 30, 35, 40];

const STEP = (n: number, topic: string) => `## Step ${n}: ${topic}

Work through the items from the previous step one at a time, and keep a note of each decision in
\`/app/results/notes/step-${n}.md\` as you go: what was looked at, what was found, and what was left for later. A short
note per item is enough; what matters is that someone reading it tomorrow can tell why each item ended where it did.
When an item needs a tool that is not installed, install it with \`uv pip install\` rather than working around it.

\`\`\`bash
mkdir -p /app/results/notes
# ${topic}: one pass over the inputs, logging what each file held
for f in /app/assets/*; do
  echo "## $(basename "$f")" >> /app/results/notes/step-${n}.md
  wc -c < "$f" >> /app/results/notes/step-${n}.md
done
\`\`\`

| Check | What passes | What to do when it fails |
|-------|-------------|--------------------------|
| Inputs read | every file in \`/app/assets/\` opened | note the file and go on |
| Output written | \`{{results_dir}}/notes/step-${n}.md\` is non-empty | write what is known so far |
| Nothing invented | each claim points at an input | drop the claim |

If anything in this step contradicts an earlier one, say so in the summary rather than quietly choosing one of them.
`;

const TOPICS = [
  'Normalise the Inputs',
  'Cross-check the Figures',
  'Resolve Duplicates',
  'Record the Edge Cases',
  'Compare Against the Previous Run',
  'Draft the Findings',
];

function grow(text: string, kilobytes: number): string {
  const at = text.search(/^## (Step \d+: )?Final Checklist/m);
  const head = at === -1 ? text : text.slice(0, at);
  const tail = at === -1 ? '' : text.slice(at);
  let extra = '';
  for (let n = 20; head.length + extra.length + tail.length < kilobytes * 1024; n++)
    extra += STEP(n, TOPICS[n % TOPICS.length]!) + '\n---\n\n';
  return head + extra + tail;
}

export interface CorpusEntry {
  name: string;
  text: string;
  /** The YAML between the `---` lines, for the baseline parse. */
  frontMatter: string;
}

export function lintCorpus(): CorpusEntry[] {
  const names = readdirSync(FIXTURES).sort();
  const out: CorpusEntry[] = [];
  names.forEach((name, i) => {
    const source = readFileSync(path.join(FIXTURES, name, 'RUNBOOK.md'), 'utf8');
    for (const [j, size] of SIZES.entries()) {
      if ((i + j) % 2) continue;
      const text = grow(source, size);
      const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)![1]!;
      out.push({ name: `${name} (${size} KB)`, text, frontMatter });
    }
  });
  return out;
}
