// "Did you mean ...?" for misspelt names: kinds, parameters, layer ids, losses, optimizers.

/** Levenshtein distance, with an early exit once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** Lower case without separators, so `Max_Pool2d`, `maxpool2d` and `MaxPool2D` compare equal. */
function fold(s: string): string {
  return s.toLowerCase().replace(/[\s_-]/g, '');
}

/**
 * The candidate the written name most likely meant, or undefined when none is close:
 * an alias or a match ignoring case and separators first, then the smallest edit distance
 * within a third of the name's length (at least 1, at most 3).
 */
export function closest(
  written: string,
  candidates: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  const folded = fold(written);
  if (folded === '') return undefined;
  for (const c of candidates) if (fold(c) === folded) return c;
  for (const [alias, target] of Object.entries(aliases)) if (fold(alias) === folded) return target;
  const limit = Math.min(3, Math.max(1, Math.floor(folded.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = editDistance(folded, fold(c), limit);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
