import superjson from "superjson";
import { describe, expect, it } from "vitest";

import { transformer } from "../src/transformer";

const { serialize, deserialize } = transformer.output;

describe("the response transformer", () => {
  it("sends what superjson sends, for plain JSON and for values that need superjson", () => {
    const values: unknown[] = [
      {
        items: [
          { id: "m1", content: "今天 😀", tags: [{ id: "t", name: "x" }], createdAt: 1, isPublic: false },
        ],
      },
      { items: [], nextCursor: undefined },
      [1, -0, Number.NaN, Number.POSITIVE_INFINITY],
      { at: new Date(0), ids: new Set(["a"]), big: 10n, map: new Map([["k", 1]]) },
      { nested: { deeper: [null, true, "s", 1.5, { "a.b": "dotted key" }] } },
      Object.assign(Object.create(null) as object, { bare: 1 }),
      null,
      "text",
      undefined,
    ];
    for (const value of values) {
      expect(serialize(value)).toStrictEqual(superjson.serialize(value));
      expect(deserialize(serialize(value) as never)).toEqual(value);
    }
  });

  it("sends an object found twice as two equal copies, where superjson would restore the sharing", () => {
    const tag = { id: "t", name: "shared" };
    const answer = { first: { tags: [tag] }, second: { tags: [tag] } };
    const overTheWire = JSON.parse(JSON.stringify(serialize(answer))) as never;
    const received = deserialize(overTheWire) as typeof answer;
    expect(received).toEqual(answer);
    expect(received.first.tags[0]).not.toBe(received.second.tags[0]);
  });
});
