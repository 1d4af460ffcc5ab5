// A suite with one deliberately failing test, so the harness can prove that a failing integration assertion makes
// the runner (and so `npm test`) fail. It is never part of the real suite.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('harness self-check', () => {
  it('passes inside a real VS Code', () => {
    assert.equal(typeof vscode.version, 'string');
    assert.ok(vscode.workspace.workspaceFolders?.length, 'a workspace folder is open');
  });

  it('fails on purpose', () => {
    assert.equal(1 + 1, 3, 'deliberate failure from the harness self-check');
  });
});
