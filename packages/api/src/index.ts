import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

import type { AppRouter } from "./root";

export { appRouter } from "./root";
export type { AppRouter } from "./root";
export { createCallerFactory } from "./trpc";
export { createContext } from "./context";
export type { ApiDeps, Context, RequestInfo } from "./context";
export type { AuthUser } from "./auth/resolve-user";
export { createLoginThrottle } from "./auth/login-throttle";
export type { LoginThrottle } from "./auth/login-throttle";
export { resolveUser } from "./auth/resolve-user";
export { apiEnvSchema, apiConfigFromEnv } from "./config/api";
export type { ApiConfig, ApiEnv, ResolveHost } from "./config/api";
export { attachmentJobs, memoJobs, reconcileVectors, runDue } from "./services/vector-outbox";
export type {
  AttachmentVectorDeps,
  ReconcileReport,
  VectorProcessor,
  VectorSyncDeps,
} from "./services/vector-outbox";
export type { IndexState, MemoDto } from "./dto/memo";
export type { AttachmentDto } from "./dto/attachment";
export type { ConversationDto, MessageDto } from "./dto/conversation";
export type { ChatEvent } from "./services/conversations/chat";
export { attachmentService, cleanFilename, dispositionOf } from "./services/attachments/attachments";
export type { SpooledUpload } from "./services/attachments/attachments";
export {
  attachmentEnvSchema,
  attachmentSettingsFromEnv,
  DEFAULT_ALLOWED_MIME_TYPES,
  isMimeTypeAllowed,
  normalizeMimeType,
} from "./config/attachments";
export type { AttachmentEnv, AttachmentSettings } from "./config/attachments";
export { signDownload } from "./services/attachments/signing";
export { AVATAR_MIME_TYPES, avatarMimeType, avatarService, MAX_AVATAR_BYTES } from "./services/avatars";
export { toTRPCError } from "./errors";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { pushRuleService } from "./services/push/service";
export { feishuSign, standardWebhookSignature } from "./services/push/channels";
