import { AimoUploadError, TRPCClientError } from "@aimo/client";
import { CommanderError } from "commander";

/** A refusal the CLI words itself (bad arguments, not logged in); its message is shown as it is. */
export class UsageError extends Error {}

/** A non-2xx answer of one of the server's plain HTTP routes (`/export`, `/import`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** The field errors of a refused input (`error.data.zodError`, zod's flattened form) as one line. */
function inputProblems(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const zod = (error.data as { zodError?: { formErrors: string[]; fieldErrors: Record<string, string[]> } })
    ?.zodError;
  if (!zod) return undefined;
  const problems = [
    ...zod.formErrors,
    ...Object.entries(zod.fieldErrors).map(([field, messages]) => `${field}: ${messages.join(", ")}`),
  ];
  return problems.length ? problems.join("; ") : undefined;
}

/** The code of a server refusal, from the typed client, an upload or a plain HTTP route. */
function serverCode(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) return (error.data as { code?: string } | undefined)?.code;
  if (error instanceof AimoUploadError || error instanceof HttpError) return error.code;
  return undefined;
}

/** Whether fetch failed before any answer: nothing listens there, or the name does not resolve. */
function unreachable(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; cause?: { code?: string } } }).cause;
  const code = cause?.code ?? cause?.cause?.code;
  return (
    (error instanceof TypeError && error.message === "fetch failed") ||
    ["ECONNREFUSED", "ENOTFOUND", "ECONNRESET", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"].includes(code ?? "")
  );
}

/** One sentence for a person: what went wrong and, where there is one, what to do. */
export function describeError(error: unknown, server?: string): string {
  if (error instanceof UsageError) return error.message;
  if (error instanceof CommanderError) return sentence(error.message.replace(/^error: /, ""));
  const code = serverCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === "UNAUTHORIZED")
    return "The server did not accept the token (revoked or expired?): run `aimo login` again.";
  const problems = inputProblems(error);
  if (problems) return sentence(`The server refused the input: ${problems}`);
  if (code) return sentence(`The server refused: ${message} (${code})`);
  const cause = error instanceof TRPCClientError ? (error.cause ?? error) : error;
  if (unreachable(cause) || unreachable(error))
    return `Cannot reach the AIMO server${server ? ` at ${server}` : ""}: is it running, and is the address right?`;
  const errno = error as NodeJS.ErrnoException;
  if (errno.code === "ENOENT" && errno.path) return `No such file or folder: ${errno.path}.`;
  if (errno.code === "EACCES" && errno.path) return `Permission denied: ${errno.path}.`;
  return sentence(message);
}
