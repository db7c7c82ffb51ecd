import { once } from "node:events";

import { parseEnv } from "@aimo/env";
import type { FakeOpenAi } from "@aimo/fake-services";
import { startFakeOpenAi } from "@aimo/fake-services";
import { afterEach, describe, expect, it } from "vitest";

import { chatEnvSchema, createChatModelFromEnv, createOpenAiChatModel, ProviderError } from "../src";
import { sseData } from "../src/chat/sse";

let server: FakeOpenAi | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const modelFor = (url: string, timeoutMs = 5000) =>
  createOpenAiChatModel({ baseUrl: url, apiKey: "sk-test", model: "fake-chat", timeoutMs, retries: 2 });

async function collect(pieces: AsyncIterable<string>) {
  const out: string[] = [];
  for await (const piece of pieces) out.push(piece);
  return out;
}

async function failure(pieces: AsyncIterable<string>) {
  return collect(pieces).then(
    () => null,
    (e: unknown) => e,
  );
}

describe("OpenAI-compatible streaming chat", () => {
  it("posts the conversation with stream: true and yields the answer piece by piece", async () => {
    server = await startFakeOpenAi({ chat: () => ({ pieces: ["Kyoto ", "was ", "lovely."] }) });
    const messages = [
      { role: "system" as const, content: "Be brief." },
      { role: "user" as const, content: "How was the trip?" },
    ];
    expect(await collect(modelFor(server.url).stream(messages))).toEqual(["Kyoto ", "was ", "lovely."]);
    expect(server.chatRequests).toEqual([
      { model: "fake-chat", messages, stream: true, authorization: "Bearer sk-test" },
    ]);
  });

  it("hands over each piece as it arrives, before the answer is complete", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    server = await startFakeOpenAi({ chat: () => ({ pieces: ["first", " second"], holdAfterFirst: held }) });
    const seen: string[] = [];
    for await (const piece of modelFor(server.url).stream([{ role: "user", content: "hi" }])) {
      seen.push(piece);
      // The server sends the rest only after this: had the client buffered, this loop would never get here.
      if (seen.length === 1) release();
    }
    expect(seen).toEqual(["first", " second"]);
  });

  it("retries a 5xx before the answer starts and refuses a 4xx at once, naming the status", async () => {
    let calls = 0;
    server = await startFakeOpenAi({
      chat: () => (++calls === 1 ? { pieces: [], status: 503 } : { pieces: ["ok"] }),
    });
    expect(await collect(modelFor(server.url).stream([{ role: "user", content: "hi" }]))).toEqual(["ok"]);
    expect(calls).toBe(2);

    await server.close();
    server = await startFakeOpenAi({ chat: () => ({ pieces: [], status: 401 }) });
    const error = await failure(modelFor(server.url).stream([{ role: "user", content: "hi" }]));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).status).toBe(401);
    expect(server.chatRequests).toHaveLength(1);
  });

  it("gives up on a stream that goes quiet, and hangs up when the consumer stops early", async () => {
    server = await startFakeOpenAi({
      chat: () => ({ pieces: ["a", "b"], holdAfterFirst: new Promise(() => undefined) }),
    });
    const error = await failure(modelFor(server.url, 300).stream([{ role: "user", content: "hi" }]));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toContain("no answer for 300 ms");

    await server.close();
    server = await startFakeOpenAi({
      chat: () => ({ pieces: ["a", "b"], holdAfterFirst: new Promise(() => undefined) }),
    });
    const abandoned = once(server.events, "abandoned");
    for await (const piece of modelFor(server.url).stream([{ role: "user", content: "hi" }])) {
      expect(piece).toBe("a");
      break;
    }
    await abandoned;
    expect(server.state.abandonedStreams).toBe(1);
  });

  it("is configured only with a model and an API", () => {
    const parse = (env: Record<string, string>) => parseEnv(chatEnvSchema, env);
    expect(createChatModelFromEnv(parse({}))).toBeNull();
    expect(createChatModelFromEnv(parse({ OPENAI_MODEL: "gpt-4o-mini" }))).toBeNull();
    expect(
      createChatModelFromEnv(parse({ OPENAI_BASE_URL: "http://127.0.0.1:1/v1", OPENAI_MODEL: "" })),
    ).toBeNull();
    expect(
      createChatModelFromEnv(parse({ OPENAI_BASE_URL: "http://127.0.0.1:1/v1", OPENAI_MODEL: "qwen-plus" }))
        ?.model,
    ).toBe("qwen-plus");
  });
});

describe("server-sent events", () => {
  async function* bytes(...parts: string[]) {
    for (const part of parts) yield new TextEncoder().encode(part);
  }
  const all = async (source: AsyncIterable<string>) => {
    const out: string[] = [];
    for await (const data of source) out.push(data);
    return out;
  };

  it("reads data split anywhere, CRLF lines, multi-line data and comments", async () => {
    const euro = new TextEncoder().encode("€");
    async function* split() {
      yield* bytes(": keep-alive\r\n\r\nda", "ta: one\r\n\r\ndata: two\ndata: lines\n\nevent: x\ndata:");
      // A multi-byte character cut in half between chunks.
      yield euro.subarray(0, 1);
      yield euro.subarray(1);
      yield* bytes("\n\ndata: [DONE]");
    }
    expect(await all(sseData(split()))).toEqual(["one", "two\nlines", "€", "[DONE]"]);
  });
});
