import type { AppRouter, AttachmentDto } from "@aimo/api";
import type { TRPCClient } from "@trpc/client";
import { createTRPCClient, httpBatchLink, httpBatchStreamLink, splitLink } from "@trpc/client";
import superjson from "superjson";

export type {
  AppRouter,
  AttachmentDto,
  ChatEvent,
  ConversationDto,
  MemoDto,
  MessageDto,
  RouterInputs,
  RouterOutputs,
} from "@aimo/api";
export { TRPCClientError } from "@trpc/client";

export interface AimoClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** An access token from `auth.login` or a personal API token; a function is read on every request. */
  token?: string | (() => string | undefined);
  fetch?: typeof globalThis.fetch;
}

const baseUrl = (options: AimoClientOptions) => options.url.replace(/\/+$/, "");

function authHeaders(options: AimoClientOptions): Record<string, string> {
  const token = typeof options.token === "function" ? options.token() : options.token;
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Procedures that answer with a stream (async generators): they go over the streaming link. */
const STREAMING_PROCEDURES = new Set(["ai.send"]);

/**
 * The typed AIMO client: every router and procedure, batched over HTTP, with superjson. Streaming
 * procedures (`ai.send`) yield their events to `for await`.
 */
export function createAimoClient(options: AimoClientOptions): AimoClient {
  const http = {
    url: `${baseUrl(options)}/trpc`,
    transformer: superjson,
    fetch: options.fetch,
    headers: () => authHeaders(options),
  };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => STREAMING_PROCEDURES.has(op.path),
        true: httpBatchStreamLink(http),
        false: httpBatchLink(http),
      }),
    ],
  });
}

export type AimoClient = TRPCClient<AppRouter>;

/** A refused upload: the HTTP status and the same error code a procedure would answer. */
export class AimoUploadError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AimoUploadError";
  }
}

/** Posts one file as multipart to `path` and answers the JSON body, or throws AimoUploadError. */
async function postFile(options: AimoClientOptions, path: string, file: Blob, filename: string) {
  const form = new FormData();
  form.append("file", file, filename);
  const response = await (options.fetch ?? fetch)(`${baseUrl(options)}${path}`, {
    method: "POST",
    body: form,
    headers: authHeaders(options),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!response.ok) {
    throw new AimoUploadError(
      response.status,
      body.error?.code ?? "UNKNOWN",
      body.error?.message ?? `HTTP ${response.status}`,
    );
  }
  return body;
}

/** Uploads one file (`POST /attachments`, multipart) and answers the stored attachment. */
export async function uploadAttachment(
  options: AimoClientOptions,
  file: Blob,
  filename: string,
): Promise<AttachmentDto> {
  return (await postFile(options, "/attachments", file, filename)) as AttachmentDto;
}

/** Makes an image (JPEG, PNG, GIF or WebP, at most 5 MB) the user's avatar (`POST /avatars`); answers its link. */
export async function uploadAvatar(
  options: AimoClientOptions,
  image: Blob,
  filename = "avatar",
): Promise<{ avatarUrl: string }> {
  return (await postFile(options, "/avatars", image, filename)) as { avatarUrl: string };
}
