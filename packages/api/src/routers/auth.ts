import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { accountService } from "../services/accounts";
import { protectedProcedure, publicProcedure } from "../trpc";
import { epochMsSchema, idSchema } from "../validation";

const emailSchema = z.email().max(191);
const passwordSchema = z.string().min(8).max(128);

export const authRouter = {
  register: publicProcedure
    .input(
      z.strictObject({
        email: emailSchema,
        password: passwordSchema,
        nickname: z.string().trim().min(1).max(64).optional(),
      }),
    )
    .mutation(({ ctx, input }) => accountService.register(ctx, input)),
  login: publicProcedure
    .input(z.strictObject({ email: emailSchema, password: z.string().min(1).max(128) }))
    .mutation(({ ctx, input }) => accountService.login(ctx, input, ctx.clientIp)),
  me: protectedProcedure.query(({ ctx }) => accountService.me(ctx, ctx.user.uid)),
  changePassword: protectedProcedure
    .input(z.strictObject({ currentPassword: z.string().min(1).max(128), newPassword: passwordSchema }))
    .mutation(({ ctx, input }) => accountService.changePassword(ctx, ctx.user.uid, input)),
  /** Ends every session of the caller's account (access tokens; personal API tokens are revoked one by one). */
  logoutEverywhere: protectedProcedure.mutation(({ ctx }) =>
    accountService.logoutEverywhere(ctx, ctx.user.uid),
  ),
  createToken: protectedProcedure
    .input(z.strictObject({ name: z.string().trim().min(1).max(64), expiresAt: epochMsSchema.optional() }))
    .mutation(({ ctx, input }) => accountService.createToken(ctx, ctx.user.uid, input)),
  listTokens: protectedProcedure.query(({ ctx }) => accountService.listTokens(ctx, ctx.user.uid)),
  revokeToken: protectedProcedure
    .input(z.strictObject({ id: idSchema }))
    .mutation(({ ctx, input }) => accountService.revokeToken(ctx, ctx.user.uid, input.id)),
} satisfies TRPCRouterRecord;
