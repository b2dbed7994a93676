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
  const usedNew = new Set<number>();
  const usedOld = new Set<number>();
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
    usedOld.add(i);
    usedNew.add(n);
  });
  const scored: { o: number; n: number; score: number }[] = [];
  oldKeys.forEach((k, o) => {
    if (k === null || usedOld.has(o)) return;
    newKeys.forEach((m, n) => {
      if (m === null || usedNew.has(n) || m.length !== k.length || join(m.slice(0, -1)) !== join(k.slice(0, -1)))
        return;
      const score = similarity(k[k.length - 1] ?? "", m[m.length - 1] ?? "");
      if (score >= 0.5) scored.push({ o, n, score });
    });
  });
  scored.sort((a, b) => b.score - a.score || a.o - b.o);
  for (const { o, n } of scored) {
    if (usedOld.has(o) || usedNew.has(n)) continue;
    pairs.push([o, n]);
    usedOld.add(o);
    usedNew.add(n);
  }
  return pairs;
}

/** Shared words over all words (Dice), ignoring case, punctuation and word order. */
export function similarity(a: string, b: string): number {
  const words = (s: string) =>
    new Set(
      s
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean),
    );
  const x = words(a);
  const y = words(b);
  if (!x.size || !y.size) return 0;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return (2 * shared) / (x.size + y.size);
}
