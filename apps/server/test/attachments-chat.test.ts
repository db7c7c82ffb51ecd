import { once } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { signDownload } from "@aimo/api/server";
import type { AimoClient, ChatEvent } from "@aimo/client";
import { createAimoClient, TRPCClientError, uploadAttachment } from "@aimo/client";
import { dropDatabase, scratchConfig } from "@aimo/db/testing";
import type { ChatScript, FakeDashScope, FakeOpenAi } from "@aimo/fake-services";
import { startFakeDashScope, startFakeOpenAi, tinyPng } from "@aimo/fake-services";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningServer } from "../src/app";
import { startServer } from "../src/app";

import { testServerEnv } from "./server-env";
import { uploadRefusal } from "./upload-refusal";

const mysql = scratchConfig("server_attachments_chat");
const URL_SECRET = "attachment-links-secret-attachment-links";
const catPng = tinyPng(4, 3, [230, 140, 30]);
const carPng = tinyPng(2, 6, [10, 30, 240]);

let dir: string;
let server: RunningServer;
let openai: FakeOpenAi;
let dashscope: FakeDashScope;
let script: () => ChatScript = () => ({ pieces: ["Sure."] });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "aimo-attachments-chat-"));
  openai = await startFakeOpenAi({
    chat: () => script(),
    concepts: [
      ["tokyo", "japan"],
      ["bread", "flour"],
    ],
  });
  dashscope = await startFakeDashScope({
    concepts: [
      ["cat", "kitten"],
      ["car", "automobile"],
    ],
  });
  dashscope.teach(catPng, "cat");
  dashscope.teach(carPng, "car");
  const env = testServerEnv(mysql, {
    LANCEDB_URI: join(dir, "lancedb"),
    JWT_SECRET: "attachments-secret-attachments-secret",
    OPENAI_BASE_URL: openai.url,
    OPENAI_MODEL: "fake-chat",
    EMBEDDING_DIMENSIONS: "32",
    EMBEDDING_RETRIES: "0",
    DASHSCOPE_API_KEY: "sk-test",
    DASHSCOPE_BASE_URL: dashscope.url,
    MULTIMODAL_EMBEDDING_DIMENSIONS: "16",
    ATTACHMENT_LOCAL_PATH: join(dir, "attachments"),
    ATTACHMENT_TMP_DIR: join(dir, "spool"),
    ATTACHMENT_MAX_FILE_SIZE: "4KB",
    ATTACHMENT_URL_SECRET: URL_SECRET,
  });
  server = await startServer(env, pino({ level: "silent" }));
});
afterAll(async () => {
  await server.stop();
  await Promise.all([openai.close(), dashscope.close()]);
  await dropDatabase(mysql);
  await rm(dir, { recursive: true, force: true });
});

let users = 0;
async function signUp() {
  const email = `attach${++users}@example.test`;
  const anonymous = createAimoClient({ url: server.url });
  const { token } = await anonymous.auth.register.mutate({ email, password: "attachments password" });
  return { token, client: createAimoClient({ url: server.url, token }) };
}

async function trpcCode(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return (error as TRPCClientError<never>).data as unknown as { code: string };
}

