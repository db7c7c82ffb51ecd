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
import { transferRouter } from "./routers/transfer";
import { userRouter } from "./routers/user";
import type { TRPCBuiltRouter, TRPCDecorateCreateRouterOptions } from "@trpc/server";

import type { AimoErrorShape } from "./trpc";
import { router } from "./trpc";

const routers = {
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
  transfer: transferRouter,
};

export const appRouter = router(routers);

/**
 * The router as a client sees it: the procedures, the error shape and the transformer, without the server's
 * context, whose types (database, LanceDB, providers) would otherwise reach every client's compiler. The check
 * below keeps it equal to the router the server runs.
 */
export type AppRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: AimoErrorShape; transformer: true },
  TRPCDecorateCreateRouterOptions<typeof routers>
>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
({
  record: true,
  root: true,
}) satisfies {
  record: Same<AppRouter["_def"]["record"], (typeof appRouter)["_def"]["record"]>;
  root: Same<
    Omit<AppRouter["_def"]["_config"]["$types"], "ctx">,
    Omit<(typeof appRouter)["_def"]["_config"]["$types"], "ctx">
  >;
};
