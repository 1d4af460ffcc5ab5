import assert from 'node:assert/strict';
import { findTemplateVariables, renderTemplate, secretName } from '../../../../src/core/runbook/template';

describe('template variables', () => {
  it('finds variables with exact offsets, with or without spaces inside the braces', () => {
    const text = 'a {{results_dir}} b {{ secrets.GH_TOKEN }} c';
    const found = findTemplateVariables(text);
    assert.deepEqual(
      found.map((v) => [v.name, text.slice(v.start, v.end), text.slice(v.nameStart, v.nameEnd)]),
      [
        ['results_dir', '{{results_dir}}', 'results_dir'],
        ['secrets.GH_TOKEN', '{{ secrets.GH_TOKEN }}', 'secrets.GH_TOKEN'],
      ],
    );
  });

  it('ignores braces that hold no variable name, and finds the variable inside triple braces', () => {
    const text = '{{}} {{ 1 + 2 }} {{#each x}} {{{inner}}} {{ a b }} {{x';
    assert.deepEqual(
      findTemplateVariables(text).map((v) => v.name),
      ['inner'],
    );
  });

  it('limits the search to a range', () => {
    const text = '{{a}} {{b}} {{c}}';
    assert.deepEqual(
      findTemplateVariables(text, 1, 12).map((v) => v.name),
      ['b'],
    );
  });

  it('renders known variables and leaves unknown ones as written', () => {
    const out = renderTemplate('to {{ results_dir }}/x and {{secrets.KEY}} and {{other}}', (name) =>
      name === 'results_dir' ? '/app/results' : name === 'secrets.KEY' ? 'v' : undefined,
    );
    assert.equal(out, 'to /app/results/x and v and {{other}}');
  });

  it('names the secret of secrets.NAME only', () => {
    assert.equal(secretName('secrets.GH'), 'GH');
    assert.equal(secretName('secrets.A.B'), undefined);
    assert.equal(secretName('results_dir'), undefined);
  });
});
