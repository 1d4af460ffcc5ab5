// The run view's page script: lays out what the extension sends (src/core/view/runPage.ts) and asks it for what a
// click needs (a row's whole content, opening a file). Built so 100,000 events scroll and filter like ten.
import type { PackedRow, Preview, RunViewMessage, RunViewRequest, RunViewState } from '../core/view/protocol';
import type { ResultsView, RowKind, RunHeader, TurnChart } from '../core/view/runPage';
import { byId, cleanHtml, codicon, h, vscodeApi } from './dom';

const ROW_HEIGHT = 22;
const LINE_HEIGHT = 18;
const DETAIL_LINES = 16;
const OVERSCAN = 20;
const KINDS: [RowKind, string][] = [
  ['message', 'Messages'],
  ['thinking', 'Thinking'],
  ['command', 'Commands'],
  ['tool', 'Tools'],
  ['file', 'Files'],
  ['problem', 'Errors'],
  ['info', 'Other'],
];

/**
 * Where the reader was (scroll, filter, search, unfolded rows) is kept with setState(), so a hidden panel, or one
 * restored after a reload, comes back as it was left.
 */
const api = vscodeApi<RunViewState>();
const state: RunViewState = { ...(api.getState() ?? {}) };
const post = (request: RunViewRequest) => api.postMessage(request);
const save = () => api.setState(state);

/** As they came (packed: src/core/view/protocol.ts), not unpacked: 100,000 rows are 100,000 fewer objects. */
const rows: PackedRow[] = [];
/** Indices (into rows) of the rows the filter and search let through, ascending. */
let visible: number[] = [];
const hidden = new Set<string>(state.hidden ?? []);
let query = (state.query ?? '').toLowerCase();
/** Lower-cased label and preview, made when a search first needs them. */
const haystacks: (string | undefined)[] = [];
const expanded = new Set<number>(state.expanded ?? []);
const details = new Map<number, string>();
/** Keep the newest row in sight while the run goes on, unless the reader scrolled up. */
let follow = state.scrollTop === undefined;
let drawPending = false;
let restoreScroll = state.scrollTop;

const scroller = byId('timeline');
const spacer = byId('spacer');
const list = byId('rows');

function passes(row: PackedRow): boolean {
  const [index, kind, , , label, exit, preview] = row;
  if (hidden.has(kind)) return false;
  if (!query) return true;
  const hay = (haystacks[index] ??= `${label}\n${exit || ''}\n${preview || ''}`.toLowerCase());
  return hay.includes(query);
}

function refilter(): void {
  visible = [];
  for (const row of rows) if (passes(row)) visible.push(row[0]);
  byId('count').textContent = query || hidden.size ? `${visible.length} of ${rows.length}` : `${rows.length} events`;
  schedule();
}

function detailHeight(index: number): number {
  const text = details.get(index);
  const lines = text === undefined ? 1 : Math.min(DETAIL_LINES, text.split('\n').length);
  return lines * LINE_HEIGHT + 12;
}

