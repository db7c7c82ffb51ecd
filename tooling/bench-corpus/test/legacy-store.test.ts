import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { connect } from "@lancedb/lancedb";
import bcrypt from "bcryptjs";
import { afterAll, describe, expect, it } from "vitest";

import { BENCH_PASSWORD, createCorpus, writeLegacyCorpus } from "../src";

type Row = Record<string, unknown>;
interface ArrowList {
  toArray(): unknown;
}
const rowsOf = async (db: Awaited<ReturnType<typeof connect>>, name: string, where?: string) => {
  const query = (await db.openTable(name)).query();
  return (await (where ? query.where(where) : query).toArray()) as Row[];
};

const dir = await mkdtemp(join(tmpdir(), "aimo-corpus-legacy-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("writeLegacyCorpus", () => {
  it("writes the corpus as a legacy store whose users log in with the bench password", async () => {
    const corpus = createCorpus({ memos: 500, users: 3, dims: 8 });
    const memos = [...corpus.memos()];
    const { relations } = await writeLegacyCorpus(dir, corpus, { addBatch: 200 });
    const db = await connect(dir);
    const count = async (name: string) => (await db.openTable(name)).countRows();
    expect(await count("memos")).toBe(500);
    expect(await count("embedding_cache")).toBe(500);
    expect(await count("memo_relations")).toBe(memos.reduce((n, m) => n + m.links.length, 0));
    expect(relations).toBeGreaterThan(0);
    expect(await count("tags")).toBe(corpus.users.reduce((n, u) => n + u.tags.length, 0));

    const users = await rowsOf(db, "users");
    expect(users.map((u) => u.email as string).sort()).toEqual(corpus.users.map((u) => u.email).sort());
    expect(bcrypt.compareSync(BENCH_PASSWORD, users[0]!.password as string)).toBe(true);

    const untagged = memos.find((m) => m.tagIds.length === 0)!;
    const tagged = memos.find((m) => m.tagIds.length > 0)!;
    const rows = await rowsOf(db, "memos", `memoId IN ('${untagged.id}', '${tagged.id}')`);
    const byId = new Map(rows.map((r) => [r.memoId as string, r]));
    expect(byId.get(untagged.id)!.tagIds).toBeNull();
    expect((byId.get(tagged.id)!.tagIds as ArrowList).toArray()).toEqual(tagged.tagIds);
    expect(byId.get(tagged.id)!.content).toBe(tagged.content);
    expect(Array.from((byId.get(tagged.id)!.embedding as ArrowList).toArray() as Float32Array)).toEqual(
      Array.from(tagged.vector),
    );

    const tags = await rowsOf(db, "tags");
    const usage = tags.find((t) => t.tagId === tagged.tagIds[0])!.usageCount as number;
    expect(usage).toBe(memos.filter((m) => m.tagIds.includes(tagged.tagIds[0]!)).length);
    db.close();
  });
});
