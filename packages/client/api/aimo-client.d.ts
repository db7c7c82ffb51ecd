/// <reference lib="esnext.disposable" />
import * as _trpc_server from '@trpc/server';
import { TRPCDefaultErrorShape, TRPCBuiltRouter, TRPCDecorateCreateRouterOptions, inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { TRPCClient } from '@trpc/client';
export { TRPCClientError } from '@trpc/client';

declare const MEMO_TYPES: readonly ["text", "audio", "video"];
type MemoType = (typeof MEMO_TYPES)[number];

declare const MESSAGE_ROLES: readonly ["user", "assistant"];
type MessageRole = (typeof MESSAGE_ROLES)[number];
/** A memo an answer cites: excerpt is the memo's first 200 characters, score the cosine relevance. */
interface MessageSource {
    memoId: string;
    content: string;
    similarity: number;
}

declare const PUSH_CONTENT_TYPES: readonly ["daily_pick", "daily_memos"];
type PushContentType = (typeof PUSH_CONTENT_TYPES)[number];
/** One delivery target; secrets stay server-side and are masked in DTOs. */
interface PushChannel {
    type: "meow" | "feishu" | "webhook";
    nickname?: string;
    msgType?: "text" | "html";
    htmlHeight?: number;
    webhookUrl?: string;
    secret?: string;
}

declare const PUSH_DELIVERY_STATUSES: readonly ["pending", "success", "failed"];
type PushDeliveryStatus = (typeof PUSH_DELIVERY_STATUSES)[number];

interface TagSuggestion {
    name: string;
    /** The user's tag of this name; absent for a name only the model proposed (no tag is created for it). */
    tagId?: string;
    /** Summed similarity of the nearest memos that carry the tag, plus the model's vote (1 for its first pick). */
    score: number;
    from: ("similar" | "model")[];
}

interface PushRuleDto {
    id: string;
    name: string;
    pushTime: number;
    contentType: PushContentType;
    channels: PushChannel[];
    enabled: boolean;
    createdAt: number;
    updatedAt: number;
}
interface PushDeliveryDto {
    id: string;
    channelType: string;
    status: PushDeliveryStatus;
    attempts: number;
    error?: string;
    /** The scheduler's slot (ISO-8601 start of the hour) the delivery belongs to; absent for `sendNow`. */
    slot?: string;
    /** What the receiver saw as `webhook-id`, the same for every attempt of the delivery. */
    messageId?: string;
    createdAt: number;
    updatedAt: number;
}

/** Whether a memo's vector is in LanceDB yet: pending while its outbox job waits, failed after repeated errors. */
type IndexState = {
    status: "indexed";
} | {
    status: "pending";
} | {
    status: "failed";
    reason: string;
};
interface MemoTagDto {
    id: string;
    name: string;
}
interface MemoDto {
    id: string;
    content: string;
    type: MemoType;
    source?: string;
    categoryId?: string;
    tags: MemoTagDto[];
    attachmentIds: string[];
    isPublic: boolean;
    createdAt: number;
    updatedAt: number;
    /** Present on single-memo reads. */
    linkedMemoIds?: string[];
    indexState?: IndexState;
}

interface SearchHit {
    memo: MemoDto;
    /** Reciprocal-rank fusion of the legs, scaled so a memo ranked first by every leg scores 1. */
    score: number;
    /** Cosine similarity of the semantic leg, when it found the memo. */
    similarity?: number;
    matchedBy: ("semantic" | "keyword")[];
}

interface TagDto {
    id: string;
    name: string;
    color?: string;
    usageCount: number;
    createdAt: number;
    updatedAt: number;
}

interface CategoryDto {
    id: string;
    name: string;
    color?: string;
    memoCount?: number;
    createdAt: number;
    updatedAt: number;
}

/** What a client sees of an account: never the password hash. */
interface UserDto {
    uid: string;
    email?: string;
    phone?: string;
    nickname?: string;
    /** An expiring link to the avatar image (see `avatarService.url`). */
    avatarUrl?: string;
    createdAt: number;
    updatedAt: number;
}
/** A personal API token as listed: its prefix, never the secret or its hash. */
interface ApiTokenDto {
    id: string;
    name: string;
    prefix: string;
    lastUsedAt?: number;
    expiresAt?: number;
    createdAt: number;
}

/** An error as clients receive it: tRPC's shape, with the field errors of a refused input for forms. */
interface AimoErrorShape extends TRPCDefaultErrorShape {
    data: TRPCDefaultErrorShape["data"] & {
        zodError: {
            formErrors: string[];
            fieldErrors: Partial<Record<string, string[]>>;
        } | null;
        stack: undefined;
    };
}

declare const routers: {
    auth: {
        register: _trpc_server.TRPCMutationProcedure<{
            input: {
                email: string;
                password: string;
                nickname?: string | undefined;
            };
            output: {
                token: string;
                expiresAt: number;
                user: UserDto;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        login: _trpc_server.TRPCMutationProcedure<{
            input: {
                email: string;
                password: string;
            };
            output: {
                token: string;
                expiresAt: number;
                user: UserDto;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        me: _trpc_server.TRPCQueryProcedure<{
            input: void;
            output: UserDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        changePassword: _trpc_server.TRPCMutationProcedure<{
            input: {
                currentPassword: string;
                newPassword: string;
            };
            output: {
                token: string;
                expiresAt: number;
                ok: true;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        logoutEverywhere: _trpc_server.TRPCMutationProcedure<{
            input: void;
            output: {
                ok: true;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        createToken: _trpc_server.TRPCMutationProcedure<{
            input: {
                name: string;
                expiresAt?: number | undefined;
            };
            output: {
                token: string;
                info: ApiTokenDto;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        listTokens: _trpc_server.TRPCQueryProcedure<{
            input: void;
            output: ApiTokenDto[];
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        revokeToken: _trpc_server.TRPCMutationProcedure<{
            input: {
                id: string;
            };
            output: {
                ok: true;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
    user: {
        get: _trpc_server.TRPCQueryProcedure<{
            input: void;
            output: UserDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        update: _trpc_server.TRPCMutationProcedure<{
            input: {
                nickname?: string | null | undefined;
            };
            output: UserDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        removeAvatar: _trpc_server.TRPCMutationProcedure<{
            input: void;
            output: UserDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
    category: {
        list: _trpc_server.TRPCQueryProcedure<{
            input: void;
            output: CategoryDto[];
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        create: _trpc_server.TRPCMutationProcedure<{
            input: {
                name: string;
                color?: string | undefined;
            };
            output: CategoryDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        update: _trpc_server.TRPCMutationProcedure<{
            input: {
                id: string;
                name?: string | undefined;
                color?: string | null | undefined;
            };
            output: CategoryDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        delete: _trpc_server.TRPCMutationProcedure<{
            input: {
                id: string;
            };
            output: {
                ok: true;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
    tag: {
        list: _trpc_server.TRPCQueryProcedure<{
            input: void;
            output: TagDto[];
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        create: _trpc_server.TRPCMutationProcedure<{
            input: {
                name: string;
                color?: string | undefined;
            };
            output: TagDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        update: _trpc_server.TRPCMutationProcedure<{
            input: {
                id: string;
                name?: string | undefined;
                color?: string | null | undefined;
            };
            output: TagDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        delete: _trpc_server.TRPCMutationProcedure<{
            input: {
                id: string;
            };
            output: {
                ok: true;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
    memo: {
        create: _trpc_server.TRPCMutationProcedure<{
            input: {
                content: string;
                type?: "text" | "audio" | "video" | undefined;
                source?: string | null | undefined;
                categoryId?: string | null | undefined;
                tagIds?: string[] | undefined;
                tagNames?: string[] | undefined;
                attachmentIds?: string[] | undefined;
                isPublic?: boolean | undefined;
                linkedMemoIds?: string[] | undefined;
                createdAt?: number | undefined;
                updatedAt?: number | undefined;
            };
            output: MemoDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        get: _trpc_server.TRPCQueryProcedure<{
            input: {
                id: string;
            };
            output: MemoDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        update: _trpc_server.TRPCMutationProcedure<{
            input: {
                id: string;
                type?: "text" | "audio" | "video" | undefined;
                source?: string | null | undefined;
                categoryId?: string | null | undefined;
                tagIds?: string[] | undefined;
                tagNames?: string[] | undefined;
                attachmentIds?: string[] | undefined;
                isPublic?: boolean | undefined;
                linkedMemoIds?: string[] | undefined;
                createdAt?: number | undefined;
                updatedAt?: number | undefined;
                content?: string | undefined;
            };
            output: MemoDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        delete: _trpc_server.TRPCMutationProcedure<{
            input: {
                id: string;
            };
            output: {
                ok: true;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        list: _trpc_server.TRPCQueryProcedure<{
            input: {
                order?: "newest" | "oldest" | undefined;
                sortBy?: "createdAt" | "updatedAt" | undefined;
                limit?: number | undefined;
                cursor?: string | undefined;
                direction?: "forward" | undefined;
                categoryId?: string | undefined;
                tagId?: string | undefined;
                from?: number | undefined;
                to?: number | undefined;
                isPublic?: boolean | undefined;
                keyword?: string | undefined;
            } | undefined;
            output: {
                items: MemoDto[];
                nextCursor?: string;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        onThisDay: _trpc_server.TRPCQueryProcedure<{
            input: {
                date?: string | undefined;
                limit?: number | undefined;
            } | undefined;
            output: MemoDto[];
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        activity: _trpc_server.TRPCQueryProcedure<{
            input: {
                from: string;
                to: string;
            };
            output: {
                date: string;
                count: number;
            }[];
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        getPublic: _trpc_server.TRPCQueryProcedure<{
            input: {
                id: string;
            };
            output: MemoDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        listPublic: _trpc_server.TRPCQueryProcedure<{
            input: {
                uid: string;
                limit?: number | undefined;
                cursor?: string | undefined;
                direction?: "forward" | undefined;
            };
            output: {
                items: MemoDto[];
                nextCursor?: string;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        randomPublic: _trpc_server.TRPCQueryProcedure<{
            input: {
                uid?: string | undefined;
            } | undefined;
            output: MemoDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
    relation: {
        link: _trpc_server.TRPCMutationProcedure<{
            input: {
                sourceMemoId: string;
                targetMemoId: string;
            };
            output: {
                sourceMemoId: string;
                targetMemoId: string;
                id: string;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        unlink: _trpc_server.TRPCMutationProcedure<{
            input: {
                sourceMemoId: string;
                targetMemoId: string;
            };
            output: {
                ok: true;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        outgoing: _trpc_server.TRPCQueryProcedure<{
            input: {
                memoId: string;
            };
            output: MemoDto[];
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        backlinks: _trpc_server.TRPCQueryProcedure<{
            input: {
                memoId: string;
            };
            output: MemoDto[];
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        graph: _trpc_server.TRPCQueryProcedure<{
            input: void;
            output: {
                nodes: {
                    id: string;
                    excerpt: string;
                    createdAt: number;
                }[];
                edges: {
                    source: string;
                    target: string;
                }[];
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
    search: {
        query: _trpc_server.TRPCQueryProcedure<{
            input: {
                query: string;
                categoryId?: string | undefined;
                tagId?: string | undefined;
                from?: number | undefined;
                to?: number | undefined;
                isPublic?: boolean | undefined;
                keyword?: string | undefined;
                mode?: "keyword" | "semantic" | "hybrid" | undefined;
                minSimilarity?: number | undefined;
                minScore?: number | undefined;
                limit?: number | undefined;
            };
            output: {
                hits: SearchHit[];
                degraded: boolean;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        related: _trpc_server.TRPCQueryProcedure<{
            input: {
                memoId: string;
                minSimilarity?: number | undefined;
                minScore?: number | undefined;
                limit?: number | undefined;
            };
            output: {
                hits: {
                    memo: MemoDto;
                    similarity: number;
                }[];
                degraded: boolean;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
    recommendation: {
        today: _trpc_server.TRPCQueryProcedure<{
            input: {
                count?: number | undefined;
            } | undefined;
            output: {
                date: string;
                memos: MemoDto[];
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
    pushRule: {
        list: _trpc_server.TRPCQueryProcedure<{
            input: void;
            output: PushRuleDto[];
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        create: _trpc_server.TRPCMutationProcedure<{
            input: {
                name: string;
                pushTime: number;
                contentType: "daily_pick" | "daily_memos";
                channels: ({
                    type: "feishu";
                    webhookUrl: string;
                    nickname?: string | undefined;
                    secret?: string | undefined;
                } | {
                    type: "meow";
                    nickname: string;
                    msgType?: "text" | "html" | undefined;
                    htmlHeight?: number | undefined;
                } | {
                    type: "webhook";
                    webhookUrl: string;
                    secret: string;
                    nickname?: string | undefined;
                })[];
                enabled?: boolean | undefined;
            };
            output: PushRuleDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        update: _trpc_server.TRPCMutationProcedure<{
            input: {
                id: string;
                name?: string | undefined;
                pushTime?: number | undefined;
                contentType?: "daily_pick" | "daily_memos" | undefined;
                channels?: ({
                    type: "feishu";
                    webhookUrl: string;
                    nickname?: string | undefined;
                    secret?: string | undefined;
                } | {
                    type: "meow";
                    nickname: string;
                    msgType?: "text" | "html" | undefined;
                    htmlHeight?: number | undefined;
                } | {
                    type: "webhook";
                    webhookUrl: string;
                    secret: string;
                    nickname?: string | undefined;
                })[] | undefined;
                enabled?: boolean | undefined;
            };
            output: PushRuleDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        delete: _trpc_server.TRPCMutationProcedure<{
            input: {
                id: string;
            };
            output: {
                ok: true;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        sendNow: _trpc_server.TRPCMutationProcedure<{
            input: {
                id: string;
            };
            output: PushDeliveryDto[];
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        deliveries: _trpc_server.TRPCQueryProcedure<{
            input: {
                id: string;
                limit?: number | undefined;
            };
            output: PushDeliveryDto[];
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
    attachment: {
        list: _trpc_server.TRPCQueryProcedure<{
            input: {
                limit?: number | undefined;
                cursor?: string | undefined;
                direction?: "forward" | undefined;
            } | undefined;
            output: {
                items: AttachmentDto[];
                nextCursor: string | undefined;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        get: _trpc_server.TRPCQueryProcedure<{
            input: {
                id: string;
            };
            output: AttachmentDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        getUrl: _trpc_server.TRPCQueryProcedure<{
            input: {
                id: string;
            };
            output: {
                url: string;
                expiresAt?: number;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        update: _trpc_server.TRPCMutationProcedure<{
            input: {
                id: string;
                filename?: string | undefined;
                duration?: number | null | undefined;
                width?: number | null | undefined;
                height?: number | null | undefined;
            };
            output: AttachmentDto;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        delete: _trpc_server.TRPCMutationProcedure<{
            input: {
                id: string;
            };
            output: {
                ok: true;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        searchByText: _trpc_server.TRPCQueryProcedure<{
            input: {
                query: string;
                minSimilarity?: number | undefined;
                minScore?: number | undefined;
                limit?: number | undefined;
            };
            output: {
                attachment: AttachmentDto;
                score: number;
            }[];
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        similarMemos: _trpc_server.TRPCQueryProcedure<{
            input: {
                attachmentId: string;
                minSimilarity?: number | undefined;
                minScore?: number | undefined;
                limit?: number | undefined;
            };
            output: {
                memo: MemoDto;
                attachmentId: string;
                similarity: number;
            }[];
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
    ai: {
        status: _trpc_server.TRPCQueryProcedure<{
            input: void;
            output: {
                chat: {
                    model: string;
                } | null;
                imageSearch: boolean;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        conversations: {
            list: _trpc_server.TRPCQueryProcedure<{
                input: {
                    limit?: number | undefined;
                    cursor?: string | undefined;
                    direction?: "forward" | undefined;
                } | undefined;
                output: {
                    items: ConversationDto[];
                    nextCursor: string | undefined;
                };
                meta: object;
                errorShape: AimoErrorShape;
            }>;
            create: _trpc_server.TRPCMutationProcedure<{
                input: {
                    title?: string | undefined;
                } | undefined;
                output: ConversationDto;
                meta: object;
                errorShape: AimoErrorShape;
            }>;
            rename: _trpc_server.TRPCMutationProcedure<{
                input: {
                    id: string;
                    title: string;
                };
                output: ConversationDto;
                meta: object;
                errorShape: AimoErrorShape;
            }>;
            delete: _trpc_server.TRPCMutationProcedure<{
                input: {
                    id: string;
                };
                output: {
                    ok: true;
                };
                meta: object;
                errorShape: AimoErrorShape;
            }>;
        };
        messages: _trpc_server.TRPCQueryProcedure<{
            input: {
                conversationId: string;
                limit?: number | undefined;
                cursor?: string | undefined;
                direction?: "forward" | undefined;
            };
            output: {
                items: MessageDto[];
                nextCursor: string | undefined;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        send: _trpc_server.TRPCMutationProcedure<{
            input: {
                content: string;
                conversationId?: string | undefined;
            };
            output: AsyncGenerator<ChatEvent, any, any>;
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        suggestTags: _trpc_server.TRPCMutationProcedure<{
            input: {
                content: string;
                limit?: number | undefined;
            };
            output: {
                tags: TagSuggestion[];
                degraded: boolean;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
    system: {
        health: _trpc_server.TRPCQueryProcedure<{
            input: void;
            output: {
                status: "ok" | "degraded";
                mysql: boolean;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
        version: _trpc_server.TRPCQueryProcedure<{
            input: void;
            output: {
                version: string;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
    transfer: {
        exportLink: _trpc_server.TRPCMutationProcedure<{
            input: void;
            output: {
                url: string;
                expiresAt: number;
            };
            meta: object;
            errorShape: AimoErrorShape;
        }>;
    };
};
/**
 * The router as a client sees it: the procedures, the error shape and the transformer, without the server's
 * context, whose types (database, LanceDB, providers) would otherwise reach every client's compiler. The check
 * below keeps it equal to the router the server runs.
 */
type AppRouter = TRPCBuiltRouter<{
    ctx: object;
    meta: object;
    errorShape: AimoErrorShape;
    transformer: true;
}, TRPCDecorateCreateRouterOptions<typeof routers>>;

/** What a client sees of an attachment: never where or how it is stored. */
interface AttachmentDto {
    id: string;
    filename: string;
    mimeType: string;
    size: number;
    /** Images: pixels as displayed. */
    width?: number;
    height?: number;
    /** Audio and video: seconds. */
    duration?: number;
    createdAt: number;
}

interface ConversationDto {
    id: string;
    title: string;
    createdAt: number;
    updatedAt: number;
}
interface MessageDto {
    id: string;
    conversationId: string;
    role: MessageRole;
    content: string;
    /** The memos an answer drew on. */
    sources: MessageSource[];
    createdAt: number;
}

/** What `ai.send` streams: the retrieved sources first, then the answer in pieces, then what was stored. */
type ChatEvent = {
    type: "start";
    conversationId: string;
    title: string;
    sources: MessageSource[];
} | {
    type: "delta";
    text: string;
} | {
    type: "done";
    conversation: ConversationDto;
    userMessage: MessageDto;
    assistantMessage: MessageDto;
};

/** What a client needs: the router's type, its inputs and outputs, and the DTOs. The server's door is ./server. */

type RouterInputs = inferRouterInputs<AppRouter>;
type RouterOutputs = inferRouterOutputs<AppRouter>;

interface AimoClientOptions {
    /** The server's base URL, e.g. `http://127.0.0.1:3000`. */
    url: string;
    /** An access token from `auth.login` or a personal API token; a function is read on every request. */
    token?: string | (() => string | undefined);
    fetch?: typeof globalThis.fetch;
}
/**
 * The typed AIMO client: every router and procedure, batched over HTTP, with superjson. Streaming
 * procedures (`ai.send`) yield their events to `for await`.
 */
declare function createAimoClient(options: AimoClientOptions): AimoClient;
type AimoClient = TRPCClient<AppRouter>;
/** A refused upload: the HTTP status and the same error code a procedure would answer. */
declare class AimoUploadError extends Error {
    readonly status: number;
    readonly code: string;
    constructor(status: number, code: string, message: string);
}
/** Uploads one file (`POST /attachments`, multipart) and answers the stored attachment. */
declare function uploadAttachment(options: AimoClientOptions, file: Blob, filename: string): Promise<AttachmentDto>;
/** Makes an image (JPEG, PNG, GIF or WebP, at most 5 MB) the user's avatar (`POST /avatars`); answers its link. */
declare function uploadAvatar(options: AimoClientOptions, image: Blob, filename?: string): Promise<{
    avatarUrl: string;
}>;

export { AimoUploadError, createAimoClient, uploadAttachment, uploadAvatar };
export type { AimoClient, AimoClientOptions, AppRouter, AttachmentDto, ChatEvent, ConversationDto, MemoDto, MessageDto, RouterInputs, RouterOutputs };
