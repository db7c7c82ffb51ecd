/**
 * The realistic bench corpus: users with Zipf-skewed memo counts, memos whose lengths, languages, Markdown,
 * tags, categories and links look like a real AIMO store's, and embeddings clustered by topic so that the
 * text and the vector of a memo agree. The same options give the same corpus, memo for memo.
 */
import type { Language, Topic } from "./text";
import { createTextWriter } from "./text";
import { Random, weighted } from "./random";
import type { VectorMode } from "./vectors";
import { createVectorSpace, streamSeed } from "./vectors";
import { CODE, FAMILIES, RARE } from "./vocabulary";

export interface CorpusOptions {
  seed?: number;
  memos?: number;
  users?: number;
  dims?: number;
  topics?: number;
  vectors?: VectorMode;
}

/** Every user's login password: benches log in with it after migrating. */
export const BENCH_PASSWORD = "bench password";

export interface CorpusUser {
  index: number;
  uid: string;
  email: string;
  nickname: string;
  createdAt: number;
  memoCount: number;
  categories: { id: string; name: string; color: string | null; family: string | null }[];
  tags: { id: string; name: string; family: string }[];
}

export interface CorpusMemo {
  index: number;
  id: string;
  uid: string;
  topic: number;
  family: string;
  language: Language;
  content: string;
  categoryId: string | null;
  tagIds: string[];
  /** Earlier memos of the same user this memo links to. */
  links: string[];
  type: "text" | "audio" | "video" | null;
  source: string | null;
  isPublic: boolean;
  createdAt: number;
  updatedAt: number;
  /** Unit vector; empty when the memos were generated with `withVectors: false`. */
  vector: Float32Array;
}

/**
 * Memo counts per user: Zipf with exponent 0.6, which gives the heaviest of 10 users 22% of the memos (4,500
 * of 20,000, 22,000 of 100,000), as in the store the issue measured.
 */
const USER_EXPONENT = 0.6;
/** Lengths: 95.5% notes around 83 characters, 4.5% documents around 2,100; median ~90, p90 ~350, p99 ~3,900. */
const SHORT_MEDIAN = 83;
const SHORT_SIGMA = 0.86;
const LONG_SHARE = 0.045;
const LONG_MEDIAN = 2100;
const LONG_SIGMA = 1.1;
const MAX_LENGTH = 80_000;
const LANGUAGE_WEIGHTS = { zh: 0.26, en: 0.49, mixed: 0.25 };
const TAGGED_SHARE = 0.55;
const LINKED_SHARE = 0.1;
const CATEGORISED_SHARE = 0.6;
const START = Date.UTC(2019, 0, 1);
const END = Date.UTC(2025, 9, 1);
const COLORS = ["#f87171", "#60a5fa", "#34d399", "#fbbf24", "#a78bfa", null];

export type Corpus = ReturnType<typeof createCorpus>;

