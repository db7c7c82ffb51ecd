import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

import type { MultimodalEmbedder } from "@aimo/ai";
import { createDashScopeEmbedder } from "@aimo/ai";
import { attachments, vectorJobs } from "@aimo/db";
import type { FakeDashScope } from "@aimo/fake-services";
import { startFakeDashScope, tinyPng } from "@aimo/fake-services";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Context } from "../src/server";
import { attachmentJobs, attachmentService, runDue, signDownload } from "../src/server";
import type { Harness } from "./harness";
import { expectCode, openHarness } from "./harness";

const MULTIMODAL_DIMENSIONS = 16;
const catPng = tinyPng(3, 2, [200, 120, 40]);
const carPng = tinyPng(5, 4, [20, 20, 220]);
const beachPng = tinyPng(7, 1, [240, 220, 160]);

let h: Harness;
let dashscope: FakeDashScope;
let multimodal: MultimodalEmbedder;
beforeAll(async () => {
  h = await openHarness("api_attachments", { multimodalDimensions: MULTIMODAL_DIMENSIONS });
  dashscope = await startFakeDashScope({
    concepts: [
      ["cat", "kitten", "cats"],
      ["car", "automobile"],
      ["beach", "sea", "ocean"],
    ],
  });
  dashscope.teach(catPng, "cat");
  dashscope.teach(carPng, "car");
  dashscope.teach(beachPng, "beach");
  multimodal = createDashScopeEmbedder({
    baseUrl: dashscope.url,
    apiKey: "sk-test",
    model: "fake-multimodal",
    dimensions: MULTIMODAL_DIMENSIONS,
    batchSize: 8,
    timeoutMs: 5000,
    retries: 0,
  });
});
afterAll(async () => {
  await dashscope.close();
  await h.close();
});

/** A context with image search on, as the server builds it when DASHSCOPE_API_KEY is set. */
const withImages = (uid: string | null, overrides: Partial<Context> = {}) =>
  h.context(uid, { multimodal, ...overrides });

let spooled = 0;
/** What the HTTP route hands the service: an upload that fully arrived in a spool file. */
async function upload(ctx: Context, bytes: Buffer, filename: string, mimeType: string) {
  await mkdir(ctx.attachments.tmpDir, { recursive: true });
  const filePath = join(ctx.attachments.tmpDir, `upload-${++spooled}`);
  await writeFile(filePath, bytes);
  return attachmentService.create(ctx, ctx.user!.uid, { filePath, filename, mimeType, size: bytes.length });
}

const rowOf = async (id: string) =>
  (await h.db.db.select().from(attachments).where(eq(attachments.id, id)))[0];
const jobsOf = (id: string) => h.db.db.select().from(vectorJobs).where(eq(vectorJobs.targetId, id));

