import { aiRouter } from "./routers/ai";
import { attachmentRouter } from "./routers/attachment";
import { authRouter } from "./routers/auth";
import { categoryRouter } from "./routers/category";
import { memoRouter } from "./routers/memo";
import { pushRuleRouter } from "./routers/push-rule";
import { recommendationRouter } from "./routers/recommendation";
import { relationRouter } from "./routers/relation";
import { searchRouter } from "./routers/search";
import { systemRouter } from "./routers/system";
import { tagRouter } from "./routers/tag";
import { userRouter } from "./routers/user";
import { router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  user: userRouter,
  category: categoryRouter,
  tag: tagRouter,
  memo: memoRouter,
  relation: relationRouter,
  search: searchRouter,
  recommendation: recommendationRouter,
  pushRule: pushRuleRouter,
  attachment: attachmentRouter,
  ai: aiRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
