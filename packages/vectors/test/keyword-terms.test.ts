import { describe, expect, it } from "vitest";

import { MAX_TERM_LENGTH, memoTermsOf } from "../src/keyword-terms";

describe("memoTermsOf", () => {
  it("keeps lower-cased words of two characters or more, once, in order", () => {
    expect(memoTermsOf("The cat, the CAT and a dog: 2024 ＡＩ café")).toEqual([
      "the",
      "cat",
      "and",
      "dog",
      "2024",
      "ai",
      "café",
    ]);
  });

  it("indexes unspaced scripts by characters and neighbouring pairs, next to the words around them", () => {
    expect(memoTermsOf("学习AI机器")).toEqual(["学", "学习", "习", "ai", "机", "机器", "器"]);
  });

  it("adds the prefixes of words from three characters for the indexed text, not of CJK pairs", () => {
    expect(memoTermsOf("Learning AI 学习", { prefixes: true })).toEqual([
      "lea",
      "lear",
      "learn",
      "learni",
      "learnin",
      "learning",
      "ai",
      "学",
      "学习",
      "习",
    ]);
  });

  it("cuts long words to a prefix and stops at the limit", () => {
    expect(memoTermsOf("x".repeat(100))).toEqual(["x".repeat(MAX_TERM_LENGTH)]);
    expect(memoTermsOf("one two three four", { limit: 2 })).toEqual(["one", "two"]);
  });
});
