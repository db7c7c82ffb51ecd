import type { TRPCRouterRecord } from "@trpc/server";

import { changePasswordInput, loginInput, registerInput, tokenCreateInput } from "../schemas/account";
import { accountService } from "../services/accounts";
import { protectedProcedure, publicProcedure } from "../trpc";
import { idInput } from "../validation";

export const authRouter = {
  register: publicProcedure
    .input(registerInput)
    .mutation(({ ctx, input }) => accountService.register(ctx, input)),
  login: publicProcedure
    .input(loginInput)
    .mutation(({ ctx, input }) => accountService.login(ctx, input, ctx.clientIp)),
  me: protectedProcedure.query(({ ctx }) => accountService.me(ctx, ctx.user.uid)),
  changePassword: protectedProcedure
    .input(changePasswordInput)
    .mutation(({ ctx, input }) => accountService.changePassword(ctx, ctx.user.uid, input)),
  /** Ends every session of the caller's account (access tokens; personal API tokens are revoked one by one). */
  logoutEverywhere: protectedProcedure.mutation(({ ctx }) =>
    accountService.logoutEverywhere(ctx, ctx.user.uid),
  ),
  createToken: protectedProcedure
    .input(tokenCreateInput)
    .mutation(({ ctx, input }) => accountService.createToken(ctx, ctx.user.uid, input)),
  listTokens: protectedProcedure.query(({ ctx }) => accountService.listTokens(ctx, ctx.user.uid)),
  revokeToken: protectedProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => accountService.revokeToken(ctx, ctx.user.uid, input.id)),
} satisfies TRPCRouterRecord;
