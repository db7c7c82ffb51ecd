import type { Corpus } from "./corpus";

/** Han ideographs, CJK punctuation and full-width forms. */
const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/gu;

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** What a corpus looks like, read from its memos (their text only, not their vectors). */
export function corpusStats(corpus: Corpus) {
  const lengths: number[] = [];
  let characters = 0;
  let cjk = 0;
  let tagged = 0;
  let tagLinks = 0;
  let links = 0;
  let categorised = 0;
  const perUser = new Map<string, number>();
  for (const memo of corpus.memos({ withVectors: false })) {
    let length = 0;
    for (const _ of memo.content) length++;
    lengths.push(length);
    characters += length;
    cjk += memo.content.match(CJK)?.length ?? 0;
    if (memo.tagIds.length) tagged++;
    tagLinks += memo.tagIds.length;
    links += memo.links.length;
    if (memo.categoryId) categorised++;
    perUser.set(memo.uid, (perUser.get(memo.uid) ?? 0) + 1);
  }
  lengths.sort((a, b) => a - b);
  const heaviest = Math.max(...perUser.values());
  return {
    memos: lengths.length,
    users: corpus.users.length,
    heaviestUserMemos: heaviest,
    heaviestUserShare: heaviest / lengths.length,
    length: {
      p50: percentile(lengths, 0.5),
      p90: percentile(lengths, 0.9),
      p99: percentile(lengths, 0.99),
      max: lengths[lengths.length - 1] ?? 0,
    },
    characters,
    cjkShare: cjk / characters,
    taggedShare: tagged / lengths.length,
    tagLinks,
    tags: corpus.users.reduce((n, u) => n + u.tags.length, 0),
    categories: corpus.users.reduce((n, u) => n + u.categories.length, 0),
    categorisedShare: categorised / lengths.length,
    links,
    topics: corpus.settings.topics,
    vectors: `${corpus.settings.vectors}, ${corpus.settings.dims} dims`,
  };
}

/** One paragraph a bench prints before its figures. */
export function describeCorpus(corpus: Corpus): string {
  const s = corpusStats(corpus);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `corpus (seed ${corpus.settings.seed}): ${s.memos} memos, ${s.users} users, heaviest user ${s.heaviestUserMemos} memos (${pct(s.heaviestUserShare)})`,
    `  length in characters: median ${s.length.p50}, p90 ${s.length.p90}, p99 ${s.length.p99}, max ${s.length.max}; ` +
      `${(s.characters / 1e6).toFixed(1)} M characters, ${pct(s.cjkShare)} CJK`,
    `  ${s.tags} tags on ${pct(s.taggedShare)} of memos (${s.tagLinks} links), ${s.categories} categories on ${pct(s.categorisedShare)}, ` +
      `${s.links} memo links; ${s.topics} topics, vectors ${s.vectors}`,
  ].join("\n");
}
