import { byteSize } from "@aimo/env";
import { z } from "zod";

export const transferEnvSchema = z.object({
  /** Largest file `POST /import` takes (an export zip with its attachments); its files may unpack to 8 times this. */
  IMPORT_MAX_FILE_SIZE: byteSize("1GB"),
});
export type TransferEnv = z.infer<typeof transferEnvSchema>;
