import type { TRPCDefaultErrorShape } from "@trpc/server";
import { initTRPC, TRPCError } from "@trpc/server";
import type { MiddlewareResult } from "@trpc/server/unstable-core-do-not-import";
import { z, ZodError } from "zod";

import type { AuthUser } from "./auth/resolve-user";
import type { Context } from "./context";
import { toTRPCError } from "./errors";
import { transformer } from "./transformer";
import { assertWellFormedText } from "./validation";

/** An error as clients receive it: tRPC's shape, with the field errors of a refused input for forms. */
export interface AimoErrorShape extends TRPCDefaultErrorShape {
  data: TRPCDefaultErrorShape["data"] & {
    zodError: { formErrors: string[]; fieldErrors: Partial<Record<string, string[]>> } | null;
    stack: undefined;
  };
}

const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter({ shape, error }): AimoErrorShape {
    const zodError = error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field errors for forms; the stack never leaves the server.
        zodError: zodError ? z.flattenError(zodError) : null,
        stack: undefined,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** What a procedure threw, through the one error mapper; zod's errors stay BAD_REQUEST with their issues. */
function mapError<R extends { ok: true } | { ok: false; error: TRPCError }>(result: R): R {
  if (result.ok || result.error.cause instanceof ZodError) return result;
  const mapped = toTRPCError(
    result.error.code === "INTERNAL_SERVER_ERROR" ? (result.error.cause ?? result.error) : result.error,
  );
  return { ...result, error: mapped };
}

export const publicProcedure = t.procedure.use(async ({ getRawInput, next }) => {
  assertWellFormedText(await getRawInput());
  return mapError(await next());
});

/**
 * A procedure that needs a verified caller; `ctx.user` is then never null. One middleware, not the public
 * one plus a check: every level copies the call's options, and reads are most of the traffic. The non-null
 * user is told to the types only: `next({ ctx })` would copy every key of the context on each call, to set
 * the user it already holds.
 */
export const protectedProcedure = t.procedure.use(async ({ ctx, getRawInput, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "A valid bearer token is required" });
  assertWellFormedText(await getRawInput());
  const result: MiddlewareResult<{ user: AuthUser }> = mapError(await next());
  return result;
});