/** Every file under a directory, recursively. */
async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** A hand-written multipart body, for what FormData cannot say (RFC 5987 names, no file at all). */
function multipart(partHeaders: string, content: string) {
  const boundary = "----aimo-test-boundary";
  return {
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    body: `--${boundary}\r\n${partHeaders}\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  };
}

describe("attachments over HTTP", () => {
  it("uploads keep non-ASCII names and image sizes, and download through an expiring signed link", async () => {
    const { token, client } = await signUp();
    const cat = await uploadAttachment(
      { url: server.url, token },
      new Blob([catPng], { type: "image/png" }),
      "我的猫 🐱.png",
    );
    expect(cat).toMatchObject({
      filename: "我的猫 🐱.png",
      mimeType: "image/png",
      size: catPng.length,
      width: 4,
      height: 3,
    });

    const encoded = multipart(
      `Content-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent("报告 Ünïcode.txt")}\r\nContent-Type: text/plain`,
      "quarterly numbers",
    );
    const response = await fetch(`${server.url}/attachments`, {
      method: "POST",
      headers: { ...encoded.headers, authorization: `Bearer ${token}` },
      body: encoded.body,
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      filename: "报告 Ünïcode.txt",
      mimeType: "text/plain",
      size: 17,
    });
    expect((await client.attachment.list.query()).items.map((a) => a.filename)).toEqual([
      "报告 Ünïcode.txt",
      "我的猫 🐱.png",
    ]);

    const { url, expiresAt } = await client.attachment.getUrl.query({ id: cat.id });
    expect(expiresAt).toBeGreaterThan(Date.now());
    const download = await fetch(`${server.url}${url}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(catPng);
    expect(download.headers.get("content-type")).toBe("image/png");
    expect(download.headers.get("content-disposition")).toContain(
      `filename*=UTF-8''${encodeURIComponent("我的猫 🐱.png")}`,
    );
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    const ranged = await fetch(`${server.url}${url}`, { headers: { range: "bytes=1-3" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 1-3/${catPng.length}`);
    expect(await ranged.text()).toBe("PNG");

    const link = new URL(url, server.url);
    const tampered = new URL(link);
    tampered.searchParams.set("sig", `${link.searchParams.get("sig")!.slice(0, -3)}abc`);
    const past = Math.floor(Date.now() / 1000) - 5;
    const expired = `${server.url}/attachments/${cat.id}?expires=${past}&sig=${signDownload(new TextEncoder().encode(URL_SECRET), cat.id, past)}`;
    for (const refused of [tampered, expired, `${server.url}/attachments/${cat.id}`]) {
      const answer = await fetch(refused);
      expect(answer.status).toBe(403);
      expect(await answer.json()).toEqual({
        error: { code: "FORBIDDEN", message: "This link is invalid or has expired" },
      });
    }

    const stranger = await signUp();
    expect(await trpcCode(stranger.client.attachment.getUrl.query({ id: cat.id }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(
      await trpcCode(createAimoClient({ url: server.url }).attachment.getUrl.query({ id: cat.id })),
    ).toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses what it must not keep with clear errors, and keeps nothing of it", async () => {
    const { token, client } = await signUp();
    const options = { url: server.url, token };
    const stored = async () =>
      (await filesUnder(join(dir, "attachments"))).filter((path) => path.includes(cat.id) === false);
    const cat = await uploadAttachment(options, new Blob([catPng], { type: "image/png" }), "cat.png");
    const before = await stored();

    const tooBig = await uploadRefusal(
      uploadAttachment(options, new Blob([Buffer.alloc(5000, 1)], { type: "image/png" }), "big.png"),
    );
    expect(tooBig).toMatchObject({
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
      message: "File is larger than 4096 bytes",
    });
    const huge = await uploadRefusal(
      uploadAttachment(options, new Blob([Buffer.alloc(200_000, 1)], { type: "video/mp4" }), "huge.mp4"),
    );
    expect(huge).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    const html = await uploadRefusal(
      uploadAttachment(options, new Blob(["<script>alert(1)</script>"], { type: "text/html" }), "x.html"),
    );
    expect(html).toMatchObject({
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: "File type text/html is not allowed",
    });
    expect(
      await uploadRefusal(uploadAttachment(options, new Blob([], { type: "text/plain" }), "empty.txt")),
    ).toMatchObject({ status: 400, code: "BAD_REQUEST" });
    expect(
      await uploadRefusal(
        uploadAttachment({ url: server.url }, new Blob(["x"], { type: "text/plain" }), "a.txt"),
      ),
    ).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(
      await uploadRefusal(
        uploadAttachment({ ...options, token: "forged" }, new Blob(["x"], { type: "text/plain" }), "a.txt"),
      ),
    ).toMatchObject({ status: 401 });

    const auth = { authorization: `Bearer ${token}` };
    const json = await fetch(`${server.url}/attachments`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "{}",
    });
    expect([json.status, await json.json()]).toEqual([
      400,
      { error: { code: "BAD_REQUEST", message: "Expected a multipart/form-data body" } },
    ]);
    const noFile = multipart('Content-Disposition: form-data; name="note"', "just a field");
    const empty = await fetch(`${server.url}/attachments`, {
      method: "POST",
      headers: { ...auth, ...noFile.headers },
      body: noFile.body,
    });
    expect([empty.status, await empty.json()]).toEqual([
      400,
      { error: { code: "BAD_REQUEST", message: "No file in the request" } },
    ]);
    const get = await fetch(`${server.url}/attachments`, { headers: auth });
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);

    expect((await client.attachment.list.query()).items.map((a) => a.id)).toEqual([cat.id]);
    expect(await stored()).toEqual(before);
    expect(await filesUnder(join(dir, "spool"))).toEqual([]);
  });

  it("answers 400 to a download path with malformed percent-encoding", async () => {
    const expires = Math.floor(Date.now() / 1000) + 60;
    const sig = signDownload(new TextEncoder().encode(URL_SECRET), "x", expires);
    for (const id of ["%E0%A4%A", "%", "%ED%A0%80"]) {
      const answer = await fetch(`${server.url}/attachments/${id}?expires=${expires}&sig=${sig}`);
      expect([answer.status, await answer.json()]).toEqual([
        400,
        { error: { code: "BAD_REQUEST", message: "Malformed percent-encoding in the path" } },
      ]);
    }
  });

  it("finds images by text through the typed client", async () => {
    const { token, client } = await signUp();
    const cat = await uploadAttachment(
      { url: server.url, token },
      new Blob([catPng], { type: "image/png" }),
      "cat.png",
    );
    await uploadAttachment({ url: server.url, token }, new Blob([carPng], { type: "image/png" }), "car.png");
    const hits = await client.attachment.searchByText.query({ query: "kitten", limit: 2 });
    expect(hits.map((hit) => hit.attachment.id)[0]).toBe(cat.id);
  });
});

describe("AI chat over HTTP", () => {
  let client: AimoClient;
  beforeAll(async () => {
    ({ client } = await signUp());
    await client.memo.create.mutate({
      content: "Weekend in Tokyo: ramen in Shinjuku and the view from Skytree",
    });
    await client.memo.create.mutate({ content: "Sourdough needs flour, water, salt and patience" });
  });

  it("streams the answer in pieces through the server and the typed client, then stores it with its sources", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    script = () => ({ pieces: ["You ate ramen ", "in Shinjuku ", "[1]."], holdAfterFirst: held });
    const seen: ChatEvent[] = [];
    for await (const event of await client.ai.send.mutate({ content: "What did I eat in Tokyo?" })) {
      seen.push(event);
      // The model sends the rest only once this piece has reached the client: a buffered answer would hang here.
      if (event.type === "delta") release();
    }
    expect(seen.map((e) => e.type)).toEqual(["start", "delta", "delta", "delta", "done"]);
    const start = seen[0] as Extract<ChatEvent, { type: "start" }>;
    expect(start.title).toBe("What did I eat in Tokyo?");
    expect(start.sources[0]!.content).toBe("Weekend in Tokyo: ramen in Shinjuku and the view from Skytree");

    const { items } = await client.ai.messages.query({ conversationId: start.conversationId });
    expect(items.map((m) => m.content)).toEqual([
      "What did I eat in Tokyo?",
      "You ate ramen in Shinjuku [1].",
    ]);
    expect(items[1]!.sources).toEqual(start.sources);
  });

  it("stops the model and stores nothing when the client hangs up mid-answer", async () => {
    script = () => ({ pieces: ["Partial ", "answer"], holdAfterFirst: new Promise(() => undefined) });
    const abandoned = once(openai.events, "abandoned");
    const hangUp = new AbortController();
    const before = (await client.ai.conversations.list.query()).items.length;
    const stream = await client.ai.send.mutate(
      { content: "Tell me everything about bread" },
      { signal: hangUp.signal },
    );
    const seen: string[] = [];
    await (async () => {
      for await (const event of stream) {
        seen.push(event.type);
        if (event.type === "delta") hangUp.abort();
      }
    })().catch(() => undefined);
    expect(seen).toEqual(["start", "delta"]);
    await abandoned;
    expect((await client.ai.conversations.list.query()).items).toHaveLength(before);
  });
});
