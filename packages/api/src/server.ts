/** What the HTTP host needs beside the router: context, env schemas, services, workers and error mapping. */
export { createContext } from "./context";
export type { ApiDeps, Context } from "./context";
export type { AuthUser } from "./auth/resolve-user";
export { createLoginThrottle } from "./auth/login-throttle";
export { resolveUser } from "./auth/resolve-user";
export { apiEnvSchema, apiConfigFromEnv } from "./config/api";
export { toTRPCError } from "./errors";
export {
  applyNow,
  attachmentJobs,
  enqueueVectorWork,
  memoJobs,
  reconcileVectors,
  runDue,
} from "./services/vector-outbox";
export { recountTags, resolveTagIds } from "./services/tags";
export type { AttachmentVectorDeps, VectorSyncDeps } from "./services/vector-outbox";
export { attachmentService, dispositionOf } from "./services/attachments/attachments";
export type { SpooledUpload } from "./services/attachments/attachments";
export {
  attachmentEnvSchema,
  attachmentSettingsFromEnv,
  isMimeTypeAllowed,
  normalizeMimeType,
} from "./config/attachments";
export { signDownload } from "./services/attachments/signing";
export { resolveExportLink } from "./services/export-link";
export { pushRuleService, slotMessageId } from "./services/push/service";
export { claimJobSlot, releaseJobSlot, renewJobSlot } from "./services/job-leases";
export type { JobSlot } from "./services/job-leases";
export { AVATAR_MIME_TYPES, avatarMimeType, avatarService, MAX_AVATAR_BYTES } from "./services/avatars";
export { createCaller } from "./caller";
export type { Caller } from "./caller";
