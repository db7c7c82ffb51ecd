import { initTRPC, TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";

import type { AuthUser, Context } from "./context";
import { toTRPCError } from "./errors";
import { transformer } from "./transformer";

const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter({ shape, error }) {
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

/** Maps what a procedure throws through the one error mapper. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && !(result.error.cause instanceof ZodError)) {
    const mapped = toTRPCError(
      result.error.code === "INTERNAL_SERVER_ERROR" ? (result.error.cause ?? result.error) : result.error,
    );
    return { ...result, error: mapped };
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapErrors);

/** A procedure that needs a verified caller; `ctx.user` is then never null. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "A valid bearer token is required" });
  return next({ ctx: { ...ctx, user: ctx.user satisfies AuthUser } });
});
