import type { PushChannel, PushContentType, PushDelivery, PushDeliveryStatus, PushRule } from "@aimo/db";

/** What a client sees of a secret: enough to recognise it, never enough to use it. */
export const MASK = "••••";
export const maskSecret = (secret: string) => `${MASK}${secret.slice(-4)}`;

/** Webhook URLs carry their bot's token in the path: the origin stays, the path is masked. */
export function maskUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}/${MASK}${url.slice(-4)}`;
}

export function toChannelDto(channel: PushChannel): PushChannel {
  return {
    ...channel,
    ...(channel.webhookUrl ? { webhookUrl: maskUrl(channel.webhookUrl) } : {}),
    ...(channel.secret ? { secret: maskSecret(channel.secret) } : {}),
  };
}

export interface PushRuleDto {
  id: string;
  name: string;
  pushTime: number;
  contentType: PushContentType;
  channels: PushChannel[];
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export function toPushRuleDto(rule: PushRule): PushRuleDto {
  return {
    id: rule.id,
    name: rule.name,
    pushTime: rule.pushTime,
    contentType: rule.contentType,
    channels: rule.channels.map(toChannelDto),
    enabled: rule.enabled,
    createdAt: rule.createdAt.getTime(),
    updatedAt: rule.updatedAt.getTime(),
  };
}

export interface PushDeliveryDto {
  id: string;
  channelType: string;
  status: PushDeliveryStatus;
  attempts: number;
  error?: string;
  /** The scheduler's slot (ISO-8601 start of the hour) the delivery belongs to; absent for `sendNow`. */
  slot?: string;
  /** What the receiver saw as `webhook-id`, the same for every attempt of the delivery. */
  messageId?: string;
  createdAt: number;
  updatedAt: number;
}

export function toPushDeliveryDto(delivery: PushDelivery): PushDeliveryDto {
  return {
    id: delivery.id,
    channelType: delivery.channelType,
    status: delivery.status,
    attempts: delivery.attempts,
    error: delivery.error ?? undefined,
    slot: delivery.slot ?? undefined,
    messageId: delivery.messageId ?? undefined,
    createdAt: delivery.createdAt.getTime(),
    updatedAt: delivery.updatedAt.getTime(),
  };
}
