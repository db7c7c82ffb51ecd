import { createHook } from "node:async_hooks";

import { createDb, users } from "@aimo/db";
import type { TRPCError } from "@trpc/server";
import bcrypt from "bcryptjs";
import { eq } from "drizzle-orm";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { resolveUser } from "../src/server";
import { clientKey } from "../src/auth/login-throttle";
import { currentTokenVersion, TOKEN_VERSION_TTL_MS } from "../src/auth/sessions";
import type { Harness } from "./harness";
import { expectCode, openHarness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await openHarness("api_auth");
});
afterAll(async () => {
  await h.close();
});

const config = () => h.deps.config;

describe("accounts", () => {
  it("registers with a default category, logs in, changes the password, and never exposes the hash", async () => {
    const anonymous = h.caller(null);
    const registered = await anonymous.auth.register({
      email: "Ada@Example.test",
      password: "first password",
      nickname: "Ada",
    });
    expect(registered.user).toMatchObject({ email: "ada@example.test", nickname: "Ada" });
    expect(JSON.stringify(registered)).not.toMatch(/argon2|password/i);
    await expectCode(
      anonymous.auth.register({ email: "ada@example.test", password: "another one" }),
      "CONFLICT",
    );
    const session = await anonymous.auth.login({ email: "ADA@example.test", password: "first password" });
    expect(await resolveUser(h.db.db, config(), `Bearer ${session.token}`)).toEqual({
      uid: registered.user.uid,
    });
    const api = h.caller(registered.user.uid);
    expect((await api.category.list()).map((c) => c.name)).toEqual(["Inbox"]);
    await expectCode(
      api.auth.changePassword({ currentPassword: "wrong", newPassword: "second password" }),
      "BAD_REQUEST",
    );
    await api.auth.changePassword({ currentPassword: "first password", newPassword: "second password" });
    await expectCode(
      anonymous.auth.login({ email: "ada@example.test", password: "first password" }),
      "UNAUTHORIZED",
    );
    expect(
      (await anonymous.auth.login({ email: "ada@example.test", password: "second password" })).user.uid,
    ).toBe(registered.user.uid);
    const profile = await api.user.update({ nickname: "Countess" });
    expect(profile).toMatchObject({ nickname: "Countess" });
  });

  it("lets a migrated bcrypt account log in and upgrades its hash", async () => {
    const { uid } = await h.user("legacy@example.test");
    await h.db.db
      .update(users)
      .set({ passwordHash: await bcrypt.hash("legacy password", 4) })
      .where(eq(users.uid, uid));
    await h.caller(null).auth.login({ email: "legacy@example.test", password: "legacy password" });
    const [row] = await h.db.db.select().from(users).where(eq(users.uid, uid));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    await h.caller(null).auth.login({ email: "legacy@example.test", password: "legacy password" });
  });

  it("slows down repeated failed logins from one client, not the owner on another", async () => {
    await h.user("target@example.test");
    const stranger = h.caller(null, { clientIp: "203.0.113.9" });
    for (let i = 0; i < 5; i++)
      await expectCode(
        stranger.auth.login({ email: "target@example.test", password: "nope" }),
        "UNAUTHORIZED",
      );
    // Five failures from this client for this account: even the right password waits here.
    await expectCode(
      stranger.auth.login({ email: "target@example.test", password: "correct horse battery" }),
      "TOO_MANY_REQUESTS",
    );
    // The owner, on their own client, is not locked out by the stranger.
    const owner = h.caller(null, { clientIp: "198.51.100.20" });
    await owner.auth.login({ email: "target@example.test", password: "correct horse battery" });
    // A success gives the attempt back: mistyping after it starts the count afresh.
    for (let i = 0; i < 5; i++)
      await expectCode(owner.auth.login({ email: "target@example.test", password: "typo" }), "UNAUTHORIZED");
  });

  it("counts concurrent logins before checking their passwords", async () => {
    await h.user("concurrent@example.test");
    const client = h.caller(null, { clientIp: "203.0.113.30" });
    const codes = await Promise.all(
      Array.from({ length: 40 }, () =>
        client.auth.login({ email: "concurrent@example.test", password: "guess" }).then(
          () => "OK",
          (error: TRPCError) => error.code,
        ),
      ),
    );
    expect(codes.filter((code) => code === "UNAUTHORIZED")).toHaveLength(5);
    expect(codes.filter((code) => code === "TOO_MANY_REQUESTS")).toHaveLength(35);
  });

  it("limits one client's failures across every account it tries", async () => {
    await h.user("sprayed@example.test");
    const sprayer = h.caller(null, { clientIp: "2001:db8:5:6:1::1" });
    const codes = await Promise.all(
      Array.from({ length: 101 }, (_, i) =>
        sprayer.auth.login({ email: `nobody${i}@example.test`, password: "guess" }).then(
          () => "OK",
          (error: TRPCError) => error.code,
        ),
      ),
    );
    expect(codes.filter((code) => code === "UNAUTHORIZED")).toHaveLength(100);
    expect(codes.filter((code) => code === "TOO_MANY_REQUESTS")).toHaveLength(1);
    // Another address of the same IPv6 /64 is the same client.
    await expectCode(
      h
        .caller(null, { clientIp: "2001:db8:5:6:2::2" })
        .auth.login({ email: "sprayed@example.test", password: "correct horse battery" }),
      "TOO_MANY_REQUESTS",
    );
    await h
      .caller(null, { clientIp: "2001:db8:5:7::1" })
      .auth.login({ email: "sprayed@example.test", password: "correct horse battery" });
  });

  it("keys clients by IPv4 address (also IPv4-mapped) and by IPv6 /64", () => {
    expect(clientKey("::ffff:203.0.113.5")).toBe("203.0.113.5");
    expect(clientKey("203.0.113.5")).toBe("203.0.113.5");
    expect(clientKey("2001:db8:1:2:aaaa::1")).toBe(clientKey("2001:DB8:1:2:bbbb::2"));
    expect(clientKey("2001:db8:1:3::1")).not.toBe(clientKey("2001:db8:1:2::1"));
  });

  it("checks an unknown email's password like a known one's, so timing does not tell them apart", async () => {
    await h.user("known@example.test");
    const client = h.caller(null, { clientIp: "203.0.113.40" });
    // Argon2 runs as native async work: count those started during one login.
    const nativeTasksDuring = async (email: string) => {
      let tasks = 0;
      const hook = createHook({
        init(_id, type) {
          if (!["PROMISE", "TickObject", "Timeout", "Immediate", "Microtask"].includes(type)) tasks++;
        },
      }).enable();
      await expectCode(client.auth.login({ email, password: "wrong password" }), "UNAUTHORIZED");
      hook.disable();
      return tasks;
    };
    await nativeTasksDuring("warm-up@example.test");
    const known = await nativeTasksDuring("known@example.test");
    expect(known).toBeGreaterThan(0);
    expect(await nativeTasksDuring("unknown@example.test")).toBe(known);
  });

  it("refuses tampered, expired and foreign tokens", async () => {
    const { uid, token } = await h.user();
    expect(await resolveUser(h.db.db, config(), `Bearer ${token}`)).toEqual({ uid });
    const [header, , signature] = token.split(".");
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: "someone-else", iss: "aimo", exp: 4102444800 })).toString("base64url")}.${signature}`;
    expect(await resolveUser(h.db.db, config(), `Bearer ${tampered}`)).toBeNull();
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(uid)
      .setIssuer("aimo")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(config().jwtSecret);
    expect(await resolveUser(h.db.db, config(), `Bearer ${expired}`)).toBeNull();
    const foreign = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(uid)
      .setIssuer("aimo")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("another-secret-another-secret-12345"));
    expect(await resolveUser(h.db.db, config(), `Bearer ${foreign}`)).toBeNull();
    expect(await resolveUser(h.db.db, config(), undefined)).toBeNull();
    expect(await resolveUser(h.db.db, config(), "Basic abc")).toBeNull();
    await expectCode(h.caller(null).auth.me(), "UNAUTHORIZED");
  });

  it("ends every session on a password change and on logoutEverywhere", async () => {
    const { uid, token } = await h.user("sessions@example.test");
    const other = await h.caller(null).auth.login({
      email: "sessions@example.test",
      password: "correct horse battery",
    });
    expect(await resolveUser(h.db.db, config(), `Bearer ${token}`)).toEqual({ uid });
    const changed = await h.caller(uid).auth.changePassword({
      currentPassword: "correct horse battery",
      newPassword: "a new password",
    });
    expect(await resolveUser(h.db.db, config(), `Bearer ${token}`)).toBeNull();
    expect(await resolveUser(h.db.db, config(), `Bearer ${other.token}`)).toBeNull();
    // The caller carries on with the session the change returned.
    expect(await resolveUser(h.db.db, config(), `Bearer ${changed.token}`)).toEqual({ uid });

    const { token: laptop } = await h
      .caller(null)
      .auth.login({ email: "sessions@example.test", password: "a new password" });
    const { token: personal } = await h.caller(uid).auth.createToken({ name: "script" });
    await h.caller(uid).auth.logoutEverywhere();
    expect(await resolveUser(h.db.db, config(), `Bearer ${changed.token}`)).toBeNull();
    expect(await resolveUser(h.db.db, config(), `Bearer ${laptop}`)).toBeNull();
    // Personal API tokens are revoked one by one (auth.revokeToken), not by logging out.
    expect(await resolveUser(h.db.db, config(), `Bearer ${personal}`)).toEqual({ uid });
    const fresh = await h
      .caller(null)
      .auth.login({ email: "sessions@example.test", password: "a new password" });
    expect(await resolveUser(h.db.db, config(), `Bearer ${fresh.token}`)).toEqual({ uid });
  });

  it("checks a busy token's version without a query per request", async () => {
    const { uid, token } = await h.user();
    const handle = await createDb(h.db.config);
    expect(await resolveUser(handle.db, config(), `Bearer ${token}`)).toEqual({ uid });
    // With its pool closed, any query would throw: the second check is answered from the cache.
    await handle.close();
    expect(await resolveUser(handle.db, config(), `Bearer ${token}`)).toEqual({ uid });
  });

  it("refuses the tokens of a disabled or deleted account within the version cache's lifetime", async () => {
    const { uid, token } = await h.user();
    const { token: personal } = await h.caller(uid).auth.createToken({ name: "script" });
    const callerOf = async (authorization: string) =>
      h.caller(null, { user: await resolveUser(h.db.db, config(), authorization) });
    expect(await (await callerOf(`Bearer ${token}`)).memo.list({})).toMatchObject({ items: [] });

    await h.db.db.update(users).set({ status: 0 }).where(eq(users.uid, uid));
    // Another process's change is seen once this process's cached version expires.
    expect(await currentTokenVersion(h.db.db, uid, Date.now() + TOKEN_VERSION_TTL_MS)).toBeNull();
    await expectCode((await callerOf(`Bearer ${token}`)).memo.list({}), "UNAUTHORIZED");
    await expectCode((await callerOf(`Bearer ${personal}`)).memo.list({}), "UNAUTHORIZED");

    const deleted = await h.user();
    expect(await resolveUser(h.db.db, config(), `Bearer ${deleted.token}`)).toEqual({ uid: deleted.uid });
    await h.db.db.delete(users).where(eq(users.uid, deleted.uid));
    expect(await currentTokenVersion(h.db.db, deleted.uid, Date.now() + TOKEN_VERSION_TTL_MS)).toBeNull();
    await expectCode((await callerOf(`Bearer ${deleted.token}`)).memo.list({}), "UNAUTHORIZED");
  });

  it("creates, uses, lists and revokes personal API tokens, stored hashed", async () => {
    const { uid, api } = await h.user();
    const { token, info } = await api.auth.createToken({ name: "browser extension" });
    expect(token).toMatch(/^aimo_pat_/);
    expect(await resolveUser(h.db.db, config(), `Bearer ${token}`)).toEqual({ uid });
    const listed = await api.auth.listTokens();
    expect(listed).toEqual([
      expect.objectContaining({ id: info.id, name: "browser extension", prefix: token.slice(0, 13) }),
    ]);
    expect(listed[0]!.lastUsedAt).toBeTypeOf("number");
    expect(JSON.stringify(listed)).not.toContain(token);
    const other = await h.user();
    await expectCode(other.api.auth.revokeToken({ id: info.id }), "NOT_FOUND");
    await api.auth.revokeToken({ id: info.id });
    expect(await resolveUser(h.db.db, config(), `Bearer ${token}`)).toBeNull();
    const expiring = await api.auth.createToken({ name: "old", expiresAt: Date.now() - 1000 });
    expect(await resolveUser(h.db.db, config(), `Bearer ${expiring.token}`)).toBeNull();
  });
});
