// The runbook's outline, as plain data for the editor's Outline view and breadcrumbs: the front-matter's settings, then
// the body's sections nested by heading level, with the run parameters under the Parameters section that declares them.
import { parametersView } from './parameters';
import type { ParsedRunbook } from './parse';
import { bodyStructure } from './sections';
import type { Span } from './text';

export type OutlineKind = 'settings' | 'setting' | 'section' | 'parameter';

export interface OutlineNode {
  name: string;
  /** Shown after the name: a setting's value, a parameter's default. */
  detail?: string;
  kind: OutlineKind;
  /** The whole of it (a section runs to the next heading of its level). */
  span: Span;
  /** What to reveal and select: the key, the heading's title, the `{{name}}`. */
  selection: Span;
  children: OutlineNode[];
}

export function runbookOutline(parsed: ParsedRunbook): OutlineNode[] {
  const nodes: OutlineNode[] = [];
  const frontMatter = parsed.frontMatter;
  if (frontMatter) {
    const end = frontMatter.close?.end ?? frontMatter.content.end;
    nodes.push({
      name: 'Front-matter',
      kind: 'settings',
      span: { start: frontMatter.open.start, end },
      selection: frontMatter.open,
      children: frontMatter.entries.map((entry) => ({
        name: entry.key,
        ...(isShown(entry.value) ? { detail: String(entry.value) } : {}),
        kind: 'setting' as const,
        span: { start: entry.keySpan.start, end: Math.max(entry.valueSpan?.end ?? 0, entry.keySpan.end) },
        selection: entry.keySpan,
        children: [],
      })),
    });
  }
  const { sections } = bodyStructure(parsed);
  const view = sections.length ? parametersView(parsed) : undefined;
  const open: { level: number; node: OutlineNode }[] = [];
  for (const section of sections) {
    const node: OutlineNode = {
      name: section.title || '(untitled)',
      kind: 'section',
      span: section.span,
      selection: section.titleSpan.start === section.titleSpan.end ? section.heading : section.titleSpan,
      children: [],
    };
    if (view?.sections.includes(section))
      for (const declaration of view.declarations)
        if (section.span.start <= declaration.span.start && declaration.span.end <= section.span.end)
          node.children.push({
            name: declaration.name,
            kind: 'parameter',
            span: declaration.span,
            selection: declaration.span,
            children: [],
          });
    while (open.length && open.at(-1)!.level >= section.level) open.pop();
    (open.at(-1)?.node.children ?? nodes).push(node);
    open.push({ level: section.level, node });
  }
  return nodes;
}

function isShown(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
