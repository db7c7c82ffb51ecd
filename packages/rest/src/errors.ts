import type { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { ZodError } from "zod";

/** A refusal as REST answers it: tRPC's status for the code, and `{ error: { code, message, issues? } }`. */
export function restError(error: TRPCError): { status: number; body: unknown } {
  const issues =
    error.cause instanceof ZodError
      ? error.cause.issues.map(({ code, path, message }) => ({ code, path, message }))
      : undefined;
  return {
    status: getHTTPStatusCodeFromError(error),
    body: {
      error: {
        code: error.code,
        // zod's message is its issues as JSON text; they are given as `issues`.
        message: issues ? "The input was refused" : error.message,
        ...(issues ? { issues } : {}),
      },
    },
  };
}
