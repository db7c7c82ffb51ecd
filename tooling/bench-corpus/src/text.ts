/**
 * Memo text for one topic: Chinese sentences, English sentences and mixed Chinese-English lines built from the
 * topic's words, laid out as real notes are (one-liners, paragraphs, Markdown with lists, headings, quotes, code
 * blocks), with URLs and emoji.
 */
import type { Random } from "./random";
import { zipf } from "./random";
import type { TopicFamily } from "./vocabulary";
import { CODE, COMMON_EN, COMMON_ZH, EMOJI, URL_HOSTS } from "./vocabulary";

export type Language = "zh" | "en" | "mixed";

export interface Topic {
  index: number;
  family: TopicFamily;
  /** The family's words in this topic's order of preference. */
  zh: string[];
  en: string[];
  rare: { zh: string; en: string };
  codeLanguage: string;
}

/** Chance that a sentence names its topic's rare pair: a few dozen uses per rare word in 20,000 memos. */
const RARE_WORD_CHANCE = 0.002;

const ZH_ADJECTIVES = ["重要", "麻烦", "有意思", "难", "简单", "好用", "贵", "方便", "慢", "快", "值得"];
const EN_ADJECTIVES = [
  "important",
  "tricky",
  "interesting",
  "hard",
  "easy",
  "useful",
  "slow",
  "fast",
  "solid",
];
const EN_VERBS = ["check", "fix", "compare", "write up", "look into", "clean up", "order", "book", "review"];

const ZH_TEMPLATES = [
  "{c}把{w}和{w}整理了一下，{c}{w}。",
  "关于{w}，{c}还是{w}比较{a}。",
  "{w}的问题{c}解决了，下一步是{w}。",
  "和朋友聊了{w}，{c}对{w}的理解更清楚了。",
  "记一下：{w}、{w}、{w}。",
  "{c}在看{w}相关的东西，{w}这块还要再研究。",
  "{w}真的太{a}了！",
  "为什么{w}会影响{w}？",
  "{c}{w}，然后{w}，最后{w}。",
  "不要忘了{w}。",
  "{w}比{w}{a}很多，{c}{w}。",
  "第一次尝试{w}，感觉{a}。",
  "{c}的{w}比预想的{a}，{w}也还行。",
];
const EN_TEMPLATES = [
  "{C} I looked into {w} and {w}.",
  "Note to self: {w} before {w}.",
  "The {w} issue is {a}; try {w} next.",
  "{w} vs {w}: {w} wins for now.",
  "Read about {w}, {c} {a}.",
  "Need to {v} the {w} {c}.",
  "Why does {w} affect {w}?",
  "{C}: {w}, {w} and {w}.",
  "Spent the evening on {w}; {w} was {a}.",
  "{w} turned out {a} once {w} was sorted.",
];
const MIXED_TEMPLATES = [
  "{c}研究了一下 {e}，{w}的部分还要看。",
  "{e} 的{w}终于搞定了 {m}",
  "把 {e} 和 {e} 对比了一下，{w}更{a}。",
  "{w}：{e} + {e}",
  "看了 {e} 的资料，{c}{w}。",
  "TODO: {w} / {e}",
  "{e} 这个思路挺{a}，可以用在{w}上。",
];

const fill = (template: string, slot: (name: string) => string) =>
  template.replace(/\{(\w)\}/g, (_, name: string) => slot(name));

