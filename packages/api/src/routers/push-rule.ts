import type { TRPCRouterRecord } from "@trpc/server";

import { deliveriesInput, pushRuleCreateInput, pushRuleUpdateInput } from "../schemas/push-rule";
import { pushRuleService } from "../services/push/service";
import { protectedProcedure } from "../trpc";
import { idInput } from "../validation";

export const pushRuleRouter = {
  list: protectedProcedure.query(({ ctx }) => pushRuleService.list(ctx, ctx.user.uid)),
  create: protectedProcedure
    .input(pushRuleCreateInput)
    .mutation(({ ctx, input }) => pushRuleService.create(ctx, ctx.user.uid, input)),
  /** Channels sent back with masked secrets or URLs keep the stored ones. */
  update: protectedProcedure
    .input(pushRuleUpdateInput)
    .mutation(({ ctx, input: { id, ...patch } }) => pushRuleService.update(ctx, ctx.user.uid, id, patch)),
  delete: protectedProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => pushRuleService.delete(ctx, ctx.user.uid, input.id)),
  /** Sends the rule now, to test it; answers each channel's delivery. */
  sendNow: protectedProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => pushRuleService.send(ctx, ctx.user.uid, input.id)),
  deliveries: protectedProcedure
    .input(deliveriesInput)
    .query(({ ctx, input }) => pushRuleService.deliveries(ctx, ctx.user.uid, input.id, input.limit)),
} satisfies TRPCRouterRecord;
