import { ProviderError } from "@aimo/ai";
import { isMysqlUnavailable, mysqlErrorCode } from "@aimo/db";
import { StorageUnavailableError } from "@aimo/storage";
import { TRPCError } from "@trpc/server";

export const isDuplicateKey = (error: unknown) => mysqlErrorCode(error) === "ER_DUP_ENTRY";

export const notFound = (what: string) => new TRPCError({ code: "NOT_FOUND", message: `${what} not found` });
export const conflict = (message: string) => new TRPCError({ code: "CONFLICT", message });
export const badRequest = (message: string) => new TRPCError({ code: "BAD_REQUEST", message });

/** The one error mapper: what services throw becomes a tRPC error a client can act on. */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  // An AI provider (chat, embeddings) that failed or refused: the fault is upstream, and says what it is.
  if (error instanceof ProviderError)
    return new TRPCError({ code: "BAD_GATEWAY", message: error.message, cause: error });
  // MySQL unreachable, silent or out of connections: a client should retry later, not report a bug.
  if (isMysqlUnavailable(error))
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "The database is not answering; try again shortly",
      cause: error,
    });
  if (error instanceof StorageUnavailableError)
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "Attachment storage is not answering; try again shortly",
      cause: error,
    });
  const code = mysqlErrorCode(error);
  if (code === "ER_DUP_ENTRY") return conflict("That already exists");
  if (code === "ER_NO_REFERENCED_ROW_2" || code === "ER_NO_REFERENCED_ROW")
    return notFound("A referenced object");
  if (
    code === "ER_DATA_TOO_LONG" ||
    code === "ER_TRUNCATED_WRONG_VALUE" ||
    code === "ER_WARN_DATA_OUT_OF_RANGE"
  ) {
    return badRequest("A value is out of range");
  }
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Internal error", cause: error });
}
