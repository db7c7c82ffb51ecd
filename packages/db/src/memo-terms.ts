/** Scripts written without spaces between words: indexed as single characters and character pairs. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
/** The longest term kept (characters); longer words are indexed, and searched, by this prefix. */
export const MAX_TERM_LENGTH = 32;
/** A memo indexes at most this many distinct terms (a 1 MB memo would otherwise write hundreds of thousands). */
export const MAX_TERMS_PER_MEMO = 20_000;

/**
 * The search terms of a text, in order of first appearance, without repeats: lower-cased NFKC words of two
 * characters or more; in unspaced scripts (CJK, Thai), every character and every pair of neighbours, so
 * "机器学习的基础" is found by "学习" and by "机器学习入门".
 */
export function memoTermsOf(text: string, limit = MAX_TERMS_PER_MEMO): string[] {
  const terms = new Set<string>();
  const add = (term: string) => {
    if (terms.size < limit) terms.add([...term].slice(0, MAX_TERM_LENGTH).join(""));
  };
  for (const [token] of text.normalize("NFKC").toLowerCase().matchAll(TOKEN)) {
    if (terms.size >= limit) break;
    let run: string[] = [];
    const flushSpaced = () => {
      if (run.length >= 2) add(run.join(""));
      run = [];
    };
    const chars = [...token];
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
