import { z } from "zod";

import { colorSchema, idSchema, nameSchema } from "../validation";

/** Tags and categories are both labels: a name unique per user and an optional colour. */
export const labelCreateInput = z.strictObject({ name: nameSchema, color: colorSchema.optional() });
export type LabelCreateInput = z.output<typeof labelCreateInput>;

export const labelUpdateInput = z.strictObject({
  id: idSchema,
  name: nameSchema.optional(),
  color: colorSchema.nullable().optional(),
});
export type LabelUpdateInput = z.output<typeof labelUpdateInput>;