/** The unfolded rows among the visible ones, by their position in `visible`, with the height they add. */
function extras(): { at: number; extra: number }[] {
  const out: { at: number; extra: number }[] = [];
  for (const index of expanded) {
    const at = position(index);
    if (at >= 0) out.push({ at, extra: detailHeight(index) });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Where row `index` is in `visible` (binary search), or -1. */
function position(index: number): number {
  let lo = 0;
  let hi = visible.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = visible[mid]!;
    if (v === index) return mid;
    if (v < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function positionAt(y: number, open: { at: number; extra: number }[]): number {
  let added = 0;
  for (const { at, extra } of open) {
    const top = at * ROW_HEIGHT + added;
    if (y < top) break;
    if (y < top + ROW_HEIGHT + extra) return at;
    added += extra;
  }
  return Math.max(0, Math.min(visible.length - 1, Math.floor((y - added) / ROW_HEIGHT)));
}

/**
 * The timeline is virtual: only the rows in sight exist in the DOM, the rest are plain objects; rows arrive in batches
 * and the page is redrawn at most once a frame.
 */
function schedule(): void {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(draw);
}

function draw(): void {
  drawPending = false;
  const open = extras();
  const total = visible.length * ROW_HEIGHT + open.reduce((n, o) => n + o.extra, 0);
  spacer.style.height = `${total}px`;
  if (restoreScroll !== undefined && total >= restoreScroll) {
    scroller.scrollTop = restoreScroll;
    restoreScroll = undefined;
  } else if (follow) scroller.scrollTop = total;
  const top = scroller.scrollTop;
  const first = Math.max(0, positionAt(top, open) - OVERSCAN);
  const last = Math.min(visible.length - 1, positionAt(top + scroller.clientHeight, open) + OVERSCAN);
  const fragment = document.createDocumentFragment();
  let added = 0;
  let o = 0;
  for (; o < open.length && open[o]!.at < first; o++) added += open[o]!.extra;
  for (let at = first; at <= last; at++) {
    const row = rows[visible[at]!]!;
    const y = at * ROW_HEIGHT + added;
    fragment.append(rowElement(row, y));
    if (o < open.length && open[o]!.at === at) {
      fragment.append(detailElement(row[0], y + ROW_HEIGHT));
      added += open[o]!.extra;
      o++;
    }
  }
  list.replaceChildren(fragment);
  document.body.dataset.rows = String(rows.length);
}

function rowElement(row: PackedRow, y: number): HTMLElement {
  const [index, kind, icon, tone, label, exit, , folded, line] = row;
  const open = expanded.has(index);
  const element = h(
    'div',
    {
      class: `row kind-${kind}${tone ? ` tone-${tone}` : ''}${open ? ' open' : ''}`,
      role: 'listitem',
      tabindex: '0',
      'data-index': String(index),
      title: `line ${line} of trajectory.jsonl`,
    },
    folded ? codicon(open ? 'chevron-down' : 'chevron-right') : h('span', { class: 'twistie' }),
    codicon(icon),
    h('span', { class: 'label' }, label),
    exit ? h('span', { class: `exit${tone === 'error' ? ' bad' : ''}` }, exit) : undefined,
  );
  element.style.top = `${y}px`;
  return element;
}

function detailElement(index: number, y: number): HTMLElement {
  const text = details.get(index);
  const element = h('pre', { class: 'detail', 'data-index': String(index) }, text ?? 'Loading…');
  element.style.top = `${y}px`;
  element.style.height = `${detailHeight(index) - 12}px`;
  return element;
}

function toggle(index: number): void {
  if (!rows[index]?.[7]) return;
  if (expanded.has(index)) expanded.delete(index);
  else {
    expanded.add(index);
    if (!details.has(index)) post({ type: 'detail', index });
  }
  state.expanded = [...expanded];
  save();
  schedule();
}

list.addEventListener('click', (event) => {
  const target = (event.target as HTMLElement).closest<HTMLElement>('.row');
  if (target) toggle(Number(target.dataset.index));
});
list.addEventListener('dblclick', (event) => {
  const target = (event.target as HTMLElement).closest<HTMLElement>('.row');
  if (target) post({ type: 'open-event', index: Number(target.dataset.index) });
});
list.addEventListener('keydown', (event) => {
  const target = (event.target as HTMLElement).closest<HTMLElement>('.row');
  if (target && (event.key === 'Enter' || event.key === ' ')) {
    event.preventDefault();
    toggle(Number(target.dataset.index));
  }
});
scroller.addEventListener('scroll', () => {
  follow = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - ROW_HEIGHT;
  state.scrollTop = follow ? undefined : scroller.scrollTop;
  save();
  schedule();
});

function toolbar(): void {
  const search = byId<HTMLInputElement>('search');
  search.value = state.query ?? '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.query = search.value;
      query = search.value.toLowerCase();
      save();
      refilter();
    }, 150);
  });
  const filters = byId('filters');
  for (const [kind, label] of KINDS) {
    const chip = h('button', { class: 'chip', 'data-kind': kind, 'aria-pressed': String(!hidden.has(kind)) }, label);
    chip.addEventListener('click', () => {
      if (hidden.has(kind)) hidden.delete(kind);
      else hidden.add(kind);
      chip.setAttribute('aria-pressed', String(!hidden.has(kind)));
      state.hidden = [...hidden];
      save();
      refilter();
    });
    filters.append(chip);
  }
}

