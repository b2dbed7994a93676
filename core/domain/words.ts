// Words the product puts around numbers and names, one home for each rule.

/** "1 flag", "3 flags", "1,200 rows": a count with its noun, grouped as US English writes numbers. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** "a", "a and b", "a, b and c" (or "a, b or c"): a list as a sentence says it. */
export function listInWords(items: readonly (string | number)[], conjunction: "and" | "or" = "and"): string {
  const words = items.map(String);
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} ${conjunction} ${words.at(-1)}`;
}

/** Names in double quotes listed as a sentence says them: "Fidelity" and "Coaching". */
export function quotedList(names: readonly string[]): string {
  return listInWords(names.map((n) => `"${n}"`));
}
