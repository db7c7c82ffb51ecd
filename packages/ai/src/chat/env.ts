import { z } from "zod";

import { embeddingEnvSchema } from "../embedding/env";
import { createOpenAiChatModel } from "./openai";
import type { ChatModel } from "./types";

export const chatEnvSchema = embeddingEnvSchema.pick({ OPENAI_BASE_URL: true, OPENAI_API_KEY: true }).extend({
  /** The chat model; AI chat is off while it is unset. */
  OPENAI_MODEL: z.string().min(1).optional(),
  CHAT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
});

export type ChatEnv = z.infer<typeof chatEnvSchema>;

/** Off (null) unless OPENAI_MODEL is set and an API is configured (OPENAI_BASE_URL or OPENAI_API_KEY). */
export function createChatModelFromEnv(env: ChatEnv): ChatModel | null {
  if (!env.OPENAI_MODEL || !(env.OPENAI_BASE_URL ?? env.OPENAI_API_KEY)) return null;
  return createOpenAiChatModel({
    baseUrl: env.OPENAI_BASE_URL ?? "https://api.openai.com/v1",
    apiKey: env.OPENAI_API_KEY,
    model: env.OPENAI_MODEL,
    timeoutMs: env.CHAT_TIMEOUT_MS,
    retries: 2,
  });
}