function showHeader(header: RunHeader): void {
  const status = h('span', { id: 'status', class: `badge tone-${header.tone}` }, header.status);
  const evaluation = header.evaluation
    ? h(
        'span',
        { id: 'evaluation', class: `badge tone-${header.evaluation.overall_passed ? 'pass' : 'fail'}` },
        codicon(header.evaluation.overall_passed ? 'pass' : 'error'),
        ` Evaluation ${header.evaluation.text}`,
      )
    : h('span', { id: 'evaluation', class: 'badge tone-other' }, 'No evaluation report');
  byId('title').replaceChildren(h('h1', {}, header.runbook), status, evaluation);
  byId('facts').replaceChildren(
    ...header.facts.map((f) =>
      h('span', { class: 'fact', 'data-fact': f.label.toLowerCase() }, h('b', {}, `${f.label} `), f.text),
    ),
  );
  byId('figures').replaceChildren(
    ...header.figures.map((f) =>
      h(
        'div',
        { class: 'figure', 'data-figure': f.key },
        h('div', { class: 'value' }, f.text),
        h('div', { class: 'name' }, f.label),
      ),
    ),
  );
  byId('error').replaceChildren(
    header.note ? h('div', { class: 'note', id: 'provider-note' }, codicon('info'), ` ${header.note}`) : '',
    header.error ? h('div', { class: 'error-text' }, codicon('error'), ` ${header.error}`) : '',
  );
}

function showChart(chart: TurnChart): void {
  const box = byId('chart');
  const { bars } = chart;
  const parts: Node[] = [h('h2', {}, 'Tokens per turn')];
  if (bars.length) {
    const ns = 'http://www.w3.org/2000/svg';
    const width = 600;
    const height = 120;
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `tokens in ${chart.turns} turns, at most ${chart.max} in a bar`);
    // Bars no wider than 48 units: three turns read as three bars, not as three walls.
    const step = Math.min(width / bars.length, 48);
    const scale = chart.max ? height / chart.max : 0;
    for (const [i, bar] of bars.entries()) {
      const x = i * step + step * 0.1;
      const w = Math.max(0.5, step * 0.8);
      const turns = bar.from === bar.to ? `turn ${bar.from}` : `turns ${bar.from}–${bar.to} (mean)`;
      const tip = `${turns}: ${bar.input} in (${bar.cacheRead} from cache)${bar.output !== undefined ? `, ${bar.output} out` : ''}`;
      const group = document.createElementNS(ns, 'g');
      const title = document.createElementNS(ns, 'title');
      title.textContent = tip;
      group.append(title);
      let y = height;
      const stack = (value: number, cls: string) => {
        const hgt = value * scale;
        y -= hgt;
        const r = document.createElementNS(ns, 'rect');
        r.setAttribute('x', x.toFixed(2));
        r.setAttribute('y', y.toFixed(2));
        r.setAttribute('width', w.toFixed(2));
        r.setAttribute('height', Math.max(0, hgt).toFixed(2));
        r.setAttribute('class', cls);
        group.append(r);
      };
      stack(bar.cacheRead, 'bar cached');
      stack(Math.max(0, bar.input - bar.cacheRead), 'bar input');
      if (bar.output !== undefined) stack(bar.output, 'bar output');
      svg.append(group);
    }
    parts.push(svg);
    parts.push(
      h(
        'div',
        { class: 'legend' },
        h('span', { class: 'key cached' }, 'cache read'),
        h('span', { class: 'key input' }, 'input'),
        chart.withOutput ? h('span', { class: 'key output' }, 'output') : undefined,
        ` max ${chart.max.toLocaleString('en-US')} tokens`,
      ),
    );
  }
  if (chart.note) parts.push(h('p', { class: 'note' }, chart.note));
  box.replaceChildren(...parts);
}