describe("attachments", () => {
  it("records name, type, size and image dimensions, and stores the bytes under <uid>/<date>/<id>.<ext>", async () => {
    const owner = await h.user();
    const ctx = withImages(owner.uid);
    const dto = await upload(ctx, catPng, "C:\\Users\\me\\猫の写真 🐱.PNG", "image/png; charset=binary");
    expect(dto).toMatchObject({
      filename: "猫の写真 🐱.PNG",
      mimeType: "image/png",
      size: catPng.length,
      width: 3,
      height: 2,
    });
    const row = (await rowOf(dto.id))!;
    expect(row.path).toBe(`${owner.uid}/${new Date(dto.createdAt).toISOString().slice(0, 10)}/${dto.id}.png`);
    expect(row).toMatchObject({ storageType: "local", properties: { width: 3, height: 2 } });
    expect(await ctx.attachments.storage.exists(row.path)).toBe(true);
    expect(await owner.api.attachment.get({ id: dto.id })).toEqual(dto);

    const doc = await upload(ctx, Buffer.from("plain words"), "notes", "text/plain");
    expect([doc.width, doc.height]).toEqual([undefined, undefined]);
    expect((await rowOf(doc.id))!.path).toMatch(/\.bin$/);
    const first = await owner.api.attachment.list({ limit: 1 });
    expect(first.items.map((a) => a.id)).toEqual([doc.id]);
    const second = await owner.api.attachment.list({ limit: 1, cursor: first.nextCursor });
    expect(second.items.map((a) => a.id)).toEqual([dto.id]);
    expect(second.nextCursor).toBeUndefined();
  });

  it("refuses a type outside the allowed list or a file over the limit, storing nothing", async () => {
    const owner = await h.user();
    const ctx = withImages(owner.uid, { attachments: { ...h.deps.attachments, maxFileSize: 10 } });
    await expectCode(
      upload(ctx, Buffer.from("<script>"), "page.html", "text/html"),
      "UNSUPPORTED_MEDIA_TYPE",
    );
    await expectCode(
      upload(ctx, Buffer.from("image/svg"), "logo.svg", "image/svg+xml"),
      "UNSUPPORTED_MEDIA_TYPE",
    );
    await expectCode(upload(ctx, catPng, "cat.png", "image/png"), "PAYLOAD_TOO_LARGE");
    expect((await owner.api.attachment.list()).items).toEqual([]);
    const root = join(ctx.attachments.tmpDir, "..", "attachments");
    expect(await readdir(root).catch(() => [])).not.toContain(owner.uid);
  });

  it("links the owner's download, anyone's for an attachment of a public memo, and nobody else's", async () => {
    const owner = await h.user();
    const stranger = await h.user();
    const ctx = withImages(owner.uid);
    const dto = await upload(ctx, catPng, "cat.png", "image/png");
    const before = Date.now();
    const link = await owner.api.attachment.getUrl({ id: dto.id });
    const url = new URL(link.url, "http://aimo.test");
    expect(url.pathname).toBe(`/attachments/${dto.id}`);
    expect(link.expiresAt).toBeGreaterThanOrEqual(before + 3_599_000);
    const params = {
      id: dto.id,
      expires: url.searchParams.get("expires")!,
      sig: url.searchParams.get("sig")!,
    };
    expect((await attachmentService.resolveDownload(ctx, params)).id).toBe(dto.id);

    // A tampered, re-targeted or expired link is refused.
    await expectCode(
      attachmentService.resolveDownload(ctx, { ...params, sig: `${params.sig.slice(0, -2)}AA` }),
      "FORBIDDEN",
    );
    await expectCode(
      attachmentService.resolveDownload(ctx, { ...params, expires: String(Number(params.expires) + 60) }),
      "FORBIDDEN",
    );
    const other = await upload(ctx, carPng, "car.png", "image/png");
    await expectCode(attachmentService.resolveDownload(ctx, { ...params, id: other.id }), "FORBIDDEN");
    const past = Math.floor(Date.now() / 1000) - 1;
    const expired = {
      id: dto.id,
      expires: String(past),
      sig: signDownload(ctx.attachments.urlSecret, dto.id, past),
    };
    await expectCode(attachmentService.resolveDownload(ctx, expired), "FORBIDDEN");

    await expectCode(stranger.api.attachment.getUrl({ id: dto.id }), "NOT_FOUND");
    await expectCode(h.caller(null).attachment.getUrl({ id: dto.id }), "NOT_FOUND");
    await owner.api.memo.create({ content: "private", attachmentIds: [dto.id] });
    await expectCode(h.caller(null).attachment.getUrl({ id: dto.id }), "NOT_FOUND");
    await owner.api.memo.create({
      content: "shared with the world",
      attachmentIds: [dto.id],
      isPublic: true,
    });
    expect((await h.caller(null).attachment.getUrl({ id: dto.id })).url).toMatch(
      new RegExp(`^/attachments/${dto.id}\\?expires=\\d+&sig=`),
    );
    expect((await stranger.api.attachment.getUrl({ id: dto.id })).url).toContain(dto.id);
    await expectCode(stranger.api.attachment.getUrl({ id: other.id }), "NOT_FOUND");
  });

  it("embeds images after commit, finds them by text, and finds memos by image", async () => {
    const owner = await h.user();
    const stranger = await h.user();
    const ctx = withImages(owner.uid);
    const requestsBefore = dashscope.requests.length;
    const cat = await upload(ctx, catPng, "cat.png", "image/png");
    const car = await upload(ctx, carPng, "car.png", "image/png");
    const beach = await upload(ctx, beachPng, "beach.png", "image/png");
    await upload(ctx, Buffer.from("words"), "words.txt", "text/plain");
    expect(await h.vectors.attachments.count(owner.uid)).toBe(3);
    expect(dashscope.requests[requestsBefore]).toEqual([
      { image: `data:image/png;base64,${catPng.toString("base64")}` },
    ]);
    expect(await jobsOf(cat.id)).toEqual([]);

    const api = h.caller(owner.uid, { multimodal });
    const found = await api.attachment.searchByText({ query: "a kitten", limit: 3 });
    expect(found[0]!.attachment).toEqual(cat);
    expect(found[0]!.score).toBeGreaterThan(found[1]!.score);
    expect(
      (await api.attachment.searchByText({ query: "ocean", limit: 1 })).map((hit) => hit.attachment.id),
    ).toEqual([beach.id]);
    expect(await h.caller(stranger.uid, { multimodal }).attachment.searchByText({ query: "kitten" })).toEqual(
      [],
    );

    const withCat = await api.memo.create({ content: "my cat", attachmentIds: [cat.id] });
    const withCar = await api.memo.create({ content: "my car", attachmentIds: [car.id, beach.id] });
    const similar = await api.attachment.similarMemos({ attachmentId: cat.id, limit: 5 });
    expect(similar[0]).toMatchObject({ memo: { id: withCat.id }, attachmentId: cat.id, similarity: 1 });
    expect(similar.map((s) => s.memo.id)).toEqual([withCat.id, withCar.id]);
    expect(similar[1]!.similarity).toBeLessThan(0.5);
    const close = await api.attachment.similarMemos({ attachmentId: car.id, minSimilarity: 0.9 });
    expect(close.map((s) => [s.memo.id, s.attachmentId])).toEqual([[withCar.id, car.id]]);
    // minScore, the deprecated name, still works.
    expect(await api.attachment.similarMemos({ attachmentId: car.id, minScore: 0.9 })).toEqual(close);
  });

  it("records a failed embedding and lets the worker finish it later", async () => {
    const owner = await h.user();
    const ctx = withImages(owner.uid);
    dashscope.state.failing = true;
    const cat = await upload(ctx, catPng, "cat.png", "image/png");
    dashscope.state.failing = false;
    expect(await jobsOf(cat.id)).toMatchObject([
      { target: "attachment", op: "upsert", attempts: 1, status: "pending" },
    ]);
    expect(await h.vectors.attachments.count(owner.uid)).toBe(0);

    // The backoff has passed.
    await h.db.db
      .update(vectorJobs)
      .set({ runAfter: sql`NOW(3) - INTERVAL 1 SECOND` })
      .where(eq(vectorJobs.targetId, cat.id));
    const deps = { ...ctx, storage: ctx.attachments.storage };
    expect(await runDue(deps, attachmentJobs)).toBeGreaterThanOrEqual(1);
    expect(await jobsOf(cat.id)).toEqual([]);
    expect((await h.vectors.attachments.get([cat.id])).map((v) => v.uid)).toEqual([owner.uid]);
  });

  it("delete removes the file, the row, the vector and the id from every memo of the owner", async () => {
    const owner = await h.user();
    const ctx = withImages(owner.uid);
    const cat = await upload(ctx, catPng, "cat.png", "image/png");
    const car = await upload(ctx, carPng, "car.png", "image/png");
    const both = await owner.api.memo.create({ content: "both", attachmentIds: [cat.id, car.id, cat.id] });
    const one = await owner.api.memo.create({ content: "one", attachmentIds: [cat.id] });
    const path = (await rowOf(cat.id))!.path;
    expect(await h.vectors.attachments.get([cat.id])).toHaveLength(1);

    expect(await h.caller(owner.uid, { multimodal }).attachment.delete({ id: cat.id })).toEqual({ ok: true });
    expect(await ctx.attachments.storage.exists(path)).toBe(false);
    expect(await rowOf(cat.id)).toBeUndefined();
    expect(await h.vectors.attachments.get([cat.id])).toEqual([]);
    expect(await jobsOf(cat.id)).toEqual([]);
    expect((await owner.api.memo.get({ id: both.id })).attachmentIds).toEqual([car.id]);
    expect((await owner.api.memo.get({ id: one.id })).attachmentIds).toEqual([]);
    expect(await h.vectors.attachments.get([car.id])).toHaveLength(1);
    await expectCode(owner.api.attachment.delete({ id: cat.id }), "NOT_FOUND");
  });

  it("takes a memo that is only an attachment, but not one left with neither text nor attachment", async () => {
    const owner = await h.user();
    const dto = await upload(h.context(owner.uid), catPng, "cat.png", "image/png");
    const memo = await owner.api.memo.create({ content: "", attachmentIds: [dto.id] });
    await expectCode(owner.api.memo.update({ id: memo.id, attachmentIds: [] }), "BAD_REQUEST");
    expect((await owner.api.memo.get({ id: memo.id })).attachmentIds).toEqual([dto.id]);
    expect((await owner.api.memo.update({ id: memo.id, content: "a cat", attachmentIds: [] })).content).toBe(
      "a cat",
    );
  });

  it("answers NOT_FOUND for another user's attachments and leaves them unchanged", async () => {
    const owner = await h.user();
    const stranger = await h.user();
    const cat = await upload(withImages(owner.uid), catPng, "cat.png", "image/png");
    const s = h.caller(stranger.uid, { multimodal });
    await expectCode(s.attachment.get({ id: cat.id }), "NOT_FOUND");
    await expectCode(s.attachment.delete({ id: cat.id }), "NOT_FOUND");
    await expectCode(s.attachment.similarMemos({ attachmentId: cat.id }), "NOT_FOUND");
    await expectCode(s.memo.create({ content: "x", attachmentIds: [cat.id] }), "NOT_FOUND");
    expect((await s.attachment.list()).items).toEqual([]);
    expect(await rowOf(cat.id)).toBeDefined();
    expect(await h.vectors.attachments.get([cat.id])).toHaveLength(1);
  });

  it("without a multimodal provider uploads still work and image search answers PRECONDITION_FAILED", async () => {
    const owner = await h.user();
    const cat = await upload(h.context(owner.uid), catPng, "cat.png", "image/png");
    expect(cat.width).toBe(3);
    expect(await jobsOf(cat.id)).toEqual([]);
    await expectCode(owner.api.attachment.searchByText({ query: "kitten" }), "PRECONDITION_FAILED");
    await expectCode(owner.api.attachment.similarMemos({ attachmentId: cat.id }), "PRECONDITION_FAILED");
  });

  it("answers BAD_REQUEST with field errors to malformed input", async () => {
    const { api } = await h.user();
    const bad = [
      api.attachment.list({ limit: 1000 }),
      api.attachment.list({ cursor: "not a cursor" }),
      api.attachment.get({ id: "" }),
      api.attachment.getUrl({ id: "x".repeat(300) }),
      api.attachment.delete({ id: 42 as unknown as string }),
      api.attachment.searchByText({ query: "   " }),
      api.attachment.searchByText({ query: "cat", limit: 51 }),
      api.attachment.similarMemos({ attachmentId: "a1", minSimilarity: 2 }),
      api.attachment.similarMemos({ attachmentId: "a1", minScore: 2 }),
      api.attachment.get({ id: "a1", extra: true } as unknown as { id: string }),
    ];
    for (const call of bad) await expectCode(call, "BAD_REQUEST");
  });
});

