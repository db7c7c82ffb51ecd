import { describe, expect, it } from "vitest";

import { MAX_TERM_LENGTH, memoTermsOf } from "../src";

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

  it("cuts long words to a prefix and stops at the limit", () => {
    expect(memoTermsOf("x".repeat(100))).toEqual(["x".repeat(MAX_TERM_LENGTH)]);
    expect(memoTermsOf("one two three four", 2)).toEqual(["one", "two"]);
  });
});
