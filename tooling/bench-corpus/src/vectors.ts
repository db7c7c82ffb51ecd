/**
 * Embeddings shaped like real ones: every vector shares a common direction (real embedding spaces are
 * anisotropic), its topic family's direction, its topic's direction and its own noise. With the weights below,
 * two memos of one topic have a cosine of about 0.65, of one family 0.35, of unrelated topics 0.15, and a memo
 * sits at about 0.8 from its topic's centre. "random" draws uniform unit vectors instead: the worst case of an
 * approximate index.
 */
import { Random } from "./random";

export type VectorMode = "clustered" | "random";

const COMMON = Math.sqrt(0.15);
const FAMILY = Math.sqrt(0.2);
const TOPIC = Math.sqrt(0.3);
const NOISE = Math.sqrt(0.35);

/** A random direction of unit length, the same for the same seed. */
function direction(seed: number, dims: number): Float32Array {
  const random = new Random(seed);
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) v[i] = random.next() * 2 - 1;
  return normalise(v);
}

function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i]! *= scale;
  return v;
}

/** Seeds of independent streams: a mix of the corpus seed, a stream name and an index. */
export const streamSeed = (seed: number, stream: number, index: number) =>
  Math.imul(seed ^ Math.imul(stream, 0x9e3779b1), 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);

export function createVectorSpace(seed: number, dims: number, families: number, topicFamily: number[]) {
  const common = direction(streamSeed(seed, 1, 0), dims);
  const familyDirections = Array.from({ length: families }, (_, f) =>
    direction(streamSeed(seed, 2, f), dims),
  );
  const topicDirections = topicFamily.map((_, t) => direction(streamSeed(seed, 3, t), dims));

  /** A vector near topic `topic`, its noise drawn from stream `noiseSeed`. */
  const near = (topic: number, noiseSeed: number): Float32Array => {
    const family = familyDirections[topicFamily[topic]!]!;
    const centre = topicDirections[topic]!;
    const noise = direction(noiseSeed, dims);
    const v = new Float32Array(dims);
    for (let i = 0; i < dims; i++)
      v[i] = COMMON * common[i]! + FAMILY * family[i]! + TOPIC * centre[i]! + NOISE * noise[i]!;
    return normalise(v);
  };
  return { near, random: (noiseSeed: number) => direction(noiseSeed, dims) };
}
