import { appRouter } from "@aimo/api";
import { z } from "zod";

import type { ProcedurePath, RestRoute } from "./routes";

/** A JSON Schema as zod writes it. */
export type JsonSchema = z.core.JSONSchema.BaseSchema;

/** What a route needs to know of its procedure: its input schema, read from the router itself. */
export interface RouteInput {
  /** The procedure's input as a client sends it (defaults optional, before transforms); null without input. */
  schema: JsonSchema | null;
  /** The input's top-level fields, for the path and the query string. */
  fields: Record<string, JsonSchema>;
  required: string[];
  /** The names of the `{fields}` in the route's path, in order. */
  pathFields: string[];
}

interface ProcedureDef {
  _def: { type: string; inputs: z.ZodType[] };
}

// At run time a router's procedures are one flat record keyed by dotted path.
const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef | undefined>;

function procedureOf(path: ProcedurePath): ProcedureDef {
  const procedure = procedures[path];
  if (!procedure) throw new Error(`REST route onto ${path}: no such procedure`);
  return procedure;
}

export const pathFieldsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "");

/**
 * The route's input, described from the procedure's zod schema: one source for the document, the query string's
 * types and the check that every `{field}` of the path is a field of the input.
 */
export function routeInput(route: RestRoute): RouteInput {
  const procedure = procedureOf(route.procedure);
  const [parser, ...more] = procedure._def.inputs;
  const pathFields = pathFieldsOf(route.path);
  if (more.length > 0) throw new Error(`REST route onto ${route.procedure}: more than one input parser`);
  if (!parser) {
    if (pathFields.length > 0) throw new Error(`REST route ${route.path}: ${route.procedure} takes no input`);
    return { schema: null, fields: {}, required: [], pathFields };
  }
  const { $schema: _dialect, ...schema } = z.toJSONSchema(parser, { io: "input" });
  const fields = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const field of pathFields) {
    if (!fields[field]) throw new Error(`REST route ${route.path}: ${route.procedure} has no field ${field}`);
  }
  return { schema, fields, required: schema.required ?? [], pathFields };
}
