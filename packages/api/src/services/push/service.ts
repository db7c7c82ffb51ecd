import { createHash, randomUUID } from "node:crypto";

import type { PushChannel, PushContentType, PushRule } from "@aimo/db";
import { createId, memos, nowPlus, pushDeliveries, pushRules } from "@aimo/db";
import { and, asc, desc, eq, gte, lt, sql } from "drizzle-orm";
import pRetry from "p-retry";

import type { ApiDeps } from "../../context";
import { MASK, toPushDeliveryDto, toPushRuleDto } from "../../dto/push-rule";
import { badRequest, isDuplicateKey, notFound } from "../../errors";
import type { Channel, PushRuleCreateInput, PushRulePatch } from "../../schemas/push-rule";
import { hasChanges } from "../changes";
import { localDate, zoneOffset } from "../memo-queries";
import { recommendationService } from "../recommendations";
import type { PushMessage } from "./channels";
import { DELIVERY_TIMEOUT_MS, deliver } from "./channels";
import { assertPublicTarget } from "./targets";

/** Retries per delivery after the first attempt, with exponential backoff. */
export const DELIVERY_RETRIES = 2;

/**
 * A slot's delivery still `pending` this long after it was recorded is no longer being sent: every attempt
 * with its backoff ends well within it (3 x 10 s). Its sender died mid-send, so a later run of the slot sends it.
 */
const STALE_PENDING_MS = (DELIVERY_RETRIES + 1) * DELIVERY_TIMEOUT_MS * 2;

async function loadRule(ctx: ApiDeps, uid: string, id: string) {
  const [rule] = await ctx.db
    .select()
    .from(pushRules)
    .where(and(eq(pushRules.id, id), eq(pushRules.uid, uid)))
    .limit(1);
  if (!rule) throw notFound("Push rule");
  return rule;
}

/** A channel sent back with its masked secret or URL keeps the stored value. */
function unmask(channels: Channel[], stored: PushChannel[]): PushChannel[] {
  return channels.map((channel, i) => {
    const previous = stored[i];
    const out = { ...channel } as PushChannel;
    if (previous?.type === channel.type) {
      if (out.secret?.startsWith(MASK)) out.secret = previous.secret;
      if (out.webhookUrl?.includes(`/${MASK}`)) out.webhookUrl = previous.webhookUrl;
    }
    return out;
  });
}

async function checkTargets(ctx: ApiDeps, channels: PushChannel[]) {
  for (const channel of channels) {
    if (channel.webhookUrl) await assertPublicTarget(channel.webhookUrl, ctx.config.push);
  }
}

/** The text of a rule's push: today's picks, or the memos written yesterday and today. */
async function composeMessage(
  ctx: ApiDeps,
  uid: string,
  contentType: PushContentType,
  now: Date,
): Promise<PushMessage> {
  let items: { content: string }[];
  let title: string;
  if (contentType === "daily_pick") {
    items = (await recommendationService.today(ctx, uid, { count: 3, now })).memos;
    title = "AIMO · today's picks";
  } else {
    const today = localDate(ctx.config.timezone, now);
    const offset = zoneOffset(ctx.config.timezone, now);
    const start = new Date(Date.parse(`${today}T00:00:00${offset}`) - 86_400_000);
    items = await ctx.db
      .select({ content: memos.content })
      .from(memos)
      .where(
        and(
          eq(memos.uid, uid),
          gte(memos.createdAt, start),
          lt(memos.createdAt, new Date(start.getTime() + 2 * 86_400_000)),
        ),
      )
      .orderBy(asc(memos.createdAt))
      .limit(20);
    title = "AIMO · yesterday and today";
  }
  const lines = items.map((m) => m.content.slice(0, 300));
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    title,
    text: lines.length ? lines.map((l) => `• ${l}`).join("\n") : "Nothing new today.",
    html: lines.length
      ? `<ul>${lines.map((l) => `<li>${escape(l)}</li>`).join("")}</ul>`
      : "<p>Nothing new today.</p>",
  };
}

/**
 * The `webhook-id` of a slot's delivery: derived from rule, slot and channel, so every attempt of it, by any
 * process, carries the same id and a receiver can drop repeats (Standard Webhooks). A manual send is a new message.
 */
export function slotMessageId(ruleId: string, slot: string, channelIndex: number): string {
  const digest = createHash("sha256").update(`${ruleId}\n${slot}\n${channelIndex}`).digest("base64url");
  return `msg_${digest.slice(0, 32)}`;
}

/**
 * Records a delivery row before sending and answers its id, or null when the slot's row for this channel exists
 * already and is sent, failed or being sent. A row left `pending` by a sender that died (older than
 * STALE_PENDING_MS, on the database clock) is taken over by one UPDATE, so of several runs one resends it,
 * under the same `webhook-id`.
 */
async function recordDelivery(ctx: ApiDeps, row: typeof pushDeliveries.$inferInsert): Promise<string | null> {
  try {
    await ctx.db.insert(pushDeliveries).values(row);
    return row.id;
  } catch (error) {
    if (row.slot == null || !isDuplicateKey(error)) throw error;
  }
  const slotRow = and(
    eq(pushDeliveries.ruleId, row.ruleId),
    eq(pushDeliveries.slot, row.slot),
    eq(pushDeliveries.channelIndex, row.channelIndex ?? 0),
  );
  const [taken] = await ctx.db
    .update(pushDeliveries)
    .set({ updatedAt: sql`NOW(3)` })
    .where(
      and(
        slotRow,
        eq(pushDeliveries.status, "pending"),
        lt(pushDeliveries.updatedAt, nowPlus(-STALE_PENDING_MS)),
      ),
    );
  if (taken.affectedRows !== 1) return null;
  const [stale] = await ctx.db.select({ id: pushDeliveries.id }).from(pushDeliveries).where(slotRow);
  return stale?.id ?? null;
}

