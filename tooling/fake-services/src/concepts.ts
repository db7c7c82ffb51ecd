/**
 * Vectors in which related words point the same way: each group of words is one direction, so "kitten"
 * lands on "cat" with no letter in common. Words of no group add a small hashed component.
 */
export function conceptEmbedder(groups: string[][]) {
  const concept = new Map<string, number>();
  groups.forEach((words, i) => words.forEach((w) => concept.set(w.toLowerCase(), i)));
  return (text: string, dimensions: number): number[] => {
    const v = new Array<number>(dimensions).fill(0);
    v[dimensions - 1] = 0.05;
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      const c = concept.get(word);
      if (c !== undefined) v[c % (dimensions - 1)]! += 1;
      else v[hash(word) % (dimensions - 1)]! += 0.1;
    }
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
