import { z } from "zod";

import { epochMsSchema } from "../validation";

const emailSchema = z.email().max(191);
const newPasswordSchema = z.string().min(8).max(128);
/** A password as typed to prove who one is: checked, never measured against today's rules. */
const givenPasswordSchema = z.string().min(1).max(128);
const nicknameSchema = z.string().trim().min(1).max(64);

export const registerInput = z.strictObject({
  email: emailSchema,
  password: newPasswordSchema,
  nickname: nicknameSchema.optional(),
});
export type RegisterInput = z.output<typeof registerInput>;

export const loginInput = z.strictObject({ email: emailSchema, password: givenPasswordSchema });
export type LoginInput = z.output<typeof loginInput>;

export const changePasswordInput = z.strictObject({
  currentPassword: givenPasswordSchema,
  newPassword: newPasswordSchema,
});
export type ChangePasswordInput = z.output<typeof changePasswordInput>;

export const tokenCreateInput = z.strictObject({
  name: z.string().trim().min(1).max(64),
  expiresAt: epochMsSchema.optional(),
});
export type TokenCreateInput = z.output<typeof tokenCreateInput>;

export const profileUpdateInput = z.strictObject({ nickname: nicknameSchema.nullable().optional() });
export type ProfileUpdateInput = z.output<typeof profileUpdateInput>;