function showResults(results: ResultsView, previews: Preview[]): void {
  const box = byId('results');
  const parts: Node[] = [h('h2', {}, 'Results')];
  if (!results.files.length) parts.push(h('p', { class: 'note' }, 'No result files came home.'));
  else {
    const items = results.files.map((f) => {
      const link = h(
        'a',
        { href: '#', class: `file role-${f.role}`, 'data-file': f.path, title: `Open ${f.path}` },
        codicon(f.role === 'main' ? 'star-full' : f.preview === 'image' ? 'file-media' : 'file'),
        ` ${f.path}`,
        f.role === 'main' ? h('span', { class: 'tag' }, 'main output') : undefined,
      );
      link.addEventListener('click', (event) => {
        event.preventDefault();
        post({ type: 'open-file', file: f.path });
      });
      return h('li', {}, link);
    });
    parts.push(h('ul', { class: 'files' }, ...items));
  }
  for (const preview of previews) parts.push(previewElement(preview));
  if (results.stages.length) {
    parts.push(
      h('h2', {}, 'Evaluation stages'),
      h(
        'table',
        { class: 'stages' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Stage'), h('th', {}, 'Result'), h('th', {}, 'Message'))),
        h(
          'tbody',
          {},
          ...results.stages.map((s) =>
            h(
              'tr',
              { class: `outcome-${s.outcome}` },
              h('td', {}, s.name),
              h(
                'td',
                {},
                codicon(
                  s.outcome === 'pass'
                    ? 'pass'
                    : s.outcome === 'fail'
                      ? 'error'
                      : s.outcome === 'partial'
                        ? 'warning'
                        : 'question',
                ),
                ` ${s.outcome}`,
              ),
              h('td', {}, s.message ?? ''),
            ),
          ),
        ),
      ),
    );
  }
  box.replaceChildren(...parts);
}

function previewElement(preview: Preview): HTMLElement {
  const title = h('h3', {}, preview.file);
  switch (preview.kind) {
    case 'markdown': {
      const body = h('div', { class: 'markdown' });
      body.append(cleanHtml(preview.html));
      return h('section', { class: 'preview', 'data-preview': preview.file }, title, body);
    }
    case 'image':
      return h(
        'section',
        { class: 'preview', 'data-preview': preview.file },
        title,
        h('img', { src: preview.src, alt: preview.file }),
      );
    case 'json':
    case 'text':
      return h(
        'section',
        { class: 'preview', 'data-preview': preview.file },
        title,
        h('pre', {}, preview.text),
        preview.truncated
          ? h('p', { class: 'note' }, 'Only the start is shown; open the file for the rest.')
          : undefined,
      );
    case 'open':
      return h(
        'section',
        { class: 'preview', 'data-preview': preview.file },
        title,
        h('p', { class: 'note' }, 'Open it from the list above.'),
      );
  }
}

window.addEventListener('message', (event: MessageEvent<RunViewMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'run':
      state.folder = message.folder;
      state.file = message.file;
      state.title = message.header.runbook;
      save();
      rows.length = 0;
      haystacks.length = 0;
      details.clear();
      showHeader(message.header);
      showChart(message.chart);
      showResults(message.results, []);
      refilter();
      break;
    case 'header':
      showHeader(message.header);
      showChart(message.chart);
      break;
    case 'results':
      showResults(message.results, message.previews);
      break;
    case 'rows': {
      for (const row of message.rows) {
        const index = row[0];
        rows[index] = row;
        if (passes(row)) visible.push(index);
        if (expanded.has(index) && !details.has(index)) post({ type: 'detail', index });
      }
      byId('count').textContent =
        query || hidden.size ? `${visible.length} of ${rows.length}` : `${rows.length} events`;
      schedule();
      break;
    }
    case 'update': {
      let filtered = false;
      for (const row of message.rows) {
        const index = row[0];
        const before = rows[index];
        rows[index] = row;
        haystacks[index] = undefined;
        details.delete(index);
        if (expanded.has(index)) post({ type: 'detail', index });
        if (before && passes(before) !== passes(row)) filtered = true;
      }
      if (filtered) refilter();
      else schedule();
      break;
    }
    case 'detail':
      details.set(message.index, message.text);
      schedule();
      break;
  }
});

toolbar();
post({ type: 'ready' });
