import { createHmac } from "node:crypto";

import type { PushChannel } from "@aimo/db";
import type { Agent, Response } from "undici";
import { fetch } from "undici";

import type { PushConfig } from "../../config/api";
import { guardedAgent } from "./targets";

export interface PushMessage {
  title: string;
  text: string;
  html: string;
}

export class DeliveryError extends Error {}

/** How long one attempt at a receiver may take. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** POSTs JSON; a user's webhook goes through the guarded agent, the operator's Meow URL does not need to. */
async function post(url: string, body: string, headers: Record<string, string>, agent?: Agent) {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      redirect: "error",
      dispatcher: agent,
    });
  } catch (error) {
    // fetch says only "fetch failed"; the reason (a refused address, a timeout) is its cause.
    const cause = (error as { cause?: unknown }).cause;
    throw new DeliveryError(cause instanceof Error ? cause.message : String(error));
  }
  const text = await response.text();
  if (!response.ok) throw new DeliveryError(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  return text;
}

/** POSTs to a user's webhook URL, connecting only to public addresses unless private targets are allowed. */
async function postToWebhook(
  push: PushConfig,
  url: string,
  body: string,
  headers: Record<string, string> = {},
) {
  const agent = guardedAgent(push);
  try {
    return await post(url, body, headers, agent);
  } finally {
    await agent.close();
  }
}

/** Feishu/Lark custom bot: the signature is HMAC-SHA256 keyed by "timestamp\nsecret" over nothing, base64. */
export function feishuSign(timestamp: number, secret: string): string {
  return createHmac("sha256", `${timestamp}\n${secret}`).update("").digest("base64");
}

/** Standard Webhooks: v1 HMAC-SHA256 of "id.timestamp.body" with the secret's bytes, base64. */
export function standardWebhookSignature(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/**
 * Sends one message to one channel; throws DeliveryError with the reason on failure. `messageId` is the
 * webhook's `webhook-id`: the same for every attempt of one message.
 */
export async function deliver(
  channel: PushChannel,
  message: PushMessage,
  push: PushConfig,
  messageId: string,
): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  if (channel.type === "feishu") {
    const body: Record<string, unknown> = {
      msg_type: "text",
      content: { text: `${message.title}\n\n${message.text}` },
    };
    if (channel.secret)
      Object.assign(body, { timestamp: String(now), sign: feishuSign(now, channel.secret) });
    const answer = JSON.parse(
      (await postToWebhook(push, channel.webhookUrl!, JSON.stringify(body))) || "{}",
    ) as {
      code?: number;
      msg?: string;
    };
    if (answer.code !== undefined && answer.code !== 0)
      throw new DeliveryError(`Feishu answered code ${answer.code}: ${answer.msg ?? ""}`);
    return;
  }
  if (channel.type === "meow") {
    const html = channel.msgType === "html";
    const query = html ? `?msgType=html${channel.htmlHeight ? `&htmlHeight=${channel.htmlHeight}` : ""}` : "";
    const url = `${push.meowBaseUrl.replace(/\/+$/, "")}/${encodeURIComponent(channel.nickname!)}${query}`;
    await post(url, JSON.stringify({ title: message.title, msg: html ? message.html : message.text }), {});
    return;
  }
  const body = JSON.stringify({
    type: "aimo.push",
    timestamp: new Date(now * 1000).toISOString(),
    data: message,
  });
  await postToWebhook(push, channel.webhookUrl!, body, {
    "webhook-id": messageId,
    "webhook-timestamp": String(now),
    "webhook-signature": standardWebhookSignature(channel.secret!, messageId, now, body),
  });
}
