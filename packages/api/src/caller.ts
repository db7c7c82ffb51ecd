import { appRouter } from "./root";
import { createCallerFactory } from "./trpc";

/** Calls the procedures in process with one request's context: the same checks and errors as over HTTP. */
export const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;
