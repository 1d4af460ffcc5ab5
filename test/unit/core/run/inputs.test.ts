// What a run is given besides its runbook: parameters filled into the body in one pass (secrets stay references, the
// sandbox's folders are left for later, a value is never read as a template), those given none named; `--var`,
// an example's input.json in the gallery's shapes, and input files checked before anything starts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  assetName,
  checkInputFiles,
  InputError,
  parseVar,
  readInputJson,
  runParameters,
} from '../../../../src/core/run/inputs';
import { renderRunbookBody, unfilledParameters } from '../../../../src/core/run/render';

describe('run parameters', () => {
  const body = [
    '**Operation:** {{operation}}',
    'Write to {{results_dir}}/out.json, read {{assets_dir}}/input.pdf, clone with {{secrets.GH}}.',
    'Top {{ top_n }} rows; {{operation}} again.',
  ].join('\n');
  const front = { secrets: { GH: { env: 'GH_TOKEN' } } };

  it('fills the given parameters, makes secrets references and leaves the folders for the sandbox', () => {
    assert.equal(
      renderRunbookBody(body, front, { operation: 'extract-tables {{secrets.GH}} {{top_n}}', top_n: '5' }),
      [
        '**Operation:** extract-tables {{secrets.GH}} {{top_n}}',
        'Write to {{results_dir}}/out.json, read {{assets_dir}}/input.pdf, clone with ${GH_TOKEN}.',
        'Top 5 rows; extract-tables {{secrets.GH}} {{top_n}} again.',
      ].join('\n'),
    );
  });

  it('a parameter named like a folder never replaces it; those given none are named once each, in order', () => {
    assert.match(renderRunbookBody(body, front, { results_dir: '/elsewhere' }), /Write to \{\{results_dir\}\}/);
    assert.deepEqual(unfilledParameters(body, {}), ['operation', 'top_n']);
    assert.deepEqual(unfilledParameters(body, { top_n: '3' }), ['operation']);
    assert.deepEqual(
      runParameters(`---\nagent: codex\n---\n${body}\n`).map((p) => p.name),
      ['operation', 'top_n'],
    );
  });

  it('asks for the declared parameters with their defaults and descriptions, then the undeclared ones used', () => {
    const text = [
      '---',
      'agent: claude-code',
      '---',
      '## Parameters',
      '',
      '| Parameter | Template Variable | Default | Description |',
      '|---|---|---|---|',
      '| Operation | `{{operation}}` | *(required)* | What to do with the PDF |',
      '| Top rows | `{{top_n}}` | `10` | How many rows to keep |',
      '',
      '## Step 1',
      'Do {{operation}} for the top {{top_n}} rows in {{language}}.',
      '',
    ].join('\n');
    assert.deepEqual(runParameters(text), [
      { name: 'operation', required: true, description: 'What to do with the PDF' },
      { name: 'top_n', required: false, description: 'How many rows to keep', default: '10' },
      { name: 'language', required: false },
    ]);
  });

  it('--var NAME=VALUE: the value is everything after the first =; a bad name or a secret is refused in words', () => {
    assert.deepEqual(parseVar('operation=merge a=b'), ['operation', 'merge a=b']);
    assert.deepEqual(parseVar('empty='), ['empty', '']);
    assert.throws(() => parseVar('no-equals'), /--var takes NAME=VALUE/);
    assert.throws(() => parseVar('secrets.GH=x'), /is a secret, not a parameter/);
  });
});

describe('input files', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inputs-test-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads an example’s input.json: params.vars as text, files relative to it under their filename', () => {
    const file = path.join(dir, 'examples', 'invoice', 'input.json');
    const json = {
      title: 'Invoice to JSON',
      prompt: 'Extract every table.',
      params: { vars: { operation: 'extract-tables', max_rounds: 3, judge: true, nested: { no: 1 }, none: null } },
      files: [
        { path: 'input.pdf', filename: 'northwind-invoice.pdf', mime_type: 'application/pdf', pages: 1 },
        { path: '../shared/template.xlsx', role: 'template' },
      ],
    };
    assert.deepEqual(readInputJson(JSON.stringify(json), file), {
      parameters: { operation: 'extract-tables', max_rounds: '3', judge: 'true' },
      files: [
        { name: 'northwind-invoice.pdf', path: path.join(dir, 'examples', 'invoice', 'input.pdf') },
        { name: 'template.xlsx', path: path.join(dir, 'examples', 'shared', 'template.xlsx') },
      ],
    });
    assert.deepEqual(readInputJson('{"params": {"prompt": "A hex standoff"}}', file).parameters, {
      prompt: 'A hex standoff',
    });
  });

  it('refuses what cannot be an input: not JSON, a file without a path, a hidden or empty name', () => {
    assert.throws(() => readInputJson('{', 'input.json'), /input\.json is not JSON/);
    assert.throws(() => readInputJson('[1]', 'input.json'), /is not a JSON object/);
    assert.throws(() => readInputJson('{"files": [{"filename": "a"}]}', 'input.json'), /needs a "path"/);
    assert.throws(() => assetName('.envrc'), InputError);
    assert.throws(() => assetName('dir/'), InputError);
    assert.equal(assetName('/some/where/report.pdf'), 'report.pdf');
  });

  it('checks every file before a run: it exists, is a file, names are distinct', async () => {
    fs.writeFileSync(path.join(dir, 'a.pdf'), 'pdf');
    fs.mkdirSync(path.join(dir, 'folder'));
    await checkInputFiles([{ name: 'a.pdf', path: path.join(dir, 'a.pdf') }]);
    await assert.rejects(checkInputFiles([{ name: 'x.pdf', path: path.join(dir, 'x.pdf') }]), /does not exist/);
    await assert.rejects(checkInputFiles([{ name: 'folder', path: path.join(dir, 'folder') }]), /is not a file/);
    await assert.rejects(
      checkInputFiles([
        { name: 'a.pdf', path: path.join(dir, 'a.pdf') },
        { name: 'a.pdf', path: path.join(dir, 'a.pdf') },
      ]),
      /two input files are named a\.pdf/,
    );
  });
});
