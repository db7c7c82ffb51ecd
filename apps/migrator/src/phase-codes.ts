/** The phases of a migration, in the order main.ts runs them, and how a phase's process tells it how it ended. */
export type Phase = "copy" | "index" | "verify";

export const PHASE_EXIT = {
  ok: 0,
  /** Done, with failed records or differences: the next phase still runs, and the migration exits 1. */
  incomplete: 1,
  /** Bad options or environment, or an error: the migration stops here. */
  stopped: 2,
} as const;
