import { EventEmitter } from "node:events";

import { conceptEmbedder } from "./concepts";
import { listen, readBody, sendJson } from "./listen";

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  authorization?: string;
}

export interface ChatScript {
  /** The answer, one SSE chunk per piece. */
  pieces: string[];
  /** Holds the rest of the answer after the first piece until this settles: proof that pieces stream. */
  holdAfterFirst?: Promise<unknown>;
  /** Answers this HTTP status with an error body instead. */
  status?: number;
}

export interface FakeOpenAiOptions {
  /** The script of each chat answer; three pieces of a fixed sentence by default. */
  chat?: (request: ChatRequest) => ChatScript;
  /** Word groups that embed close together (see conceptEmbedder). */
  concepts?: string[][];
}

/**
 * An OpenAI-compatible API on 127.0.0.1: `POST /v1/chat/completions` streams SSE `data:` chunks ending in
 * `[DONE]`, `POST /v1/embeddings` answers concept vectors. Records every chat request and the inputs of every
 * embedding request (each also emits `embeddings`). While `state.holdEmbeddings` is a pending promise, embedding
 * answers wait for it: a slow provider, without a clock. While `state.embeddingStatus` is set, embedding requests
 * are recorded and answered with that HTTP status: a provider outage.
 */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}) {
  const embed = conceptEmbedder(options.concepts ?? []);
  const chatRequests: ChatRequest[] = [];
  /** Chat streams whose client hung up before the answer was complete; each also emits `abandoned`. */
  const state: { abandonedStreams: number; holdEmbeddings?: Promise<unknown>; embeddingStatus?: number } = {
    abandonedStreams: 0,
  };
  const embeddingInputs: string[][] = [];
  const events = new EventEmitter();
  const script = options.chat ?? ((): ChatScript => ({ pieces: ["Hello ", "from the ", "fake model."] }));

  const running = await listen(async (req, res) => {
    const body = JSON.parse((await readBody(req)).toString("utf8") || "null") as Record<string, unknown>;
    if (req.method === "POST" && req.url === "/v1/embeddings") {
      const { input, dimensions } = body as { input: string[]; dimensions: number };
      embeddingInputs.push(input);
      events.emit("embeddings", input);
      if (state.embeddingStatus)
        return sendJson(res, state.embeddingStatus, { error: { message: "scripted outage" } });
      await state.holdEmbeddings?.catch(() => undefined);
      if (res.destroyed) return;
      return sendJson(res, 200, {
        data: input.map((text, index) => ({ index, embedding: embed(text, dimensions) })),
      });
    }
    if (req.method !== "POST" || req.url !== "/v1/chat/completions")
      return sendJson(res, 404, { error: { message: "no such route" } });
    const request = { ...(body as unknown as ChatRequest), authorization: req.headers.authorization };
    chatRequests.push(request);
    const answer: ChatScript = script(request);
    if (answer.status)
      return sendJson(res, answer.status, { error: { message: `scripted failure ${answer.status}` } });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    let finished = false;
    res.on("close", () => {
      if (finished) return;
      state.abandonedStreams++;
      events.emit("abandoned");
    });
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: "chatcmpl-fake", object: "chat.completion.chunk", model: request.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(chunk({ role: "assistant", content: "" }));
    for (const [i, piece] of answer.pieces.entries()) {
      if (res.destroyed) return;
      res.write(chunk({ content: piece }));
      if (i === 0 && answer.holdAfterFirst) await answer.holdAfterFirst.catch(() => undefined);
    }
    if (res.destroyed) return;
    res.write(chunk({}, "stop"));
    finished = true;
    res.end("data: [DONE]\n\n");
  });
  return { url: `${running.origin}/v1`, chatRequests, embeddingInputs, state, events, close: running.close };
}

export type FakeOpenAi = Awaited<ReturnType<typeof startFakeOpenAi>>;
