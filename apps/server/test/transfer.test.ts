import { createHash } from "node:crypto";

import type { AimoClient } from "@aimo/client";
import type { DbHandle } from "@aimo/db";
import { createDb, importItems, importSessions, memos } from "@aimo/db";
import type { ImportReport, Manifest } from "@aimo/transfer";
import { createAimoClient, uploadAttachment } from "@aimo/client";
import type { FakeOpenAi } from "@aimo/fake-services";
import { startFakeOpenAi, tinyPng } from "@aimo/fake-services";
import { and, eq, inArray, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestServer } from "./server-env";
import { startTestServer } from "./server-env";
import { makeZip, readZip } from "./zip-files";

let test: TestServer;
let db: DbHandle;
let openai: FakeOpenAi;
let url: string;
let users = 0;

async function register(): Promise<{ client: AimoClient; token: string }> {
  const anonymous = createAimoClient({ url });
  const { token } = await anonymous.auth.register.mutate({
    email: `transfer${++users}@example.com`,
    password: "transfer password",
  });
  return { client: createAimoClient({ url, token }), token };
}

async function exportOf(token: string): Promise<Buffer> {
  const response = await fetch(`${url}/export`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/zip");
  return Buffer.from(await response.arrayBuffer());
}

async function importFile(token: string, bytes: Buffer, filename: string) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), filename);
  const response = await fetch(`${url}/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return {
    status: response.status,
    body: (await response.json()) as ImportReport & { error: { message: string } },
  };
}

const countMemos = async (client: AimoClient) => (await client.memo.list.query({ limit: 100 })).items.length;

/**
 * An export with its ids replaced by what the things are (a memo by its time and text, a tag by its name, an
 * attachment by its file name, …), lists sorted by that: two exports of the same data compare equal.
 */
async function canonical(zip: Buffer) {
  const files = await readZip(zip);
  const manifest = JSON.parse(files.get("aimo.json")!.toString("utf8")) as Manifest;
  const label = new Map<string, string>();
  const memoFiles = [...files].filter(([path]) => path.startsWith("memos/"));
  const front = (text: string): Record<string, string> =>
    Object.fromEntries(
      text
        .split("\n---\n")[0]!
        .split("\n")
        .slice(1)
        .map((line) => [line.split(":")[0]!, line.slice(line.indexOf(":") + 1).trim()]),
    );
  for (const [, bytes] of memoFiles) {
    const text = bytes.toString("utf8");
    const fields = front(text);
    label.set(
      fields.id ?? "",
      `memo@${fields.created}#${createHash("sha256").update(text.split("\n---\n")[1]!).digest("hex").slice(0, 12)}`,
    );
  }
  for (const item of manifest.categories) label.set(item.id, `category:${item.name}`);
  for (const item of manifest.tags) label.set(item.id, `tag:${item.name}`);
  for (const item of manifest.attachments) label.set(item.id, `attachment:${item.filename}`);
  for (const item of manifest.conversations) {
    label.set(item.id, `conversation:${item.title}`);
    item.messages.forEach((message: { id: string }, i: number) =>
      label.set(message.id, `message:${item.title}:${i}`),
    );
  }
  for (const item of manifest.pushRules) label.set(item.id, `push:${item.name}`);
  const relabel = (text: string) => text.replace(/\b[a-z]+[0-9a-z]{23}\b/g, (id) => label.get(id) ?? id);
  const sorted = (list: unknown[]): unknown[] =>
    list
      .map((item) => JSON.parse(relabel(JSON.stringify(item))) as unknown)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  // Links made in one write share their time: their order is the order of ids, which differ between accounts.
  const sortLinks = (text: string) =>
    text.replace(
      /links:\n((?: +- .*\n)+)/,
      (_all, lines: string) => `links:\n${lines.split("\n").sort().join("\n")}\n`,
    );
  const memoTexts = memoFiles.map(([, bytes]) => sortLinks(relabel(bytes.toString("utf8")))).sort();
  const attachmentBytes = [...files]
    .filter(([path]) => path.startsWith("attachments/"))
    .map(([path, bytes]) => `${relabel(path)} ${createHash("sha256").update(bytes).digest("hex")}`)
    .sort();
  // Every account starts with an Inbox: the fresh account's own, made at registration, is kept by the import.
  manifest.categories = manifest.categories.map((category) =>
    category.name === "Inbox" ? { ...category, createdAt: "", updatedAt: "" } : category,
  );
  const { exportedAt: _exportedAt, ...rest } = manifest;
  return {
    memoTexts,
    attachmentBytes,
    manifest: Object.fromEntries(
      Object.entries(rest).map(([key, value]) => [key, Array.isArray(value) ? sorted(value) : value]),
    ),
  };
}

