// The comparison's page script: lays out the comparison the extension sends (src/core/view/comparison.ts), a column
// per run: the header figures with the best of each row marked, the commands aligned with their exit codes, the result
// files each run has; a file two runs both have opens VS Code's diff editor between them.
import type { Comparison } from '../core/view/comparison';
import { commandCell } from '../core/view/protocol';
import type { ComparisonMessage, ComparisonRequest, ComparisonState } from '../core/view/protocol';
import { byId, codicon, h, vscodeApi } from './dom';

const api = vscodeApi<ComparisonState>();
const post = (request: ComparisonRequest) => api.postMessage(request);

function columnHeads(c: Comparison, first: string): HTMLElement {
  return h(
    'tr',
    {},
    h('th', {}, first),
    ...c.columns.map((col, i) => {
      const open = h('button', { class: 'cell', title: 'Open this run' }, col.runbook);
      open.addEventListener('click', () => post({ type: 'open-run', column: i }));
      return h(
        'th',
        { class: 'run', 'data-column': String(i) },
        open,
        h('div', { class: 'note' }, [col.agent, col.model].filter(Boolean).join(' · ')),
        h('div', { class: 'note' }, [col.provider, col.status].filter(Boolean).join(' · ')),
      );
    }),
  );
}

function show(c: Comparison): void {
  const figures = h(
    'table',
    { class: 'compare', id: 'figure-table' },
    h('thead', {}, columnHeads(c, '')),
    h(
      'tbody',
      {},
      ...c.rows.map((row) =>
        h(
          'tr',
          { 'data-row': row.key },
          h('th', {}, row.label),
          ...row.cells.map((cell) =>
            h(
              'td',
              {
                class: `num${cell.best ? ' best' : ''}`,
                title: cell.best ? `best (${row.better} is better)` : undefined,
              },
              cell.text,
              cell.best ? codicon('star-full', 'best') : undefined,
            ),
          ),
        ),
      ),
    ),
  );

  const commands = c.commands.length
    ? h(
        'table',
        { class: 'compare', id: 'command-table' },
        h('thead', {}, columnHeads(c, 'Command')),
        h(
          'tbody',
          {},
          ...c.commands.map((row) =>
            h(
              'tr',
              {},
              h('td', { class: 'cmd', title: row.command }, row.command),
              ...row.cells.map((cell) =>
                cell
                  ? h(
                      'td',
                      {
                        class: `exit-cell${cell.stopped || (cell.exitCode !== 0 && cell.exitCode !== undefined) ? ' tone-fail' : ''}`,
                      },
                      commandCell(cell),
                    )
                  : h('td', { class: 'absent' }, '—'),
              ),
            ),
          ),
        ),
      )
    : h('p', { class: 'note' }, 'No run ran a shell command.');
  const leftOut = c.commandsLeftOut.some((n) => n > 0)
    ? h(
        'p',
        { class: 'note' },
        `Only the first commands of each run are aligned (${c.commandsLeftOut.join(', ')} more left out).`,
      )
    : undefined;

  const files = c.files.length
    ? h(
        'table',
        { class: 'compare', id: 'file-table' },
        h('thead', {}, columnHeads(c, 'Result file')),
        h(
          'tbody',
          {},
          ...c.files.map((row) => {
            const first = row.present.indexOf(true);
            return h(
              'tr',
              {},
              h('td', { class: 'cmd' }, row.file),
              ...row.present.map((present, column) => {
                if (!present) return h('td', { class: 'absent' }, '—');
                const diff = column !== first;
                const button = h(
                  'button',
                  { class: 'cell', title: diff ? `Compare with column ${first + 1}` : 'Open' },
                  codicon(diff ? 'diff' : 'go-to-file'),
                  diff ? ' diff' : ' open',
                );
                button.addEventListener('click', () =>
                  post(
                    diff
                      ? { type: 'diff', file: row.file, left: first, right: column }
                      : { type: 'open-file', file: row.file, column },
                  ),
                );
                return h('td', {}, button);
              }),
            );
          }),
        ),
      )
    : h('p', { class: 'note' }, 'No run has result files.');

  byId('comparison').replaceChildren(
    h('h1', {}, `Comparing ${c.columns.length} runs`),
    figures,
    h('h2', {}, 'Commands'),
    commands,
    leftOut ?? '',
    h('h2', {}, 'Result files'),
    files,
  );
  document.body.dataset.columns = String(c.columns.length);
}

window.addEventListener('message', (event: MessageEvent<ComparisonMessage>) => {
  if (event.data.type === 'comparison') {
    const folders = event.data.comparison.columns.map((col) => col.folder).filter((f): f is string => Boolean(f));
    api.setState({ folders });
    show(event.data.comparison);
  }
});

post({ type: 'ready' });
