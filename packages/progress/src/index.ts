export { formatBytes, formatCount, formatDuration } from "./format";
export type { ProgressLines } from "./lines";
export { LINE_INTERVAL_MS, createProgressLines } from "./lines";
export type { ProgressOutput } from "./output";
export { createProgressOutput } from "./output";
