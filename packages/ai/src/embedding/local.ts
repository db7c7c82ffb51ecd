import type { Embedder } from "../types";

export const LOCAL_EMBEDDING_MODEL = "aimo-local-hash-v1";

const WORD = /[\p{L}\p{N}]+/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** FNV-1a, 32 bits: a fast, stable hash so the same text always lands on the same dimensions. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Words, character trigrams of words, and character unigrams and bigrams of CJK runs (no spaces there). */
function features(text: string): [string, number][] {
  const out: [string, number][] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    const chars = [...word];
    if (chars.some((c) => CJK.test(c))) {
      for (let i = 0; i < chars.length; i++) {
        out.push([`c:${chars[i]}`, 0.5]);
        if (i + 1 < chars.length) out.push([`b:${chars[i]}${chars[i + 1]}`, 1]);
      }
      continue;
    }
    out.push([`w:${word}`, 1]);
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i++) out.push([`g:${padded.slice(i, i + 3)}`, 0.3]);
  }
  return out;
}

function embedOne(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const [feature, weight] of features(text)) {
    const hash = fnv1a(feature);
    // A second hash picks the sign, so collisions cancel out instead of piling up.
    const sign = fnv1a(feature, 0x9747b28c) & 1 ? 1 : -1;
    vector[hash % dimensions]! += sign * weight;
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i]! *= scale;
  return vector;
}

/**
 * The offline embedder: hashed words and character n-grams, L2-normalised. Its similarity is lexical
 * (shared words and characters), not semantic; configure an embedding API for meaning.
 */
export function createLocalEmbedder(dimensions: number): Embedder {
  return {
    model: LOCAL_EMBEDDING_MODEL,
    dimensions,
    async embed(texts) {
      return texts.map((text) => embedOne(text, dimensions));
    },
  };
}
