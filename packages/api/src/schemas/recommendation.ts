import { z } from "zod";

/** Picks a day unless asked otherwise. */
export const DEFAULT_PICKS = 3;

export const todayInput = z
  .strictObject({ count: z.number().int().min(1).max(10).default(DEFAULT_PICKS) })
  .default({ count: DEFAULT_PICKS });
export type TodayInput = z.output<typeof todayInput>;
