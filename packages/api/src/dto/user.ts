import type { ApiToken, User } from "@aimo/db";

/** What a client sees of an account: never the password hash. */
export interface UserDto {
  uid: string;
  email?: string;
  phone?: string;
  nickname?: string;
  /** An expiring link to the avatar image (see `avatarService.url`). */
  avatarUrl?: string;
  createdAt: number;
  updatedAt: number;
}

export function toUserDto(user: User, avatarUrl: string | undefined): UserDto {
  return {
    uid: user.uid,
    email: user.email ?? undefined,
    phone: user.phone ?? undefined,
    nickname: user.nickname ?? undefined,
    avatarUrl,
    createdAt: user.createdAt.getTime(),
    updatedAt: user.updatedAt.getTime(),
  };
}

/** A personal API token as listed: its prefix, never the secret or its hash. */
export interface ApiTokenDto {
  id: string;
  name: string;
  prefix: string;
  lastUsedAt?: number;
  expiresAt?: number;
  createdAt: number;
}

export function toApiTokenDto(token: ApiToken): ApiTokenDto {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    lastUsedAt: token.lastUsedAt?.getTime(),
    expiresAt: token.expiresAt?.getTime(),
    createdAt: token.createdAt.getTime(),
  };
}
