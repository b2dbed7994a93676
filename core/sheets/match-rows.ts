/**
 * Rows matched by their content as a person would: the same key, else the same key but for a reworded last part
 * (kept plan notes follow their item, team cells follow their row).
 */
/**
 * Pairs (old index, new index) of row keys (each a list of cell texts): equal keys first, in order; then, among what
 * is left, rows equal in every part but the last whose last part shares at least half its words (a reworded item),
 * the most similar first. Null keys never match.
 */
export function matchKeys(oldKeys: (string[] | null)[], newKeys: (string[] | null)[]): [number, number][] {
  const join = (k: string[]) => k.join("\u0001");
  const pairs: [number, number][] = [];
  const usedNew = new Uint8Array(newKeys.length);
  const usedOld = new Uint8Array(oldKeys.length);
  const byKey = new Map<string, number[]>();
  newKeys.forEach((k, i) => {
    if (k === null) return;
    const key = join(k);
    const rows = byKey.get(key);
    if (rows) rows.push(i);
    else byKey.set(key, [i]);
  });
  oldKeys.forEach((k, i) => {
    if (k === null) return;
    const n = byKey.get(join(k))?.shift();
    if (n === undefined) return;
    pairs.push([i, n]);
    usedOld[i] = 1;
    usedNew[n] = 1;
  });
  // Only rows of the same length and the same parts but the last can pair: grouped by that, so the rows left are
  // compared within their group, not every old row with every new one.
  const prefix = (k: string[]) => `${k.length}\u0002${join(k.slice(0, -1))}`;
  const lastWords = (k: string[]) => words(k[k.length - 1] ?? "");
  const candidates = new Map<string, { n: number; words: Set<string> }[]>();
  newKeys.forEach((m, n) => {
    if (m === null || usedNew[n]) return;
    const key = prefix(m);
    const group = candidates.get(key);
    const entry = { n, words: lastWords(m) };
    if (group) group.push(entry);
    else candidates.set(key, [entry]);
  });
  const scored: { o: number; n: number; score: number }[] = [];
  oldKeys.forEach((k, o) => {
    if (k === null || usedOld[o]) return;
    const group = candidates.get(prefix(k));
    if (!group) return;
    const mine = lastWords(k);
    for (const { n, words: theirs } of group) {
      const score = wordSimilarity(mine, theirs);
      if (score >= 0.5) scored.push({ o, n, score });
    }
  });
  scored.sort((a, b) => b.score - a.score || a.o - b.o);
  for (const { o, n } of scored) {
    if (usedOld[o] || usedNew[n]) continue;
    pairs.push([o, n]);
    usedOld[o] = 1;
    usedNew[n] = 1;
  }
  return pairs;
}

/** Shared words over all words (Dice), ignoring case, punctuation and word order. */
export function similarity(a: string, b: string): number {
  return wordSimilarity(words(a), words(b));
}

function words(s: string): Set<string> {
  return new Set(
    s
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  );
}

function wordSimilarity(x: Set<string>, y: Set<string>): number {
  if (!x.size || !y.size) return 0;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return (2 * shared) / (x.size + y.size);
}
