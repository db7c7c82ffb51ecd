import { z } from "zod";

import { idSchema } from "../validation";

export const linkInput = z.strictObject({ sourceMemoId: idSchema, targetMemoId: idSchema });
export type LinkInput = z.output<typeof linkInput>;

export const memoLinksInput = z.strictObject({ memoId: idSchema });
