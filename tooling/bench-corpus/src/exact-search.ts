/**
 * The raw baseline of vector search: rows of `dims` floats back to back in one Float32Array, scanned with a
 * tight dot-product loop, the best `k` scoring at least `floor` kept in place. Returns row indexes, best first.
 */
export function exactTopK(
  matrix: Float32Array,
  dims: number,
  query: Float32Array,
  k: number,
  floor = -Infinity,
): number[] {
  const rows = Math.floor(matrix.length / dims);
  const scores = new Float32Array(k).fill(-Infinity);
  const top = new Int32Array(k).fill(-1);
  for (let r = 0; r < rows; r++) {
    const offset = r * dims;
    let dot = 0;
    for (let i = 0; i < dims; i++) dot += matrix[offset + i]! * query[i]!;
    if (dot <= scores[k - 1]! || dot < floor) continue;
    // Insertion into the sorted top k, only for the rare row that enters it.
    let slot = k - 1;
    while (slot > 0 && scores[slot - 1]! < dot) {
      scores[slot] = scores[slot - 1]!;
      top[slot] = top[slot - 1]!;
      slot--;
    }
    scores[slot] = dot;
    top[slot] = r;
  }
  return Array.from(top).filter((r) => r >= 0);
}
