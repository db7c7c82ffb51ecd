import { z } from "zod";

import { accountService } from "../services/accounts";
import { protectedProcedure } from "../trpc";

export const userRouter = {
  get: protectedProcedure.query(({ ctx }) => accountService.me(ctx, ctx.user.uid)),
  update: protectedProcedure
    .input(
      z.strictObject({
        nickname: z.string().trim().min(1).max(64).nullable().optional(),
        /** A storage path of one of the user's uploads, relative to the attachment root. */
        avatar: z
          .string()
          .min(1)
          .max(1024)
          .regex(/^[^\\]+$/)
          .refine((p) => !p.split("/").includes(".."), "no '..'")
          .nullable()
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) => accountService.updateProfile(ctx, ctx.user.uid, input)),
};
