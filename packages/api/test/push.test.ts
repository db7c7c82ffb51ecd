import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

import { memos, pushDeliveries } from "@aimo/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { pushRuleService, slotMessageId } from "../src/server";
import { feishuSign } from "../src/services/push/channels";
import type { ResolveHost } from "../src/config/api";
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
  /** Answers 500 to the next `failures` webhook requests. */
  const state = { failures: 0 };
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
      if (state.failures > 0 && req.url?.startsWith("/webhook")) {
        state.failures--;
        return reply(500, { error: "down" });
      }
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
      ...h.deps.config,
      push: { allowPrivateTargets: true, meowBaseUrl: `${receivers.url}/meow` },
    },
  });

/** A resolver the tests control: names of the example.test zone, private or missing. */
const testZone: ResolveHost = (host) => {
  const zone: Record<string, string> = {
    "internal.example.test": "10.0.0.5",
    "resolves-to-mapped.example.test": "::ffff:192.168.0.1",
  };
  const address = zone[host];
  if (!address)
    return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" }));
  return Promise.resolve([{ address, family: address.includes(":") ? 6 : 4 }]);
};

/** A caller with the SSRF guard on, as in production. */
const strictCaller = (uid: string, resolveHost: ResolveHost = testZone) =>
  h.caller(uid, {
    config: {
      ...h.deps.config,
      push: { allowPrivateTargets: false, meowBaseUrl: "http://127.0.0.1:9", resolveHost },
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
      recommendationService.today(h.deps, uid, {
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
    receivers.state.failures = 3;
    const [delivery] = await api.pushRule.sendNow({ id: rule.id });
    expect(delivery).toMatchObject({ status: "failed", attempts: 3 });
    expect(delivery?.error).toMatch(/HTTP 500/);
    expect(receivers.received.length - before).toBe(3);
  });

  it("sends a slot's delivery once however often and by however many callers, under one webhook id", async () => {
    const { uid } = await h.user();
    const rule = await withMeow(uid).pushRule.create({
      name: "hourly",
      pushTime: 10,
      contentType: "daily_memos",
      channels: [
        { type: "webhook", webhookUrl: `${receivers.url}/webhook/slot`, secret: receivers.whsec },
        { type: "meow", nickname: "slotted" },
      ],
    });
    const deps = {
      ...h.deps,
      config: { ...h.deps.config, push: { allowPrivateTargets: true, meowBaseUrl: `${receivers.url}/meow` } },
    };
    const slot = "2026-11-24T10:00:00.000Z";
    const at = new Date("2026-11-24T10:00:01Z");
    const toWebhook = () => receivers.received.filter((r) => r.path === "/webhook/slot");
    // The first attempt fails and is retried: both carry the slot's id.
    receivers.state.failures = 1;
    const runs = await Promise.all(
      [1, 2, 3].map(() => pushRuleService.sendForSlot(deps, uid, rule.id, slot, at)),
    );
    await pushRuleService.sendForSlot(deps, uid, rule.id, slot, at);
    expect(
      runs
        .flat()
        .map((d) => [d.channelType, d.status, d.attempts])
        .sort(),
    ).toEqual([
      ["meow", "success", 1],
      ["webhook", "success", 2],
    ]);
    expect(toWebhook().map((r) => r.headers["webhook-id"])).toEqual([
      slotMessageId(rule.id, slot, 0),
      slotMessageId(rule.id, slot, 0),
    ]);
    expect(receivers.received.filter((r) => r.path === "/meow/slotted")).toHaveLength(1);
    const logged = await withMeow(uid).pushRule.deliveries({ id: rule.id });
    expect(logged.map((d) => [d.channelType, d.slot, d.messageId]).sort()).toEqual([
      ["meow", slot, slotMessageId(rule.id, slot, 1)],
      ["webhook", slot, slotMessageId(rule.id, slot, 0)],
    ]);

    // The next slot is a new message; a manual send is one too, outside any slot.
    const next = "2026-11-25T10:00:00.000Z";
    await pushRuleService.sendForSlot(deps, uid, rule.id, next, new Date(next));
    await withMeow(uid).pushRule.sendNow({ id: rule.id });
    const ids = toWebhook().map((r) => String(r.headers["webhook-id"]));
    expect(ids).toHaveLength(4);
    expect(ids[2]).toBe(slotMessageId(rule.id, next, 0));
    expect(new Set(ids).size).toBe(3);
  });

  it("sends again, under the slot's webhook id, a delivery its sender left pending by dying mid-send", async () => {
    const { uid } = await h.user();
    const rule = await withMeow(uid).pushRule.create({
      name: "interrupted",
      pushTime: 11,
      contentType: "daily_memos",
      channels: [
        { type: "webhook", webhookUrl: `${receivers.url}/webhook/interrupted`, secret: receivers.whsec },
      ],
    });
    const deps = {
      ...h.deps,
      config: { ...h.deps.config, push: { ...h.deps.config.push, allowPrivateTargets: true } },
    };
    const pending = (slot: string, age: string) =>
      h.deps.db.insert(pushDeliveries).values({
        id: `pd_${slot.slice(0, 10)}`,
        uid,
        ruleId: rule.id,
        channelType: "webhook",
        channelIndex: 0,
        slot,
        messageId: slotMessageId(rule.id, slot, 0),
        status: "pending",
        updatedAt: sql.raw(`NOW(3) - INTERVAL ${age}`),
      });
    const toReceiver = () => receivers.received.filter((r) => r.path === "/webhook/interrupted");
    // One sender died two minutes ago; another is sending right now.
    const died = "2026-11-24T11:00:00.000Z";
    const sending = "2026-11-25T11:00:00.000Z";
    await pending(died, "2 MINUTE");
    await pending(sending, "1 SECOND");

    const runs = await Promise.all(
      [died, died, sending].map((slot) =>
        pushRuleService.sendForSlot(deps, uid, rule.id, slot, new Date(slot)),
      ),
    );
    expect(runs.flat().map((d) => [d.id, d.status])).toEqual([[`pd_${died.slice(0, 10)}`, "success"]]);
    expect(toReceiver().map((r) => r.headers["webhook-id"])).toEqual([slotMessageId(rule.id, died, 0)]);
    await pushRuleService.sendForSlot(deps, uid, rule.id, died, new Date(died));
    expect(toReceiver()).toHaveLength(1);
    const logged = await withMeow(uid).pushRule.deliveries({ id: rule.id });
    expect(logged.map((d) => [d.slot, d.status]).sort()).toEqual([
      [died, "success"],
      [sending, "pending"],
    ]);
  });

  it("saves public webhook targets and refuses private, loopback and embedded-private ones", async () => {
    const { uid } = await h.user();
    const strict = strictCaller(uid);
    const create = (webhookUrl: string) =>
      strict.pushRule.create({
        name: webhookUrl,
        pushTime: 1,
        contentType: "daily_pick",
        channels: [{ type: "feishu", webhookUrl }],
      });
    // Saved, never sent.
    const publicUrls = [
      "https://8.8.8.8/hook",
      "http://1.1.1.1:8080/hook",
      "https://[2606:4700:4700::1111]/hook",
      "https://[64:ff9b::808:808]/hook",
      "https://[::ffff:8.8.8.8]/hook",
    ];
    for (const url of publicUrls) await create(url);
    for (const webhookUrl of [
      "http://127.0.0.1:8080/hook",
      "http://2130706433/hook",
      "http://10.1.2.3/hook",
      "http://172.16.0.1/hook",
      "http://192.168.1.1/hook",
      "http://100.64.0.1/hook",
      "http://0.0.0.0/hook",
      "http://169.254.169.254/latest",
      "http://[::1]/hook",
      "http://[::]/hook",
      "http://[fe80::1]/hook",
      "http://[fc00::1]/hook",
      "http://[::ffff:127.0.0.1]/hook",
      "http://[::127.0.0.1]/hook",
      "http://[64:ff9b::7f00:1]/hook",
      "http://[64:ff9b::a00:1]/hook",
      "http://localhost/hook",
      "http://internal.example.test/hook",
      "http://resolves-to-mapped.example.test/hook",
    ]) {
      const error = await expectCode(create(webhookUrl), "BAD_REQUEST");
      expect(error.message, webhookUrl).toMatch(/is not a public address$/);
    }
    expect((await strict.pushRule.list()).map((r) => r.name)).toEqual(publicUrls);
  });

  it("answers alike whether a host is private or does not resolve, so internal names stay unknown", async () => {
    const { uid } = await h.user();
    const messageFor = async (host: string) => {
      const error = await expectCode(
        strictCaller(uid).pushRule.create({
          name: "x",
          pushTime: 1,
          contentType: "daily_pick",
          channels: [{ type: "feishu", webhookUrl: `https://${host}/hook` }],
        }),
        "BAD_REQUEST",
      );
      return error.message.replace(host, "HOST");
    };
    const missing = await messageFor("missing.example.test");
    expect(await messageFor("internal.example.test")).toBe(missing);
    expect(await messageFor("10.0.0.5")).toBe(missing);
  });

  it("connects to the address the guard checked, so DNS rebinding cannot reach a private address", async () => {
    const { uid } = await h.user();
    const port = new URL(receivers.url).port;
    // The first answer is public (the check when saving), later ones loopback (the delivery's connection).
    const answers: string[] = [];
    const rebinding: ResolveHost = (host) => {
      answers.push(host);
      return Promise.resolve([{ address: answers.length === 1 ? "93.184.216.34" : "127.0.0.1", family: 4 }]);
    };
    const api = strictCaller(uid, rebinding);
    const rule = await api.pushRule.create({
      name: "rebinding",
      pushTime: 1,
      contentType: "daily_pick",
      channels: [
        {
          type: "webhook",
          webhookUrl: `http://rebind.example.test:${port}/webhook/in`,
          secret: receivers.whsec,
        },
      ],
    });
    const before = receivers.received.length;
    const [delivery] = await api.pushRule.sendNow({ id: rule.id });
    expect(delivery).toMatchObject({ status: "failed" });
    expect(delivery?.error).toMatch(/rebind\.example\.test is not a public address/);
    expect(answers.length).toBeGreaterThan(1);
    expect(receivers.received.length).toBe(before);

    // A literal address saved while private targets were allowed is checked again when it is sent.
    const literal = await withMeow(uid).pushRule.create({
      name: "literal",
      pushTime: 1,
      contentType: "daily_pick",
      channels: [{ type: "webhook", webhookUrl: `${receivers.url}/webhook/in`, secret: receivers.whsec }],
    });
    const [refused] = await strictCaller(uid).pushRule.sendNow({ id: literal.id });
    expect(refused?.error).toMatch(/127\.0\.0\.1 is not a public address/);
    expect(receivers.received.length).toBe(before);

    // With private targets allowed the connection still goes where the resolver said: no system DNS knows
    // this name.
    const allowed = h.caller(uid, {
      config: {
        ...h.deps.config,
        push: {
          allowPrivateTargets: true,
          meowBaseUrl: "http://127.0.0.1:9",
          resolveHost: () => Promise.resolve([{ address: "127.0.0.1", family: 4 }]),
        },
      },
    });
    const named = await allowed.pushRule.create({
      name: "named",
      pushTime: 1,
      contentType: "daily_pick",
      channels: [
        {
          type: "webhook",
          webhookUrl: `http://receiver.example.test:${port}/webhook/in`,
          secret: receivers.whsec,
        },
      ],
    });
    expect((await allowed.pushRule.sendNow({ id: named.id })).map((d) => d.status)).toEqual(["success"]);
    expect(receivers.received.length).toBe(before + 1);
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
    const shanghai = { ...h.deps, config: { ...h.deps.config, timezone: "Asia/Shanghai" } };
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
