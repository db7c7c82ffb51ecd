import type { TRPCRouterRecord } from "@trpc/server";
import { publicProcedure } from "../trpc";

export const systemRouter = {
  health: publicProcedure.query(async ({ ctx }) => {
    const mysql = await ctx.pingDb();
    return { status: mysql ? ("ok" as const) : ("degraded" as const), mysql };
  }),
  version: publicProcedure.query(({ ctx }) => ({ version: ctx.version })),
} satisfies TRPCRouterRecord;