export function createCorpus(options: CorpusOptions = {}) {
  const settings = {
    seed: options.seed ?? 1,
    memos: options.memos ?? 20_000,
    users: options.users ?? 10,
    dims: options.dims ?? 1536,
    topics: options.topics ?? 300,
    vectors: options.vectors ?? "clustered",
  };
  const setup = new Random(streamSeed(settings.seed, 10, 0));

  const topics: Topic[] = Array.from({ length: settings.topics }, (_, index) => {
    const family = FAMILIES[index % FAMILIES.length]!;
    const codeLanguages = family.key === "tech" ? Object.keys(CODE) : ["sh", "py"];
    return {
      index,
      family,
      zh: setup.shuffled(family.zh),
      en: setup.shuffled(family.en),
      rare: RARE[index % RARE.length]!,
      codeLanguage: setup.pick(codeLanguages),
    };
  });
  const topicFamily = topics.map((t) => FAMILIES.indexOf(t.family));

  // Exact per-user counts (largest remainders), so the heaviest user's share does not drift with the seed.
  const shares = Array.from({ length: settings.users }, (_, rank) => 1 / (rank + 1) ** USER_EXPONENT);
  const shareSum = shares.reduce((a, b) => a + b, 0);
  const counts = shares.map((s) => Math.floor((s / shareSum) * settings.memos));
  const remainders = shares.map((s, i) => ({ i, r: (s / shareSum) * settings.memos - counts[i]! }));
  remainders.sort((a, b) => b.r - a.r);
  const deficit = settings.memos - counts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < deficit; k++) counts[remainders[k]!.i]!++;

  const users: CorpusUser[] = counts.map((memoCount, index) => {
    const uid = setup.id("u");
    const favourite = setup.shuffled(FAMILIES.map((_, f) => f));
    const categories: CorpusUser["categories"] = [
      { id: setup.id("c"), name: "日记", color: null, family: null },
    ];
    for (const f of favourite.slice(0, 4)) {
      const family = FAMILIES[f]!;
      if (!categories.some((c) => c.name === family.category))
        categories.push({
          id: setup.id("c"),
          name: family.category,
          color: setup.pick(COLORS),
          family: family.key,
        });
    }
    const tags = favourite
      .slice(0, 5)
      .flatMap((f) =>
        FAMILIES[f]!.tags.map((name) => ({ id: setup.id("t"), name, family: FAMILIES[f]!.key })),
      );
    return {
      index,
      uid,
      email: `bench${index}@example.test`,
      nickname: `Bench ${index}`,
      createdAt: START - (index + 1) * 86_400_000,
      memoCount,
      categories,
      tags,
    };
  });
  // Each user writes mostly about a few families, and within a family about a few topics.
  const topicOfUser = users.map(() => {
    const familyRank = setup.shuffled(FAMILIES.map((_, f) => f));
    const topicRank = setup.shuffled(topics.map((t) => t.index));
    const weights = topics.map(
      (t) =>
        1 /
        (familyRank.indexOf(topicFamily[t.index]!) + 1) /
        (topicRank.indexOf(t.index) / FAMILIES.length + 1) ** 0.8,
    );
    return weighted(weights);
  });

  const space = createVectorSpace(settings.seed, settings.dims, FAMILIES.length, topicFamily);
  /** Memos in creation order; each call yields the same sequence. Vectors cost time: skip them when unused. */
  function* memos({ withVectors = true } = {}): Generator<CorpusMemo> {
    const random = new Random(streamSeed(settings.seed, 20, 0));
    const text = createTextWriter(random);
    const remaining = [...counts];
    let left = settings.memos;
    const earlier = users.map(() => [] as string[]);
    const latestOfTopic = new Map<string, string>();
    const language = weighted(Object.values(LANGUAGE_WEIGHTS));
    const languages = Object.keys(LANGUAGE_WEIGHTS) as Language[];
    for (let index = 0; index < settings.memos; index++) {
      // Draw the author without replacement, so counts are exact and authors interleave over time.
      let draw = random.int(left);
      let u = 0;
      while (draw >= remaining[u]!) draw -= remaining[u++]!;
      remaining[u]!--;
      left--;
      const user = users[u]!;
      const topic = topics[topicOfUser[u]!(random)]!;
      const memoLanguage = languages[language(random)]!;
      const targetLength = Math.min(
        MAX_LENGTH,
        Math.max(
          2,
          Math.round(
            random.chance(LONG_SHARE)
              ? random.logNormal(LONG_MEDIAN, LONG_SIGMA)
              : random.logNormal(SHORT_MEDIAN, SHORT_SIGMA),
          ),
        ),
      );
      const content = text.memo(topic, memoLanguage, targetLength);
      const familyTags = user.tags.filter((t) => t.family === topic.family.key);
      const tagIds =
        familyTags.length && random.chance(TAGGED_SHARE)
          ? [
              ...new Set(
                Array.from(
                  { length: 1 + Math.floor(random.next() ** 2 * 3) },
                  () => random.pick(familyTags).id,
                ),
              ),
            ]
          : [];
      const category = user.categories.find((c) => c.family === topic.family.key);
      const categoryId = random.chance(CATEGORISED_SHARE)
        ? (category?.id ?? (random.chance(0.5) ? user.categories[0]!.id : null))
        : null;
      const history = earlier[u]!;
      const links: string[] = [];
      if (history.length && random.chance(LINKED_SHARE)) {
        const sameTopic = latestOfTopic.get(`${u}:${topic.index}`);
        if (sameTopic && random.chance(0.6)) links.push(sameTopic);
        for (let n = random.int(3); n > 0; n--) links.push(random.pick(history));
        if (!links.length) links.push(history[history.length - 1]!);
      }
      const id = random.id("m");
      const createdAt = Math.round(START + ((END - START) * (index + random.next())) / settings.memos);
      const edited = random.chance(0.15);
      const roll = random.next();
      const memo: CorpusMemo = {
        index,
        id,
        uid: user.uid,
        topic: topic.index,
        family: topic.family.key,
        language: memoLanguage,
        content,
        categoryId,
        tagIds,
        links: [...new Set(links)],
        type: roll < 0.97 ? "text" : roll < 0.98 ? "audio" : roll < 0.99 ? "video" : null,
        source: random.chance(0.08) ? text.url(topic) : null,
        isPublic: random.chance(0.03),
        createdAt,
        updatedAt: edited ? createdAt + random.int(30 * 86_400_000) : createdAt,
        vector: withVectors ? vectorOf(index, topic.index) : new Float32Array(0),
      };
      history.push(id);
      latestOfTopic.set(`${u}:${topic.index}`, id);
      yield memo;
    }
  }

  function vectorOf(index: number, topic: number) {
    const noiseSeed = streamSeed(settings.seed, 30, index);
    return settings.vectors === "clustered" ? space.near(topic, noiseSeed) : space.random(noiseSeed);
  }

  /** Query vectors near topics spread over all families, like the embedding of a question about them. */
  function semanticQueries(count: number): { topic: number; vector: Float32Array }[] {
    return Array.from({ length: count }, (_, i) => {
      const topic = (i * 7) % settings.topics;
      const noiseSeed = streamSeed(settings.seed, 40, i);
      return {
        topic,
        vector: settings.vectors === "clustered" ? space.near(topic, noiseSeed) : space.random(noiseSeed),
      };
    });
  }

  return { settings, users, topics, memos, semanticQueries };
}
