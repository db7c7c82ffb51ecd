/** Options of one embedding call. */
export interface EmbedOptions {
  /** Cancels the call: the request in flight is aborted and no retry follows. */
  signal?: AbortSignal;
}

/** Text embeddings: one vector per input, in order, of `dimensions` length, L2-normalised. */
export interface Embedder {
  /** Identifies model and dimensions; part of every cache key. */
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[], options?: EmbedOptions): Promise<Float32Array[]>;
}

export type MultimodalInput = { text: string } | { image: string } | { video: string };

/** Image/video/text embeddings into one space (DashScope-style); null in the context when not configured. */
export interface MultimodalEmbedder {
  readonly model: string;
  readonly dimensions: number;
  embed(inputs: MultimodalInput[], options?: EmbedOptions): Promise<Float32Array[]>;
}
