/** Test and benchmark helpers: scratch databases of their own, made from the environment's MySQL settings. */
export { dropDatabase } from "./client";
export { openScratchDatabase, scratchConfig } from "./scratch";
export type { ScratchDatabase } from "./scratch";