describe("attachment.update", () => {
  it("renames an attachment (cleaned as at upload) and sets or clears what a client measures", async () => {
    const owner = await h.user();
    const ctx = h.context(owner.uid);
    const api = h.caller(owner.uid);
    const image = await upload(ctx, catPng, "cat.png", "image/png");
    const renamed = await api.attachment.update({ id: image.id, filename: "../photos/tabby\u0007 cat.png" });
    expect(renamed).toMatchObject({ id: image.id, filename: "tabby cat.png", width: 3, height: 2 });
    expect(await api.attachment.get({ id: image.id })).toEqual(renamed);

    const clip = await upload(ctx, Buffer.from("not really a video"), "clip.mp4", "video/mp4");
    const measured = await api.attachment.update({ id: clip.id, duration: 12.5, width: 1920, height: 1080 });
    expect(measured).toMatchObject({ filename: "clip.mp4", duration: 12.5, width: 1920, height: 1080 });
    const cleared = await api.attachment.update({ id: clip.id, duration: null });
    expect(cleared.duration).toBeUndefined();
    expect(cleared).toMatchObject({ width: 1920, height: 1080 });
    expect((await rowOf(clip.id))!.properties).toEqual({ width: 1920, height: 1080 });
  });

  it("refuses a duration for an image, an image's size, and malformed input, changing nothing", async () => {
    const owner = await h.user();
    const api = h.caller(owner.uid);
    const image = await upload(h.context(owner.uid), catPng, "cat.png", "image/png");
    const before = await rowOf(image.id);
    await expectCode(api.attachment.update({ id: image.id, duration: 3 }), "BAD_REQUEST");
    await expectCode(api.attachment.update({ id: image.id, filename: "x.png", width: 10 }), "BAD_REQUEST");
    await expectCode(api.attachment.update({ id: image.id, filename: "  " }), "BAD_REQUEST");
    await expectCode(api.attachment.update({ id: image.id, filename: "x".repeat(256) }), "BAD_REQUEST");
    // @ts-expect-error: the bytes' type is not editable
    await expectCode(api.attachment.update({ id: image.id, mimeType: "text/html" }), "BAD_REQUEST");
    expect(await rowOf(image.id)).toEqual(before);
  });

  it("answers NOT_FOUND for another user's attachment and leaves it unchanged", async () => {
    const owner = await h.user();
    const intruder = await h.user();
    const image = await upload(h.context(owner.uid), catPng, "cat.png", "image/png");
    const before = await rowOf(image.id);
    await expectCode(
      h.caller(intruder.uid).attachment.update({ id: image.id, filename: "mine.png" }),
      "NOT_FOUND",
    );
    expect(await rowOf(image.id)).toEqual(before);
  });
});
