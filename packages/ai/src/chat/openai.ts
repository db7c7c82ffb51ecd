import { z } from "zod";

import { postWithRetry, ProviderError } from "../http/post-json";
import { sseData } from "./sse";
import type { ChatModel } from "./types";

export interface OpenAiChatOptions {
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Longest wait for the first byte of the answer, and between two pieces of it. */
  timeoutMs: number;
  /** Retries before the answer starts (429, 5xx, network); a broken stream is not retried. */
  retries: number;
}

const chunkSchema = z.object({
  choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).nullish() })).optional(),
  error: z.object({ message: z.string() }).optional(),
});

/** OpenAI-compatible `POST /chat/completions` with `stream: true`: SSE `data:` chunks until `[DONE]`. */
export function createOpenAiChatModel(options: OpenAiChatOptions): ChatModel {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  return {
    model: options.model,
    async *stream(messages, streamOptions = {}) {
      const controller = new AbortController();
      const callerAborted = () => controller.abort(streamOptions.signal?.reason);
      streamOptions.signal?.addEventListener("abort", callerAborted, { once: true });
      let timer: NodeJS.Timeout | undefined;
      const idleTimeout = new ProviderError(`chat API: no answer for ${options.timeoutMs} ms`);
      // One idle timer covers the wait for the first byte and every pause between pieces.
      const rearm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(idleTimeout), options.timeoutMs);
      };
      try {
        rearm();
        const response = await postWithRetry(
          {
            url,
            provider: "chat API",
            headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
            body: { model: options.model, messages, stream: true },
            retries: options.retries,
            attemptSignal: () => controller.signal,
            signal: controller.signal,
          },
          async (answer) => answer,
        );
        if (!response.body) throw new ProviderError("chat API: empty answer");
        for await (const data of sseData(response.body)) {
          rearm();
          if (data === "[DONE]") return;
          let json: unknown;
          try {
            json = JSON.parse(data);
          } catch {
            throw new ProviderError(`chat API: malformed chunk: ${data.slice(0, 200)}`);
          }
          const chunk = chunkSchema.safeParse(json);
          if (!chunk.success) throw new ProviderError(`chat API: malformed chunk: ${chunk.error.message}`);
          if (chunk.data.error) throw new ProviderError(`chat API: ${chunk.data.error.message}`);
          const piece = chunk.data.choices?.[0]?.delta?.content;
          if (piece) yield piece;
        }
      } catch (error) {
        if (controller.signal.reason === idleTimeout) throw idleTimeout;
        if (error instanceof ProviderError || streamOptions.signal?.aborted) throw error;
        throw new ProviderError(`chat API: ${(error as Error).message}`);
      } finally {
        clearTimeout(timer);
        streamOptions.signal?.removeEventListener("abort", callerAborted);
        // Also ends the upstream request when the consumer stops early.
        controller.abort();
      }
    },
  };
}