async function sendRule(ctx: ApiDeps, rule: PushRule, now: Date, slot: string | null) {
  const message = await composeMessage(ctx, rule.uid, rule.contentType, now);
  const results = [];
  for (const [channelIndex, channel] of rule.channels.entries()) {
    const messageId = slot === null ? `msg_${randomUUID()}` : slotMessageId(rule.id, slot, channelIndex);
    const deliveryId = await recordDelivery(ctx, {
      id: createId("pushDelivery"),
      uid: rule.uid,
      ruleId: rule.id,
      channelType: channel.type,
      channelIndex,
      slot,
      messageId,
      status: "pending",
    });
    if (deliveryId === null) continue;
    let attempts = 0;
    try {
      await pRetry(
        async () => {
          attempts++;
          await deliver(channel, message, ctx.config.push, messageId);
        },
        { retries: DELIVERY_RETRIES, minTimeout: 200, factor: 3 },
      );
      await ctx.db
        .update(pushDeliveries)
        .set({ status: "success", attempts })
        .where(eq(pushDeliveries.id, deliveryId));
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
      await ctx.db
        .update(pushDeliveries)
        .set({ status: "failed", attempts, error: reason })
        .where(eq(pushDeliveries.id, deliveryId));
    }
    const [row] = await ctx.db.select().from(pushDeliveries).where(eq(pushDeliveries.id, deliveryId));
    results.push(toPushDeliveryDto(row!));
  }
  return results;
}

export const pushRuleService = {
  async list(ctx: ApiDeps, uid: string) {
    const rows = await ctx.db
      .select()
      .from(pushRules)
      .where(eq(pushRules.uid, uid))
      .orderBy(asc(pushRules.pushTime), asc(pushRules.createdAt));
    return rows.map(toPushRuleDto);
  },

  async create(ctx: ApiDeps, uid: string, input: PushRuleCreateInput) {
    if (
      input.channels.some(
        (c) =>
          ("secret" in c && c.secret?.startsWith(MASK)) || ("webhookUrl" in c && c.webhookUrl.includes(MASK)),
      )
    ) {
      throw badRequest("A new rule needs its channels' real secrets and URLs, not masked ones");
    }
    await checkTargets(ctx, input.channels);
    const id = createId("pushRule");
    await ctx.db.insert(pushRules).values({ id, uid, ...input });
    return toPushRuleDto(await loadRule(ctx, uid, id));
  },

  async update(ctx: ApiDeps, uid: string, id: string, input: PushRulePatch) {
    const rule = await loadRule(ctx, uid, id);
    const channels = input.channels ? unmask(input.channels, rule.channels) : undefined;
    if (channels) await checkTargets(ctx, channels);
    const changes = {
      name: input.name,
      pushTime: input.pushTime,
      contentType: input.contentType,
      enabled: input.enabled,
      channels,
    };
    if (hasChanges(changes)) await ctx.db.update(pushRules).set(changes).where(eq(pushRules.id, id));
    return toPushRuleDto(await loadRule(ctx, uid, id));
  },

  async delete(ctx: ApiDeps, uid: string, id: string) {
    await loadRule(ctx, uid, id);
    await ctx.db.delete(pushRules).where(eq(pushRules.id, id));
    return { ok: true as const };
  },

  async deliveries(ctx: ApiDeps, uid: string, id: string, limit: number) {
    await loadRule(ctx, uid, id);
    const rows = await ctx.db
      .select()
      .from(pushDeliveries)
      .where(eq(pushDeliveries.ruleId, id))
      .orderBy(desc(pushDeliveries.createdAt), desc(pushDeliveries.id))
      .limit(limit);
    return rows.map(toPushDeliveryDto);
  },

  /** Runs a rule now, to test it: one delivery per channel, each retried with backoff and logged with its outcome. */
  async send(ctx: ApiDeps, uid: string, id: string, now = new Date()) {
    return sendRule(ctx, await loadRule(ctx, uid, id), now, null);
  },

  /**
   * Runs a rule for a scheduler slot. Each channel's delivery is recorded under (rule, slot, channel) before it
   * is sent, so a channel already recorded for the slot (sent, failed or being sent by another process) is
   * skipped: a retry of the slot or a second server never sends it twice; one whose sender died mid-send is sent
   * again (see `recordDelivery`). Answers the deliveries it made.
   */
  async sendForSlot(ctx: ApiDeps, uid: string, id: string, slot: string, now: Date) {
    return sendRule(ctx, await loadRule(ctx, uid, id), now, slot);
  },

  /** Enabled rules whose hour (in LOCALE_TIMEZONE) is the hour of `now`, for the scheduler. */
  async dueRules(ctx: Pick<ApiDeps, "db" | "config">, now: Date) {
    const hour = Number(
      new Intl.DateTimeFormat("en-GB", {
        timeZone: ctx.config.timezone,
        hour: "2-digit",
        hourCycle: "h23",
      }).format(now),
    );
    return ctx.db
      .select({ id: pushRules.id, uid: pushRules.uid })
      .from(pushRules)
      .where(and(eq(pushRules.pushTime, hour), eq(pushRules.enabled, true)));
  },
};
