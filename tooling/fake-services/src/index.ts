export { conceptEmbedder } from "./concepts";
export { startFakeOpenAi } from "./openai";
export type { ChatRequest, ChatScript, FakeOpenAi, FakeOpenAiOptions } from "./openai";
export { startFakeDashScope } from "./dashscope";
export type { FakeDashScope } from "./dashscope";
export { startFakeS3 } from "./s3";
export type { FakeS3 } from "./s3";
export { tinyPng } from "./png";
