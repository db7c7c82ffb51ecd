/** Scripts written without spaces between words: indexed as single characters and character pairs. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
/** The longest term kept (characters); longer words are indexed, and searched, by this prefix. */
export const MAX_TERM_LENGTH = 32;
/** A memo indexes at most this many distinct terms (a 1 MB memo would otherwise index hundreds of thousands). */
export const MAX_TERMS_PER_MEMO = 20_000;
/** Words are also indexed by their prefixes from this length, so "learn" finds "learning" but "le" does not. */
export const MIN_PREFIX_LENGTH = 3;

export interface TermOptions {
  /** At most this many distinct terms. */
  limit?: number;
  /** Also the prefixes of words (for the indexed text; a query's words are matched against them). */
  prefixes?: boolean;
}

/**
 * The search terms of a text, in order of first appearance, without repeats: lower-cased NFKC words of two
 * characters or more (with `prefixes`, also their prefixes); in unspaced scripts (CJK, Thai), every character
 * and every pair of neighbours, so "机器学习的基础" is found by "学习" and by "机器学习入门".
 */
export function memoTermsOf(text: string, options: TermOptions = {}): string[] {
  const { limit = MAX_TERMS_PER_MEMO, prefixes = false } = options;
  const terms = new Set<string>();
  // Hot in bulk loads: a term is only split into characters when it may be too long (length counts UTF-16 units).
  const add = (term: string) => {
    if (terms.size < limit)
      terms.add(term.length > MAX_TERM_LENGTH ? [...term].slice(0, MAX_TERM_LENGTH).join("") : term);
  };
  const addWord = (chars: string[]) => {
    if (prefixes) {
      const end = Math.min(chars.length, MAX_TERM_LENGTH);
      let prefix = chars.slice(0, MIN_PREFIX_LENGTH - 1).join("");
      for (let n = MIN_PREFIX_LENGTH; n < end; n++) add((prefix += chars[n - 1]!));
    }
    add(chars.join(""));
  };
  for (const [token] of text.normalize("NFKC").toLowerCase().matchAll(TOKEN)) {
    if (terms.size >= limit) break;
    const chars = [...token];
    if (!UNSPACED.test(token)) {
      if (chars.length >= 2) addWord(chars);
      continue;
    }
    let run: string[] = [];
    const flushSpaced = () => {
      if (run.length >= 2) addWord(run);
      run = [];
    };
    for (let i = 0; i < chars.length; i++) {
      const char = chars[i]!;
      if (!UNSPACED.test(char)) {
        run.push(char);
        continue;
      }
      flushSpaced();
      add(char);
      const next = chars[i + 1];
      if (next !== undefined && UNSPACED.test(next)) add(char + next);
    }
    flushSpaced();
  }
  return [...terms];
}
