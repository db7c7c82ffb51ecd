import type { TRPCRouterRecord } from "@trpc/server";

import { profileUpdateInput } from "../schemas/account";
import { accountService } from "../services/accounts";
import { avatarService } from "../services/avatars";
import { protectedProcedure } from "../trpc";

/** The avatar is uploaded over `POST /avatar` (multipart, one image) and shown by `avatarUrl`. */
export const userRouter = {
  get: protectedProcedure.query(({ ctx }) => accountService.me(ctx, ctx.user.uid)),
  update: protectedProcedure
    .input(profileUpdateInput)
    .mutation(({ ctx, input }) => accountService.updateProfile(ctx, ctx.user.uid, input)),
  removeAvatar: protectedProcedure.mutation(async ({ ctx }) => {
    await avatarService.remove(ctx, ctx.user.uid);
    return accountService.me(ctx, ctx.user.uid);
  }),
} satisfies TRPCRouterRecord;