export function createTextWriter(random: Random) {
  const familyWord = new Map<number, ReturnType<typeof zipf>>();
  const wordOf = (words: string[]) => {
    let draw = familyWord.get(words.length);
    if (!draw) familyWord.set(words.length, (draw = zipf(words.length, 0.9)));
    return words[draw(random)]!;
  };
  const commonZh = zipf(COMMON_ZH.length, 1);
  const commonEn = zipf(COMMON_EN.length, 1);

  const sentence = (topic: Topic, language: Language): string => {
    const zhWord = () => wordOf(topic.zh);
    const enWord = () => wordOf(topic.en);
    const slot = (name: string): string => {
      switch (name) {
        case "c":
          return language === "en" ? COMMON_EN[commonEn(random)]! : COMMON_ZH[commonZh(random)]!;
        case "C": {
          const word = COMMON_EN[commonEn(random)]!;
          return word[0]!.toUpperCase() + word.slice(1);
        }
        case "w":
          return language === "en" ? enWord() : zhWord();
        case "e":
          return enWord();
        case "a":
          return random.pick(language === "en" ? EN_ADJECTIVES : ZH_ADJECTIVES);
        case "v":
          return random.pick(EN_VERBS);
        default:
          return random.pick(EMOJI);
      }
    };
    const templates = language === "zh" ? ZH_TEMPLATES : language === "en" ? EN_TEMPLATES : MIXED_TEMPLATES;
    const text = fill(random.pick(templates), slot);
    if (!random.chance(RARE_WORD_CHANCE)) return text;
    const { zh, en } = topic.rare;
    return `${text}${language === "en" ? ` (${en})` : language === "zh" ? `（${zh}）` : `（${zh} / ${en}）`}`;
  };

  const url = (topic: Topic) =>
    `https://${random.pick(URL_HOSTS)}/${encodeURIComponent(wordOf(topic.en).replace(/ /g, "-"))}/${random.id("")}`;

  const paragraph = (topic: Topic, language: Language, sentences: number) => {
    const join = language === "en" ? " " : "";
    return Array.from({ length: sentences }, () => sentence(topic, language)).join(join);
  };

  const listBlock = (topic: Topic, language: Language) => {
    const kind = random.int(3);
    return Array.from({ length: 2 + random.int(5) }, (_, i) => {
      const item = random.chance(0.5)
        ? sentence(topic, language)
        : language === "en"
          ? wordOf(topic.en)
          : wordOf(topic.zh);
      return `${kind === 0 ? "- " : kind === 1 ? `${i + 1}. ` : random.chance(0.4) ? "- [x] " : "- [ ] "}${item}`;
    }).join("\n");
  };

  const codeBlock = (topic: Topic) => {
    const code = CODE[topic.codeLanguage]!;
    return `\`\`\`${topic.codeLanguage}\n${Array.from({ length: 2 + random.int(8) }, () => random.pick(code)).join("\n")}\n\`\`\``;
  };

  /** Text of about `length` characters in `language` (long ones switch language between paragraphs). */
  const memo = (topic: Topic, language: Language, length: number): string => {
    if (length < 160) {
      let text = sentence(topic, language);
      while (text.length < length * 0.8) text += (language === "en" ? " " : "") + sentence(topic, language);
      if (random.chance(0.15)) text += ` ${random.pick(EMOJI)}`;
      if (random.chance(0.08)) text += `\n${url(topic)}`;
      return text;
    }
    const blocks: string[] = [];
    let size = 0;
    const add = (block: string) => {
      blocks.push(block);
      size += block.length + 2;
    };
    if (length > 1200)
      add(
        `# ${language === "en" ? wordOf(topic.en) : wordOf(topic.zh)} ${random.chance(0.3) ? random.pick(EMOJI) : ""}`.trim(),
      );
    while (size < length * 0.9) {
      const local: Language = random.chance(0.8) ? language : random.pick(["zh", "en", "mixed"] as const);
      const roll = random.next();
      if (length > 1200 && roll < 0.12) add(`## ${local === "en" ? wordOf(topic.en) : wordOf(topic.zh)}`);
      else if (roll < 0.3) add(listBlock(topic, local));
      else if (roll < 0.36) add(`> ${sentence(topic, local)}`);
      else if (roll < (topic.family.key === "tech" ? 0.5 : 0.38)) add(codeBlock(topic));
      else if (roll < 0.42) add(url(topic));
      else add(paragraph(topic, local, 1 + random.int(4)));
    }
    if (random.chance(0.2)) add(random.pick(EMOJI));
    return blocks.join("\n\n");
  };

  return { memo, url };
}
