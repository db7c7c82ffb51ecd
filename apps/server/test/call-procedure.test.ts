import { initTRPC, TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { callProcedure } from "../src/trpc/call-procedure";

/**
 * The fast path's procedure call against tRPC's own: each procedure below is called both ways with the same
 * options, and what they answer or throw must agree. Middlewares extend the context and the input through
 * `next`, read the raw input, throw, and return failures.
 */
const t = initTRPC.context<{ user: string | null; trail: string[] }>().meta<{ label: string }>().create();
const withRole = t.middleware(({ ctx, next }) => next({ ctx: { role: ctx.user ? "member" : "guest" } }));
const traced = t.middleware(async ({ ctx, meta, path, type, next }) => {
  ctx.trail.push(`${meta?.label ?? "-"} ${path} ${type}`);
  return next();
});
const authed = t.middleware(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "who are you" });
  return next({ ctx: { user: ctx.user } });
});
const rawEcho = t.middleware(async ({ getRawInput, next }) => next({ input: { raw: await getRawInput() } }));

const procedures = {
  extended: t.procedure
    .meta({ label: "extended" })
    .use(traced)
    .use(withRole)
    .input(z.object({ n: z.number().int() }))
    .query(({ ctx, input }) => ({ role: ctx.role, user: ctx.user, doubled: input.n * 2 })),
  authed: t.procedure.use(authed).query(({ ctx }) => ctx.user.toUpperCase()),
  rawInput: t.procedure
    .use(rawEcho)
    .input(z.object({ n: z.number() }))
    .query(({ input }) => input),
  throwing: t.procedure.query(() => {
    throw new Error("the resolver broke");
  }),
  overridden: t.procedure
    .use(async ({ next }) => {
      const result = await next();
      return result.ok ? { ...result, data: `wrapped ${String(result.data)}` } : result;
    })
    .query(() => "answer"),
};

type Outcome = { data: unknown } | { code: string; message: string; cause?: string };

async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { data: await call() };
  } catch (error) {
    const e = error as TRPCError;
    return { code: e.code, message: e.message, cause: e.cause?.constructor.name };
  }
}

interface Case {
  name: string;
  procedure: keyof typeof procedures;
  user: string | null;
  input: unknown;
  /** What the call comes to: a value, or an error. */
  answers: "data" | "code";
}
const cases: Case[] = [
  {
    name: "context and input through next",
    procedure: "extended",
    user: "ann",
    input: { n: 21 },
    answers: "data",
  },
  { name: "a guest", procedure: "extended", user: null, input: { n: 1 }, answers: "data" },
  { name: "a refused input", procedure: "extended", user: "ann", input: { n: 1.5 }, answers: "code" },
  { name: "a missing input", procedure: "extended", user: "ann", input: undefined, answers: "code" },
  { name: "a middleware that throws", procedure: "authed", user: null, input: undefined, answers: "code" },
  { name: "a narrowed context", procedure: "authed", user: "bob", input: undefined, answers: "data" },
  {
    name: "an input replaced through next",
    procedure: "rawInput",
    user: null,
    input: { n: 3 },
    answers: "data",
  },
  { name: "a resolver that throws", procedure: "throwing", user: "ann", input: undefined, answers: "code" },
  { name: "a rewritten result", procedure: "overridden", user: "ann", input: undefined, answers: "data" },
];

describe("callProcedure", () => {
  it.each(cases)("answers what tRPC's caller answers: $name", async ({ procedure, user, input, answers }) => {
    const run = async (call: typeof callProcedure) => {
      const ctx = { user, trail: [] as string[] };
      const result = await outcome(() =>
        call(procedures[procedure], {
          path: procedure,
          type: "query",
          ctx,
          getRawInput: () => Promise.resolve(input),
          input: undefined,
          signal: undefined,
          batchIndex: 0,
        }),
      );
      return { result, trail: ctx.trail };
    };
    const ours = await run(callProcedure);
    const theirs = await run((procedure, opts) => procedure(opts));
    expect(ours).toEqual(theirs);
    expect(ours.result).toHaveProperty(answers);
  });
});
