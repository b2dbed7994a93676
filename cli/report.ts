/** How the command line prints a problem: one form everywhere, "Start row 5, District: …" (a CSV says "line"). */
import type { Problem } from "../core/domain/values.js";

interface ProblemLineOptions {
  /** "line" for a CSV file, whose problems are counted by line. */
  unit?: "row" | "line";
  /** Lead with "Error:" or "Warning:" (for outputs where both kinds are printed together). */
  severity?: boolean;
}

export function problemLine(problem: Problem, options: ProblemLineOptions = {}): string {
  const lead = options.severity ? (problem.severity === "error" ? "Error: " : "Warning: ") : "";
  return `${lead}${problem.sheet} ${options.unit ?? "row"} ${problem.row}, ${problem.column}: ${problem.message}`;
}
