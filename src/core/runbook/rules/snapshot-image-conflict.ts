// `snapshot` and `image` both name the sandbox's image; Jetty takes one or the other, never both.
import { removeEntry } from '../edits';
import type { Rule } from '../lint';

export const snapshotImageConflict: Rule = {
  code: 'snapshot-image-conflict',
  severity: 'error',
  description: '`snapshot` and `image` are both set.',
  check(runbook) {
    const snapshot = runbook.entry('snapshot');
    const image = runbook.entry('image');
    if (!snapshot || !image) return [];
    const later = image.keySpan.start > snapshot.keySpan.start ? image : snapshot;
    return [
      {
        message:
          '`snapshot` and `image` exclude each other: Jetty documents them as alternatives, and the sandbox starts from only one image. Keep the one it should start from.',
        range: later.keyRange,
        fixes: [
          { title: 'Remove `image`', edits: [removeEntry(runbook, image.keySpan, image.valueSpan)] },
          { title: 'Remove `snapshot`', edits: [removeEntry(runbook, snapshot.keySpan, snapshot.valueSpan)] },
        ],
      },
    ];
  },
};
