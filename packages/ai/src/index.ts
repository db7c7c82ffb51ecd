export type * from "./types";
export { createLocalEmbedder, LOCAL_EMBEDDING_MODEL } from "./embedding/local";
export { createOpenAiEmbedder } from "./embedding/openai";
export type { OpenAiEmbedderOptions } from "./embedding/openai";
export { sha256Hex, textModelHash, withEmbeddingCache, withMultimodalCache } from "./embedding/cache";
export type { CachedVector, EmbeddingCacheStore } from "./embedding/cache";
export {
  createEmbedderFromEnv,
  embeddingEnvSchema,
  embeddingModelName,
  isEmbeddingApiConfigured,
} from "./embedding/env";
export type { EmbeddingEnv } from "./embedding/env";
export { ProviderError } from "./http/post-json";
export { createDashScopeEmbedder } from "./embedding/dashscope";
export type { DashScopeEmbedderOptions } from "./embedding/dashscope";
export {
  createMultimodalEmbedderFromEnv,
  multimodalEnvSchema,
  multimodalModelName,
} from "./embedding/multimodal-env";
export type { MultimodalEnv } from "./embedding/multimodal-env";
export type { ChatMessage, ChatModel, ChatStreamOptions } from "./chat/types";
export { createOpenAiChatModel } from "./chat/openai";
export type { OpenAiChatOptions } from "./chat/openai";
export { chatEnvSchema, createChatModelFromEnv } from "./chat/env";
export type { ChatEnv } from "./chat/env";