beforeAll(async () => {
  openai = await startFakeOpenAi({ chat: () => ({ pieces: ["You wrote ", "about bread."] }) });
  test = await startTestServer("transfer", {
    OPENAI_BASE_URL: openai.url,
    OPENAI_MODEL: "fake-chat",
    IMPORT_MAX_FILE_SIZE: "1MB",
    ATTACHMENT_MAX_FILE_SIZE: "64KB",
  });
  url = test.server.url;
  db = await createDb(test.mysql);
});

afterAll(async () => {
  await db?.close();
  await test?.close();
  await openai?.close();
});

describe("export and import", () => {
  // Many requests and two exports: minutes on a loaded 2-core machine.
  it(
    "round-trips every kind of data into a fresh account: the second export equals the first apart from ids",
    { timeout: 300_000 },
    async () => {
      const alice = await register();
      const api = alice.client;
      const work = await api.category.create.mutate({ name: "Work", color: "#ff0000" });
      await api.category.create.mutate({ name: "Empty" });
      await api.tag.create.mutate({ name: "baking", color: "#00ff00" });
      const photo = await uploadAttachment(
        { url, token: alice.token },
        new Blob([new Uint8Array(tinyPng(3, 2, [200, 10, 10]))], { type: "image/png" }),
        "loaf.png",
      );
      const notes = await uploadAttachment(
        { url, token: alice.token },
        new Blob(["flour, water, salt"], { type: "text/plain" }),
        "recipe.txt",
      );
      const first = await api.memo.create.mutate({
        content: "Baked bread today #bread",
        tagNames: ["baking", "bread"],
        categoryId: work.id,
        attachmentIds: [photo.id, notes.id],
        createdAt: Date.UTC(2024, 0, 2, 8),
      });
      const second = await api.memo.create.mutate({
        content: "---\nnot: front matter\n---\nA memo that starts like front matter",
        isPublic: true,
        linkedMemoIds: [first.id],
        createdAt: Date.UTC(2024, 0, 3, 9),
        source: "https://example.com/a",
      });
      await api.memo.create.mutate({
        content: "多语言的备忘录 with 中文",
        tagNames: ["语言"],
        linkedMemoIds: [first.id, second.id],
        createdAt: Date.UTC(2024, 5, 1),
      });
      for await (const event of await api.ai.send.mutate({ content: "What did I bake?" })) void event;
      await api.recommendation.today.query();
      await api.pushRule.create.mutate({
        name: "morning",
        pushTime: 8,
        contentType: "daily_pick",
        channels: [{ type: "meow", nickname: "alice", msgType: "text" }],
      });

      const exported = await exportOf(alice.token);
      const files = await readZip(exported);
      expect([...files.keys()].filter((path) => path.startsWith("memos/"))).toHaveLength(3);
      expect(files.get(`attachments/${photo.id}/loaf.png`)).toEqual(
        Buffer.from(tinyPng(3, 2, [200, 10, 10])),
      );
      const firstFile = files.get(`memos/${first.id}.md`)!.toString("utf8");
      expect(firstFile).toContain("category: Work");
      expect(firstFile).toMatch(/tags:\n\s+- baking\n\s+- bread/);
      expect(firstFile.endsWith("\n---\nBaked bread today #bread")).toBe(true);
      const manifest = JSON.parse(files.get("aimo.json")!.toString("utf8")) as Manifest;
      expect(manifest.conversations[0]!.messages.map((m: { role: string }) => m.role)).toEqual([
        "user",
        "assistant",
      ]);
      expect(manifest.relations).toHaveLength(3);
      expect(manifest.dailyPicks).toHaveLength(1);

      const bob = await register();
      const imported = await importFile(bob.token, exported, "aimo-export.zip");
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({
        format: "aimo",
        resumed: false,
        created: {
          memos: 3,
          attachments: 2,
          links: 3,
          conversations: 1,
          dailyPicks: 1,
          pushRules: 1,
          categories: 2,
        },
      });
      expect(imported.body.skipped).toEqual([]);
      const bobMemos = (await bob.client.memo.list.query({ limit: 10 })).items;
      expect(bobMemos.map((memo) => memo.id)).not.toContain(first.id);
      const found = await bob.client.search.query.query({ query: "bread", mode: "semantic" });
      expect(found.hits.length).toBeGreaterThan(0);

      expect(await canonical(await exportOf(bob.token))).toEqual(await canonical(exported));

      // The same file again: resumed, nothing written twice.
      const again = await importFile(bob.token, exported, "aimo-export.zip");
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        resumed: true,
        alreadyDone: again.body.total,
        created: { memos: 0, attachments: 0, links: 0 },
      });
      expect(await countMemos(bob.client)).toBe(3);
      const progress = await fetch(`${url}/import/${again.body.sessionId}`, {
        headers: { authorization: `Bearer ${bob.token}` },
      });
      expect(await progress.json()).toMatchObject({
        status: "done",
        done: again.body.total,
        total: again.body.total,
      });
      // The same session by the file's SHA-256, which a sender knows before the import answers (aimo import polls it).
      const byHash = `${url}/import/sha256:${createHash("sha256").update(exported).digest("hex")}`;
      const sameSession = await fetch(byHash, { headers: { authorization: `Bearer ${bob.token}` } });
      expect(await sameSession.json()).toMatchObject({ id: again.body.sessionId, status: "done" });
      // Another user's import is not found; another user's export never reachable.
      const carol = await register();
      expect(
        (
          await fetch(`${url}/import/${again.body.sessionId}`, {
            headers: { authorization: `Bearer ${carol.token}` },
          })
        ).status,
      ).toBe(404);
      expect((await fetch(byHash, { headers: { authorization: `Bearer ${carol.token}` } })).status).toBe(404);
      const carolFiles = await readZip(await exportOf(carol.token));
      expect([...carolFiles.keys()]).toEqual(["aimo.json"]);
      const link = await alice.client.transfer.exportLink.mutate();
      expect((await fetch(`${url}${link.url}`)).status).toBe(200);
      const forged = link.url.replace(/user=[^&]+/, `user=${(await carol.client.auth.me.query()).uid}`);
      expect((await fetch(`${url}${forged}`)).status).toBe(403);
      expect((await fetch(`${url}/export`)).status).toBe(401);
    },
  );

  it(
    "finishes an import cut off halfway when the same file is sent again",
    { timeout: 300_000 },
    async () => {
      const author = await register();
      let previous: string[] = [];
      for (let i = 0; i < 4; i++) {
        const memo = await author.client.memo.create.mutate({
          content: `Memo ${i} #series`,
          linkedMemoIds: previous,
          createdAt: Date.UTC(2024, 1, i + 1),
        });
        previous = [memo.id];
      }
      const exported = await exportOf(author.token);
      const reader = await register();
      const first = await importFile(reader.token, exported, "aimo-export.zip");
      expect(first.body.created).toMatchObject({ memos: 4, links: 3 });

      // As if the run had died after its first two memos: the last two, their links and their records are gone.
      const done = await db.db
        .select()
        .from(importItems)
        .where(and(eq(importItems.sessionId, first.body.sessionId), like(importItems.itemKey, "memo:%")));
      const lost = (await reader.client.memo.list.query({ limit: 2 })).items.map((memo) => memo.id);
      await db.db.delete(memos).where(inArray(memos.id, lost));
      await db.db
        .delete(importItems)
        .where(and(eq(importItems.sessionId, first.body.sessionId), inArray(importItems.targetId, lost)));
      await db.db
        .update(importSessions)
        .set({ status: "running", leaseUntil: sql`NOW(3) - INTERVAL 1 SECOND` })
        .where(eq(importSessions.id, first.body.sessionId));
      expect(done).toHaveLength(4);

      const second = await importFile(reader.token, exported, "aimo-export.zip");
      expect(second.body).toMatchObject({
        resumed: true,
        alreadyDone: second.body.total - 2,
        created: { memos: 2, links: 2 },
      });
      expect(await canonical(await exportOf(reader.token))).toEqual(await canonical(exported));
    },
  );

  it("imports Markdown files with front matter and #hashtags, times from front matter or the file", async () => {
    const { client, token } = await register();
    const fileTime = new Date(Date.UTC(2023, 4, 6, 7, 8, 10));
    const zip = await makeZip(
      {
        "notes/first.md":
          "---\ntags: [reading, ideas]\ncreated: 2022-03-04T05:06:07Z\ncategory: Books\npublic: true\n---\nRead *Dune* again #scifi\n",
        "notes/plain.md": "Just text with #tag-one and a heading\n\n# Not a tag\n",
        "notes/empty.md": "---\ntitle: nothing\n---\n\n",
        "notes/image.png": Buffer.from(tinyPng(1, 1, [0, 0, 0])),
      },
      fileTime,
    );
    const { status, body } = await importFile(token, zip, "obsidian.zip");
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: "markdown", created: { memos: 2 } });
    expect(body.skipped).toEqual(
      expect.arrayContaining([
        { item: "notes/empty.md", reason: "no text" },
        { item: "notes/image.png", reason: "not a Markdown file" },
      ]),
    );
    const items = (await client.memo.list.query({ limit: 10 })).items;
    const dune = items.find((memo) => memo.content.startsWith("Read"))!;
    expect(dune.tags.map((tag) => tag.name)).toEqual(["reading", "ideas", "scifi"]);
    expect(dune.createdAt).toBe(Date.UTC(2022, 2, 4, 5, 6, 7));
    expect(dune.isPublic).toBe(true);
    expect((await client.category.list.query()).map((c) => c.name)).toContain("Books");
    const plain = items.find((memo) => memo.content.startsWith("Just"))!;
    expect(plain.tags.map((tag) => tag.name)).toEqual(["tag-one"]);
    expect(Math.abs(plain.createdAt - fileTime.getTime())).toBeLessThan(2_000);
  });

  it("imports a memos (usememos) zip and JSON export and a flomo HTML export with its images", async () => {
    const { client, token } = await register();
    const memosZip = await makeZip({
      "2024-02-03T04:05:06Z-PUBLIC.md": "Public memo #shared",
      "2024-02-04T10:00:00+08:00-PRIVATE.md": "Private thought",
    });
    expect((await importFile(token, memosZip, "memos-export.zip")).body).toMatchObject({
      format: "usememos",
      created: { memos: 2 },
    });
    const memosJson = JSON.stringify({
      version: "1.0",
      exported_at: "2024-05-01T00:00:00Z",
      memos: [
        {
          uid: "abc",
          content: "From JSON #json",
          visibility: "PRIVATE",
          created_at: "2024-03-01T00:00:00Z",
          updated_at: "2024-03-02T00:00:00Z",
          tags: ["json"],
        },
        {
          uid: "def",
          content: "Refers to abc",
          visibility: "PUBLIC",
          created_at: "2024-03-03T00:00:00Z",
          relations: [{ related_memo_uid: "abc", type: "REFERENCE" }],
          attachments: [{ uid: "r1", filename: "a.png", type: "image/png", size: 3 }],
        },
      ],
    });
    const json = await importFile(token, Buffer.from(memosJson), "memos_export.json");
    expect(json.body).toMatchObject({ format: "usememos", created: { memos: 2, links: 1 } });
    expect(json.body.skipped).toEqual([
      { item: "attachment a.png", reason: "a memos JSON export holds no file bytes" },
    ]);

    const html = `<html><body><div class="memos">
      <div class="memo"><div class="time">2023-06-07 08:09:10</div><div class="content"><p>Flomo note <strong>bold</strong> #flomo/inbox</p><ul><li>one</li><li>two</li></ul></div><div class="files"><img src="file/2023-06-07/1/photo.png"></div></div>
      <div class="memo"><div class="time">2023-06-08 09:00:00</div><div class="content"><p>Second</p></div><div class="files"></div></div>
    </div></body></html>`;
    const flomo = await makeZip({
      "flomo@me-20230610/me的笔记.html": html,
      "flomo@me-20230610/file/2023-06-07/1/photo.png": Buffer.from(tinyPng(2, 2, [1, 2, 3])),
    });
    const report = await importFile(token, flomo, "flomo.zip");
    expect(report.body).toMatchObject({ format: "flomo", created: { memos: 2, attachments: 1 } });
    const memos = (await client.memo.list.query({ limit: 20 })).items;
    const note = memos.find((memo) => memo.content.startsWith("Flomo note"))!;
    expect(note.content).toBe("Flomo note **bold** #flomo/inbox\n\n- one\n- two");
    expect(note.tags.map((tag) => tag.name)).toEqual(["flomo/inbox"]);
    expect(note.attachmentIds).toHaveLength(1);
    expect(note.createdAt).toBe(Date.UTC(2023, 5, 7, 8, 9, 10));
    const publicOne = memos.find((memo) => memo.content === "Public memo #shared")!;
    expect(publicOne).toMatchObject({ isPublic: true, createdAt: Date.UTC(2024, 1, 3, 4, 5, 6) });
    expect(memos.find((memo) => memo.content === "Private thought")!.createdAt).toBe(Date.UTC(2024, 1, 4, 2));
  });

  it("refuses bad input with a clear 400 and writes nothing", async () => {
    const { client, token } = await register();
    const expectRefused = async (bytes: Buffer, filename: string, message: RegExp) => {
      const { status, body } = await importFile(token, bytes, filename);
      expect(status).toBe(400);
      expect(body.error.message).toMatch(message);
    };
    await expectRefused(Buffer.from("this is not a zip"), "export.zip", /Not a zip file/);
    await expectRefused(Buffer.from("just bytes"), "data.bin", /Nothing to import/);
    // A bomb: 20 MB of zeros packs into a few KB, past 8 × IMPORT_MAX_FILE_SIZE (1 MB) unpacked.
    await expectRefused(
      await makeZip({ "a.md": "fine", "zeros.md": Buffer.alloc(20 * 1024 * 1024) }),
      "bomb.zip",
      /unpacks to more than/,
    );
    await expectRefused(
      await makeZip({ "big.md": Buffer.alloc(1_400_000, "a") }),
      "big.zip",
      /big\.md is larger than/,
    );
    const traversal = await makeZip({ "ok.md": "fine", "xx/evil.md": "escape" });
    const evil = Buffer.from(traversal.toString("latin1").replaceAll("xx/evil.md", "../evil.md"), "latin1");
    await expectRefused(evil, "evil.zip", /invalid relative path|Not a readable zip/);
    await expectRefused(
      await makeZip({ "good.md": "A good memo", "bad.md": "---\ntags: [unclosed\n---\nbody" }),
      "notes.zip",
      /bad\.md: front matter is not valid YAML/,
    );
    await expectRefused(
      await makeZip({ "when.md": "---\ncreated: someday\n---\nbody" }),
      "notes.zip",
      /when\.md: front matter created is not a date/,
    );
    await expectRefused(
      await makeZip({ "aimo.json": '{"format":"aimo-export"}' }),
      "aimo.zip",
      /aimo\.json: version/,
    );
    expect(await countMemos(client)).toBe(0);
    const tooLarge = await importFile(token, Buffer.alloc(1_200_000), "huge.zip");
    expect(tooLarge.status).toBe(413);
    expect((await fetch(`${url}/import`, { method: "POST", body: new FormData() })).status).toBe(401);
  });
});
