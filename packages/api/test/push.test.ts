import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

import { memos } from "@aimo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { feishuSign, pushRuleService } from "../src";
import type { Harness } from "./harness";
import { expectCode, openHarness } from "./harness";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Stand-ins for Feishu, Meow and a webhook receiver; each checks what a real one checks. */
async function startReceivers() {
  const received: Received[] = [];
  const state = { failing: false };
  const whsec = `whsec_${Buffer.from("receiver-secret-bytes").toString("base64")}`;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (state.failing) return reply(500, { error: "down" });
      if (req.url?.startsWith("/feishu")) {
        const { timestamp, sign } = JSON.parse(body) as { timestamp: string; sign: string };
        const ok = sign === createHmac("sha256", `${timestamp}\nfeishu-secret`).update("").digest("base64");
        return reply(200, ok ? { code: 0, msg: "success" } : { code: 19021, msg: "sign match fail" });
      }
      if (req.url?.startsWith("/webhook")) {
        const id = String(req.headers["webhook-id"]);
        const ts = String(req.headers["webhook-timestamp"]);
        const expected = createHmac("sha256", Buffer.from("receiver-secret-bytes"))
          .update(`${id}.${ts}.${body}`)
          .digest("base64");
        return reply(req.headers["webhook-signature"] === `v1,${expected}` ? 204 : 401, {});
      }
      return reply(200, { status: 200, message: "ok" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    state,
    whsec,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let h: Harness;
let receivers: Awaited<ReturnType<typeof startReceivers>>;
beforeAll(async () => {
  h = await openHarness("api_push");
  receivers = await startReceivers();
});
afterAll(async () => {
  await receivers.close();
  await h.close();
});

const withMeow = (uid: string) =>
  h.caller(uid, {
    config: {
      ...h.context(null).config,
      push: { allowPrivateTargets: true, meowBaseUrl: `${receivers.url}/meow` },
    },
  });

describe("daily recommendations", () => {
  it("picks the same memos all day, mixes in this day in earlier years, and works without AI", async () => {
    const { api, uid } = await h.user();
    const today = new Date();
    const lastYear = new Date(
      Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), today.getUTCDate(), 12),
    );
    const anniversary = await api.memo.create({ content: "a year ago today", createdAt: lastYear.getTime() });
    for (let i = 0; i < 12; i++)
      await api.memo.create({ content: `older memo ${i}`, createdAt: Date.UTC(2020, 0, 1 + i) });
    const first = await api.recommendation.today();
    expect(first.memos).toHaveLength(3);
    expect(first.memos.map((m) => m.id)).toContain(anniversary.id);
    const second = await api.recommendation.today({ count: 5 });
    expect(second.memos.map((m) => m.id)).toEqual(first.memos.map((m) => m.id));
    // A memo deleted since the pick drops out; the others stay.
    await api.memo.delete({ id: first.memos[1]!.id });
    expect((await api.recommendation.today()).memos.map((m) => m.id)).toEqual([
      first.memos[0]!.id,
      first.memos[2]!.id,
    ]);
    // Another day picks again, avoiding yesterday's picks where it can.
    const tomorrow = await import("../src/services/recommendations").then(({ recommendationService }) =>
      recommendationService.today(h.context(uid), uid, {
        count: 3,
        now: new Date(today.getTime() + 86_400_000),
      }),
    );
    expect(tomorrow.date).not.toBe(first.date);
    expect(tomorrow.memos.filter((m) => first.memos.some((f) => f.id === m.id))).toEqual([]);
  });

  it("answers with no picks for a user without memos", async () => {
    const { api } = await h.user();
    expect((await api.recommendation.today()).memos).toEqual([]);
  });
});

describe("push rules", () => {
  it("creates rules with masked secrets, keeps secrets sent back masked, and delivers to every channel", async () => {
    const { uid } = await h.user();
    const api = withMeow(uid);
    await h.db.db
      .insert(memos)
      .values({ id: `m-push-${uid}`, uid, content: "memo to push", attachmentIds: [] });
    const rule = await api.pushRule.create({
      name: "morning",
      pushTime: 8,
      contentType: "daily_pick",
      channels: [
        { type: "feishu", webhookUrl: `${receivers.url}/feishu/hook/abcdef123456`, secret: "feishu-secret" },
        { type: "meow", nickname: "alice", msgType: "html" },
        { type: "webhook", webhookUrl: `${receivers.url}/webhook/in`, secret: receivers.whsec },
      ],
    });
    expect(JSON.stringify(rule)).not.toContain("feishu-secret");
    expect(JSON.stringify(rule)).not.toContain("abcdef123456");
    expect(rule.channels[0]).toMatchObject({ secret: "••••cret", webhookUrl: `${receivers.url}/••••3456` });
    // The client edits the name and sends the masked channels back: the stored secrets stay.
    const renamed = await api.pushRule.update({
      id: rule.id,
      name: "早安",
      channels: rule.channels as never,
    });
    expect(renamed.name).toBe("早安");

    const deliveries = await api.pushRule.sendNow({ id: rule.id });
    expect(deliveries.map((d) => [d.channelType, d.status, d.attempts])).toEqual([
      ["feishu", "success", 1],
      ["meow", "success", 1],
      ["webhook", "success", 1],
    ]);
    const meow = receivers.received.find((r) => r.path.startsWith("/meow/alice"));
    expect(meow?.path).toBe("/meow/alice?msgType=html");
    const pushed = JSON.parse(meow!.body) as { title: string; msg: string };
    expect(pushed.title).toContain("AIMO");
    expect(pushed.msg).toContain("memo to push");
    expect((await api.pushRule.deliveries({ id: rule.id })).map((d) => d.status)).toEqual([
      "success",
      "success",
      "success",
    ]);
  });

  it("retries a failing channel and logs it as failed with the error", async () => {
    const { uid } = await h.user();
    const api = withMeow(uid);
    const rule = await api.pushRule.create({
      name: "failing",
      pushTime: 9,
      contentType: "daily_memos",
      channels: [{ type: "webhook", webhookUrl: `${receivers.url}/webhook/in`, secret: receivers.whsec }],
    });
    const before = receivers.received.length;
    receivers.state.failing = true;
    try {
      const [delivery] = await api.pushRule.sendNow({ id: rule.id });
      expect(delivery).toMatchObject({ status: "failed", attempts: 3 });
      expect(delivery?.error).toMatch(/HTTP 500/);
      expect(receivers.received.length - before).toBe(3);
    } finally {
      receivers.state.failing = false;
    }
  });

  it("refuses private and loopback targets unless allowed", async () => {
    const { uid } = await h.user();
    const strict = h.caller(uid, {
      config: { ...h.context(null).config, push: { allowPrivateTargets: false, meowBaseUrl: "http://x" } },
    });
    for (const webhookUrl of [
      "http://127.0.0.1:8080/hook",
      "http://10.1.2.3/hook",
      "http://[::1]/hook",
      "http://localhost/hook",
      "http://169.254.169.254/latest",
    ]) {
      await expectCode(
        strict.pushRule.create({
          name: "x",
          pushTime: 1,
          contentType: "daily_pick",
          channels: [{ type: "feishu", webhookUrl }],
        }),
        "BAD_REQUEST",
      );
    }
    expect(await strict.pushRule.list()).toEqual([]);
  });

  it("keeps rules and deliveries private and validates input", async () => {
    const owner = await h.user();
    const stranger = await h.user();
    const rule = await withMeow(owner.uid).pushRule.create({
      name: "mine",
      pushTime: 7,
      contentType: "daily_pick",
      channels: [{ type: "meow", nickname: "me" }],
    });
    await expectCode(stranger.api.pushRule.update({ id: rule.id, name: "pwned" }), "NOT_FOUND");
    await expectCode(stranger.api.pushRule.delete({ id: rule.id }), "NOT_FOUND");
    await expectCode(stranger.api.pushRule.sendNow({ id: rule.id }), "NOT_FOUND");
    await expectCode(stranger.api.pushRule.deliveries({ id: rule.id }), "NOT_FOUND");
    expect(await stranger.api.pushRule.list()).toEqual([]);
    await expectCode(
      owner.api.pushRule.create({
        name: "x",
        pushTime: 24,
        contentType: "daily_pick",
        channels: [{ type: "meow", nickname: "a" }],
      }),
      "BAD_REQUEST",
    );
    await expectCode(
      owner.api.pushRule.create({
        name: "x",
        pushTime: 1,
        contentType: "weekly" as never,
        channels: [{ type: "meow", nickname: "a" }],
      }),
      "BAD_REQUEST",
    );
    await expectCode(
      owner.api.pushRule.create({
        name: "x",
        pushTime: 1,
        contentType: "daily_pick",
        channels: [{ type: "sms" } as never],
      }),
      "BAD_REQUEST",
    );
    await expectCode(
      owner.api.pushRule.create({
        name: "x",
        pushTime: 1,
        contentType: "daily_pick",
        channels: [{ type: "webhook", webhookUrl: "https://example.com", secret: "plain" }],
      }),
      "BAD_REQUEST",
    );
    await expectCode(
      owner.api.pushRule.create({ name: "x", pushTime: 1, contentType: "daily_pick", channels: [] }),
      "BAD_REQUEST",
    );
    expect((await owner.api.pushRule.list()).map((r) => r.name)).toEqual(["mine"]);
  });

  it("finds the rules due at an hour in the configured time zone", async () => {
    const { uid } = await h.user();
    const rule = await withMeow(uid).pushRule.create({
      name: "eight",
      pushTime: 8,
      contentType: "daily_pick",
      channels: [{ type: "meow", nickname: "x" }],
    });
    const shanghai = { ...h.context(null), config: { ...h.context(null).config, timezone: "Asia/Shanghai" } };
    // 00:30 UTC is 08:30 in Shanghai.
    expect(
      (await pushRuleService.dueRules(shanghai, new Date(Date.UTC(2026, 0, 1, 0, 30)))).map((r) => r.id),
    ).toContain(rule.id);
    expect(
      (await pushRuleService.dueRules(shanghai, new Date(Date.UTC(2026, 0, 1, 8, 30)))).map((r) => r.id),
    ).not.toContain(rule.id);
    expect(feishuSign(1700000000, "s")).toBe(
      createHmac("sha256", "1700000000\ns").update("").digest("base64"),
    );
  });
});
