/** Text embeddings: one vector per input, in order, of `dimensions` length, L2-normalised. */
export interface Embedder {
  /** Identifies model and dimensions; part of every cache key. */
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export type MultimodalInput = { text: string } | { image: string } | { video: string };

/** Image/video/text embeddings into one space (DashScope-style); null in the context when not configured. */
export interface MultimodalEmbedder {
  readonly model: string;
  readonly dimensions: number;
  embed(inputs: MultimodalInput[]): Promise<Float32Array[]>;
}
