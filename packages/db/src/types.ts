import type {
  aiConversations,
  aiMessages,
  apiTokens,
  attachments,
  categories,
  dailyRecommendations,
  memoRelations,
  memos,
  memoTags,
  pushDeliveries,
  pushRules,
  tags,
  users,
  vectorJobs,
} from "./schema";

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Category = typeof categories.$inferSelect;
export type NewCategory = typeof categories.$inferInsert;
export type Tag = typeof tags.$inferSelect;
export type NewTag = typeof tags.$inferInsert;
export type Memo = typeof memos.$inferSelect;
export type NewMemo = typeof memos.$inferInsert;
export type MemoTag = typeof memoTags.$inferSelect;
export type NewMemoTag = typeof memoTags.$inferInsert;
export type MemoRelation = typeof memoRelations.$inferSelect;
export type NewMemoRelation = typeof memoRelations.$inferInsert;
export type Attachment = typeof attachments.$inferSelect;
export type NewAttachment = typeof attachments.$inferInsert;
export type AiConversation = typeof aiConversations.$inferSelect;
export type NewAiConversation = typeof aiConversations.$inferInsert;
export type AiMessage = typeof aiMessages.$inferSelect;
export type NewAiMessage = typeof aiMessages.$inferInsert;
export type DailyRecommendation = typeof dailyRecommendations.$inferSelect;
export type NewDailyRecommendation = typeof dailyRecommendations.$inferInsert;
export type PushRule = typeof pushRules.$inferSelect;
export type NewPushRule = typeof pushRules.$inferInsert;
export type PushDelivery = typeof pushDeliveries.$inferSelect;
export type NewPushDelivery = typeof pushDeliveries.$inferInsert;
export type ApiToken = typeof apiTokens.$inferSelect;
export type NewApiToken = typeof apiTokens.$inferInsert;
export type VectorJob = typeof vectorJobs.$inferSelect;
export type NewVectorJob = typeof vectorJobs.$inferInsert;
