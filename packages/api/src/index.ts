/** What a client needs: the router's type, its inputs and outputs, and the DTOs. The server's door is ./server. */
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

import type { AppRouter } from "./root";

export { appRouter } from "./root";
export type { AppRouter } from "./root";
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type { MemoDto } from "./dto/memo";
export type { AttachmentDto } from "./dto/attachment";
export type { ConversationDto, MessageDto } from "./dto/conversation";
export type { ChatEvent } from "./services/conversations/chat";
export { DEFAULT_MIN_SIMILARITY } from "./services/search/search";
