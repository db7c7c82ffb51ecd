import type { User } from "@aimo/db";
import { ACTIVE_USER_STATUS, apiTokens, categories, createId, users, withTransaction } from "@aimo/db";
import { TRPCError } from "@trpc/server";
import { and, desc, eq } from "drizzle-orm";

import { hashPassword, needsRehash, verifyAccountPassword, verifyPassword } from "../auth/password";
import { endSessions } from "../auth/sessions";
import { generatePersonalToken, signAccessToken } from "../auth/tokens";
import type { ApiDeps } from "../context";
import type {
  ChangePasswordInput,
  LoginInput,
  ProfileUpdateInput,
  RegisterInput,
  TokenCreateInput,
} from "../schemas/account";
import { toApiTokenDto, toUserDto } from "../dto/user";
import { conflict, isDuplicateKey, notFound } from "../errors";
import { avatarService } from "./avatars";

export const DEFAULT_CATEGORY_NAME = "Inbox";

const normaliseEmail = (email: string) => email.trim().toLowerCase();

async function loadUser(ctx: ApiDeps, uid: string) {
  const [user] = await ctx.db.select().from(users).where(eq(users.uid, uid)).limit(1);
  // A token of a deleted account is no longer a valid credential.
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "This account no longer exists" });
  return user;
}

/** A user as a client sees it, with a fresh link to the avatar. */
const userDto = async (ctx: ApiDeps, user: User) => toUserDto(user, await avatarService.url(ctx, user));

export const accountService = {
  async register(ctx: ApiDeps, input: RegisterInput) {
    const uid = createId("user");
    const passwordHash = await hashPassword(input.password);
    try {
      await withTransaction(ctx.db, async (tx) => {
        await tx.insert(users).values({
          uid,
          email: normaliseEmail(input.email),
          passwordHash,
          nickname: input.nickname ?? null,
        });
        await tx.insert(categories).values({ id: createId("category"), uid, name: DEFAULT_CATEGORY_NAME });
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw conflict("An account with this email already exists");
      throw error;
    }
    const user = await loadUser(ctx, uid);
    const session = await signAccessToken(ctx.config, user);
    return { user: await userDto(ctx, user), ...session };
  },

  /** `clientIp` is who is trying, for the login throttle. */
  async login(ctx: ApiDeps, input: LoginInput, clientIp: string) {
    const email = normaliseEmail(input.email);
    const attempt = await ctx.loginThrottle.reserve(email, clientIp);
    const [user] = await ctx.db.select().from(users).where(eq(users.email, email)).limit(1);
    const ok = await verifyAccountPassword(user, input.password);
    if (!user || !ok || user.status !== ACTIVE_USER_STATUS) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Wrong email or password" });
    }
    await attempt.succeeded();
    if (needsRehash(user.passwordHash)) {
      await ctx.db
        .update(users)
        .set({ passwordHash: await hashPassword(input.password) })
        .where(eq(users.uid, user.uid));
    }
    const session = await signAccessToken(ctx.config, user);
    return { user: await userDto(ctx, user), ...session };
  },

  async me(ctx: ApiDeps, uid: string) {
    return userDto(ctx, await loadUser(ctx, uid));
  },

  async changePassword(ctx: ApiDeps, uid: string, input: ChangePasswordInput) {
    const user = await loadUser(ctx, uid);
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "The current password is wrong" });
    }
    // Every session ends, this one too: the caller continues with the fresh one returned here.
    const tokenVersion = await endSessions(ctx.db, uid, {
      passwordHash: await hashPassword(input.newPassword),
    });
    return { ok: true as const, ...(await signAccessToken(ctx.config, { uid, tokenVersion })) };
  },

  async logoutEverywhere(ctx: ApiDeps, uid: string) {
    await endSessions(ctx.db, uid);
    return { ok: true as const };
  },

  async updateProfile(ctx: ApiDeps, uid: string, input: ProfileUpdateInput) {
    await loadUser(ctx, uid);
    if (input.nickname !== undefined) {
      await ctx.db.update(users).set({ nickname: input.nickname }).where(eq(users.uid, uid));
    }
    return userDto(ctx, await loadUser(ctx, uid));
  },

  async createToken(ctx: ApiDeps, uid: string, input: TokenCreateInput) {
    const { token, hash, prefix } = generatePersonalToken();
    const id = createId("apiToken");
    await ctx.db.insert(apiTokens).values({
      id,
      uid,
      name: input.name,
      tokenHash: hash,
      prefix,
      expiresAt: input.expiresAt === undefined ? null : new Date(input.expiresAt),
    });
    const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    // The secret is shown once, here; only its hash is kept.
    return { token, info: toApiTokenDto(row!) };
  },

  async listTokens(ctx: ApiDeps, uid: string) {
    const rows = await ctx.db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.uid, uid))
      .orderBy(desc(apiTokens.createdAt));
    return rows.map(toApiTokenDto);
  },

  async revokeToken(ctx: ApiDeps, uid: string, id: string) {
    const [result] = await ctx.db.delete(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.uid, uid)));
    if (result.affectedRows === 0) throw notFound("Token");
    return { ok: true as const };
  },
};
