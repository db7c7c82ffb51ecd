import { PUSH_CONTENT_TYPES } from "@aimo/db";
import { z } from "zod";

import { MASK } from "../dto/push-rule";
import { idSchema } from "../validation";

const feishuChannelSchema = z.strictObject({
  type: z.literal("feishu"),
  nickname: z.string().max(64).optional(),
  webhookUrl: z.url({ protocol: /^https?$/ }).max(1024),
  /** The custom bot's signing secret, when signature verification is on. */
  secret: z.string().min(1).max(256).optional(),
});
const meowChannelSchema = z.strictObject({
  type: z.literal("meow"),
  nickname: z.string().min(1).max(64),
  msgType: z.enum(["text", "html"]).optional(),
  htmlHeight: z.number().int().min(50).max(2000).optional(),
});
const webhookChannelSchema = z.strictObject({
  type: z.literal("webhook"),
  nickname: z.string().max(64).optional(),
  webhookUrl: z.url({ protocol: /^https?$/ }).max(1024),
  /** Standard Webhooks secret: `whsec_` and base64 bytes (or, on update, the masked value to keep it). */
  secret: z.union([
    z.string().regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, "a Standard Webhooks secret: whsec_ and base64"),
    z.string().startsWith(MASK).max(16),
  ]),
});
export const channelSchema = z.discriminatedUnion("type", [
  feishuChannelSchema,
  meowChannelSchema,
  webhookChannelSchema,
]);
export type Channel = z.infer<typeof channelSchema>;

const ruleFields = {
  name: z.string().trim().min(1).max(128),
  pushTime: z.number().int().min(0).max(23),
  contentType: z.enum(PUSH_CONTENT_TYPES),
  channels: z.array(channelSchema).min(1).max(10),
  enabled: z.boolean(),
};

export const pushRuleCreateInput = z.strictObject({
  ...ruleFields,
  enabled: ruleFields.enabled.default(true),
});
export type PushRuleCreateInput = z.output<typeof pushRuleCreateInput>;

/** Channels sent back with masked secrets or URLs keep the stored ones. */
export const pushRuleUpdateInput = z.strictObject({ id: idSchema, ...z.object(ruleFields).partial().shape });
/** An update without the rule's id: only the fields given change. */
export type PushRulePatch = Omit<z.output<typeof pushRuleUpdateInput>, "id">;

export const deliveriesInput = z.strictObject({
  id: idSchema,
  limit: z.number().int().min(1).max(200).default(50),
});
