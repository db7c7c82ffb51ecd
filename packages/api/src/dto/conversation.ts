import type { AiConversation, AiMessage, MessageRole, MessageSource } from "@aimo/db";

export interface ConversationDto {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
}

export interface MessageDto {
  id: string;
  conversationId: string;
  role: MessageRole;
  content: string;
  /** The memos an answer drew on. */
  sources: MessageSource[];
  createdAt: number;
}

export function toConversationDto(conversation: AiConversation): ConversationDto {
  return {
    id: conversation.id,
    title: conversation.title,
    createdAt: conversation.createdAt.getTime(),
    updatedAt: conversation.updatedAt.getTime(),
  };
}

export function toMessageDto(message: AiMessage): MessageDto {
  return {
    id: message.id,
    conversationId: message.conversationId,
    role: message.role,
    content: message.content,
    sources: message.sources,
    createdAt: message.createdAt.getTime(),
  };
}
