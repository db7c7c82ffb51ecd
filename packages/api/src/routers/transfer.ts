import type { TRPCRouterRecord } from "@trpc/server";

import { exportLink } from "../services/export-link";
import { protectedProcedure } from "../trpc";

/** Export and import run over HTTP (`GET /export`, `POST /import`); this gives a browser a download link. */
export const transferRouter = {
  exportLink: protectedProcedure.mutation(({ ctx }) => exportLink(ctx, ctx.user.uid)),
} satisfies TRPCRouterRecord;
