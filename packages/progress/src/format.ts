import prettyBytes from "pretty-bytes";

const count = new Intl.NumberFormat("en-US");

/** A count with thousands separators: 200,000. */
export function formatCount(n: number): string {
  return count.format(n);
}

/** A size for people: 1.34 kB, 2.5 MB (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  return prettyBytes(bytes);
}

/** A time left or taken, as coarse as a progress line needs: "15 s", "3 min 20 s", "1 h 6 min"; "?" if unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  return s < 60
    ? `${s} s`
    : s < 3600
      ? `${Math.floor(s / 60)} min ${s % 60} s`
      : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
