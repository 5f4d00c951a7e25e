/**
 * Quick Open's fuzzy file matching, in the spirit of VS Code's: the query's characters must
 * appear in order in the path; matches in the file name, at word starts and in a row score
 * higher, so "smain" finds src/main.py before some/other/module_ain.py.
 */
export interface FuzzyMatch {
  readonly path: string;
  readonly score: number;
  /** Indexes into `relative` of the matched characters, for highlighting. */
  readonly positions: readonly number[];
  readonly relative: string;
}

function isWordStart(text: string, index: number): boolean {
  if (index === 0) return true;
  const before = text[index - 1];
  return before === '/' || before === '\\' || before === '_' || before === '-' || before === '.' || before === ' ' ||
    (text[index] !== text[index].toLowerCase() && before === before.toLowerCase());
}

/** Scores one candidate; null when the query's characters are not all in it, in order. */
export function fuzzyScore(query: string, relative: string): { score: number; positions: number[] } | null {
  const needle = query.replace(/\s+/g, '').toLowerCase();
  if (!needle) return { score: 0, positions: [] };
  const haystack = relative.toLowerCase();
  const nameStart = Math.max(relative.lastIndexOf('/'), relative.lastIndexOf('\\')) + 1;
  // Prefer matching inside the file name: try from the name first, then from the start.
  for (const start of nameStart > 0 ? [nameStart, 0] : [0]) {
    const positions: number[] = [];
    let from = start;
    for (const char of needle) {
      const found = haystack.indexOf(char, from);
      if (found < 0) break;
      positions.push(found);
      from = found + 1;
    }
    if (positions.length !== needle.length) continue;
    let score = 0;
    positions.forEach((position, index) => {
      score += 1;
      if (position >= nameStart) score += 2;
      if (isWordStart(relative, position)) score += 3;
      if (index > 0 && positions[index - 1] === position - 1) score += 4;
    });
    if (haystack.slice(nameStart).startsWith(needle)) score += 10;
    score -= relative.length / 100;
    return { score, positions };
  }
  return null;
}

export function fuzzyFilter(query: string, files: readonly string[], folder: string, limit = 50): FuzzyMatch[] {
  const matches: FuzzyMatch[] = [];
  for (const path of files) {
    const relative = path.startsWith(folder) ? path.slice(folder.length + 1) : path;
    const result = fuzzyScore(query, relative);
    if (result) matches.push({ path, relative, score: result.score, positions: result.positions });
  }
  matches.sort((a, b) => b.score - a.score || a.relative.localeCompare(b.relative));
  return matches.slice(0, limit);
}
