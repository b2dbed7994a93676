/**
 * The marker that says a sheet is ours: a very hidden sheet listing our sheet names with their stable keys.
 * Both hosts write and read it; a sheet with one of our names but not listed here is the team's own.
 */
export const META_SHEET = "IW_Meta";
export const META_HEADER = ["Sheet", "Key", "Format"] as const;
export const META_FORMAT_VERSION = 1;

export function metaRows(specs: { name: string; key: string }[]): (string | number)[][] {
  return [[...META_HEADER], ...specs.map((s) => [s.name, s.key, META_FORMAT_VERSION])];
}

/** Sheet name -> key, from the meta sheet's grid. */
export function readMetaGrid(grid: (string | number | boolean | null)[][]): Map<string, string> {
  const map = new Map<string, string>();
  for (const row of grid.slice(1)) {
    const [sheet, key] = row;
    if (typeof sheet === "string" && typeof key === "string" && sheet && key) map.set(sheet, key);
  }
  return map;
}
