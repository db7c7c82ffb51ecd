/** A seeded random source (mulberry32) and the few distributions the corpus draws from. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** A legacy-style id: a type prefix and 23 characters of [0-9a-z]. */
  id(prefix: string): string {
    let id = prefix;
    for (let i = 0; i < 23; i++) id += "0123456789abcdefghijklmnopqrstuvwxyz"[this.int(36)];
    return id;
  }
}

/** Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1)^exponent. */
export function zipf(n: number, exponent: number) {
  const weights = Array.from({ length: n }, (_, rank) => 1 / (rank + 1) ** exponent);
  return weighted(weights);
}

/** Draws indexes with probability proportional to their weight. */
export function weighted(weights: readonly number[]) {
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w));
  return (random: Random) => {
    const target = random.next() * sum;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! <= target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}
