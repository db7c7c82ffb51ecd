/** Whether an update has anything to set: Drizzle leaves out undefined fields and refuses an empty SET. */
export const hasChanges = (values: Record<string, unknown>) =>
  Object.values(values).some((v) => v !== undefined);
