// "Did you mean …?": the closest known word to a misspelt key, value or variable, when it is close enough to be a typo.

/**
 * Edit distance with adjacent transpositions (so `modle` is one step from `model`). Past `limit` the exact figure does
 * not matter: any value above it is returned as soon as it is certain, which keeps a long unknown word cheap.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const row = [i];
    let rowBest = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, prevPrev[j - 2]! + 1);
      row.push(best);
      if (best < rowBest) rowBest = best;
    }
    // Every later cell is at least its row's smallest: once that is past the limit, so is the answer.
    if (rowBest > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[cols - 1]!;
}

/** The candidate nearest to `word` (case-insensitive), if within a third of its length (at least 1, at most 3 edits). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    // A word contained in the candidate (`python312` → `python312-uv`) is a likely shortening, not a typo.
    const distance = c.startsWith(lower) && lower.length >= 4 ? 1 : editDistance(lower, c, limit);
    if (distance < bestDistance && distance <= limit) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
