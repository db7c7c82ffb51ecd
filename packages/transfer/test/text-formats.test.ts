import { describe, expect, it } from "vitest";

import { FrontMatterError, hashtags, readMarkdown, writeMarkdown } from "../src/front-matter";
import { zonedTime } from "../src/import/sources/flomo";

describe("front matter", () => {
  it("gives back the body exactly as written, whatever it starts or ends with", () => {
    for (const body of [
      "",
      "plain",
      "---\nlooks: like front matter\n---\ntext",
      "trailing\n\n",
      "中文 #标签\r\nline",
    ]) {
      const file = writeMarkdown({ id: "m1", tags: ["a: b", "#c"], public: false }, body);
      expect(readMarkdown(file)).toEqual({ data: { id: "m1", tags: ["a: b", "#c"], public: false }, body });
    }
  });

  it("reads files without front matter as all body, and refuses front matter that is not a mapping", () => {
    expect(readMarkdown("# Title\ntext")).toEqual({ data: {}, body: "# Title\ntext" });
    expect(readMarkdown("\uFEFF---\ntags: x\n---\nbody").data).toEqual({ tags: "x" });
    expect(() => readMarkdown("---\n- a list\n---\nbody")).toThrow(FrontMatterError);
    expect(() => readMarkdown("---\ntags: [open\n---\nbody")).toThrow(/not valid YAML/);
    expect(() => readMarkdown("---\ntags: a\nno end")).toThrow(/never closed/);
  });

  it("finds #hashtags in any script, not headings, anchors inside URLs or numbers", () => {
    expect(hashtags("#one two #二 #a/b- # heading\n## h2 https://x.y/#frag a#b #42 #one")).toEqual([
      "one",
      "二",
      "a/b",
    ]);
  });
});

describe("flomo times", () => {
  it("reads a wall-clock time in the writer's zone, across daylight saving changes", () => {
    expect(zonedTime("2023-06-07 08:09:10", "Asia/Shanghai")).toEqual(new Date("2023-06-07T00:09:10Z"));
    expect(zonedTime("2023-07-01 12:00:00", "Europe/Berlin")).toEqual(new Date("2023-07-01T10:00:00Z"));
    expect(zonedTime("2023-01-01 12:00", "Europe/Berlin")).toEqual(new Date("2023-01-01T11:00:00Z"));
    expect(zonedTime("yesterday", "UTC")).toBeUndefined();
  });
});
