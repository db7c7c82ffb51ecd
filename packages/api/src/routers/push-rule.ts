import type { TRPCRouterRecord } from "@trpc/server";
import { PUSH_CONTENT_TYPES } from "@aimo/db";
import { z } from "zod";

import { channelSchema } from "../services/push/channels";
import { pushRuleService } from "../services/push/service";
import { protectedProcedure } from "../trpc";
import { idSchema } from "../validation";

const ruleFields = {
  name: z.string().trim().min(1).max(128),
  pushTime: z.number().int().min(0).max(23),
  contentType: z.enum(PUSH_CONTENT_TYPES),
  channels: z.array(channelSchema).min(1).max(10),
  enabled: z.boolean(),
};

export const pushRuleRouter = {
  list: protectedProcedure.query(({ ctx }) => pushRuleService.list(ctx, ctx.user.uid)),
  create: protectedProcedure
    .input(z.strictObject({ ...ruleFields, enabled: ruleFields.enabled.default(true) }))
    .mutation(({ ctx, input }) => pushRuleService.create(ctx, ctx.user.uid, input)),
  /** Channels sent back with masked secrets or URLs keep the stored ones. */
  update: protectedProcedure
    .input(z.strictObject({ id: idSchema, ...z.object(ruleFields).partial().shape }))
    .mutation(({ ctx, input: { id, ...patch } }) => pushRuleService.update(ctx, ctx.user.uid, id, patch)),
  delete: protectedProcedure
    .input(z.strictObject({ id: idSchema }))
    .mutation(({ ctx, input }) => pushRuleService.delete(ctx, ctx.user.uid, input.id)),
  /** Sends the rule now, to test it; answers each channel's delivery. */
  sendNow: protectedProcedure
    .input(z.strictObject({ id: idSchema }))
    .mutation(({ ctx, input }) => pushRuleService.send(ctx, ctx.user.uid, input.id)),
  deliveries: protectedProcedure
    .input(z.strictObject({ id: idSchema, limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => pushRuleService.deliveries(ctx, ctx.user.uid, input.id, input.limit)),
} satisfies TRPCRouterRecord;
