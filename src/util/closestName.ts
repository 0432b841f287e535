/**
 * The name among `names` that `typo` most likely meant, or undefined when none
 * is close: a case-insensitive edit distance (a swap of two neighbours counts
 * as one edit) of at most a third of the name, or at least 2, or a prefix
 * (`maxWait` for `maxWaitTime`).
 * @example
 * ```ts
 * closestName('pagesize', ['pageSize', 'maxItems']); // 'pageSize'
 * closestName('colour', ['pageSize', 'maxItems']); // undefined
 * ```
 * @internal
 */
export function closestName(typo: string, names: Iterable<string>): string | undefined {
  const wanted = typo.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const candidate = name.toLowerCase();
    const distance = candidate.startsWith(wanted) || wanted.startsWith(candidate) ? 1 : editDistance(wanted, candidate);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(typo.length / 3)) ? best : undefined;
}

/** Levenshtein distance with transpositions (optimal string alignment). */
function editDistance(a: string, b: string): number {
  // Rows i-2, i-1 and i of the usual table.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      row.push(value);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length]!;
}
