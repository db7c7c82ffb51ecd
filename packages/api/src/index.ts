import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

import type { AppRouter } from "./root";

export { appRouter } from "./root";
export type { AppRouter } from "./root";
export { createCallerFactory } from "./trpc";
export type { ApiConfig, AuthUser, Context } from "./context";
export { createLoginThrottle } from "./auth/login-throttle";
export type { LoginThrottle } from "./auth/login-throttle";
export { resolveUser } from "./auth/resolve-user";
export { apiEnvSchema, apiConfigFromEnv } from "./config";
export type { ApiEnv } from "./config";
export { attachmentJobs, memoJobs, reconcileVectors, runDue } from "./services/vector-outbox";
export type {
  AttachmentVectorDeps,
  IndexState,
  ReconcileReport,
  VectorProcessor,
  VectorSyncDeps,
} from "./services/vector-outbox";
export type { MemoDto } from "./dto/memo";
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
} from "./services/attachments/settings";
export type { AttachmentEnv, AttachmentSettings } from "./services/attachments/settings";
export { signDownload } from "./services/attachments/signing";
export { AVATAR_MIME_TYPES, avatarMimeType, avatarService, MAX_AVATAR_BYTES } from "./services/avatars";
export { toTRPCError } from "./errors";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { pushRuleService } from "./services/push/service";
export { feishuSign, standardWebhookSignature } from "./services/push/channels";
export type { ResolveHost } from "./services/push/targets";
