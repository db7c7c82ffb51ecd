export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatStreamOptions {
  /** Aborting stops the upstream request too. */
  signal?: AbortSignal;
}

/** A chat model that streams its answer; null in the context when not configured. */
export interface ChatModel {
  readonly model: string;
  /** The answer's text, piece by piece as the model generates it. */
  stream(messages: ChatMessage[], options?: ChatStreamOptions): AsyncIterable<string>;
}
