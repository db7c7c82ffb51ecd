import type { Caller } from "@aimo/api/server";
import { TRPCError } from "@trpc/server";

import type { JsonSchema, RouteInput } from "./procedures";
import { routeInput } from "./procedures";
import type { RestMethod, RestRoute } from "./routes";
import { restRoutes } from "./routes";

type Segment = { literal: string } | { field: string };

interface CompiledRoute {
  route: RestRoute;
  segments: Segment[];
  input: RouteInput;
}

const segmentsOf = (path: string): Segment[] =>
  path
    .split("/")
    .slice(1)
    .map((part) => (/^\{\w+\}$/.test(part) ? { field: part.slice(1, -1) } : { literal: part }));

/** Literal segments before fields, so `/memos/activity` is never read as the memo with id "activity". */
const specificity = (segments: Segment[]) =>
  segments.map((segment) => ("literal" in segment ? 0 : 1)).join("");

const compiledRoutes: CompiledRoute[] = restRoutes
  .map((route) => ({ route, segments: segmentsOf(route.path), input: routeInput(route) }))
  .sort((a, b) => specificity(a.segments).localeCompare(specificity(b.segments)));

/** A request's route and path fields; or, when none fits its method, the methods its path has (none: 404). */
export type RestMatch =
  | { route: RestRoute; input: RouteInput; params: Record<string, string> }
  | { route: null; allow: RestMethod[] };

function decodeSegment(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

function matchPath(compiled: CompiledRoute, parts: string[]): Record<string, string> | null {
  if (parts.length !== compiled.segments.length) return null;
  const params: Record<string, string> = {};
  for (const [index, segment] of compiled.segments.entries()) {
    const part = parts[index] ?? "";
    if ("literal" in segment) {
      if (part !== segment.literal) return null;
    } else {
      const value = decodeSegment(part);
      if (!value) return null;
      params[segment.field] = value;
    }
  }
  return params;
}

/** Finds the route of `method` and `path` (the part after REST_BASE_PATH, without the query string). */
export function matchRestRoute(method: string, path: string): RestMatch {
  const parts = path.split("/").slice(1);
  const allow: RestMethod[] = [];
  for (const compiled of compiledRoutes) {
    const params = matchPath(compiled, parts);
    if (!params) continue;
    if (compiled.route.method === method) return { route: compiled.route, input: compiled.input, params };
    if (!allow.includes(compiled.route.method)) allow.push(compiled.route.method);
  }
  return { route: null, allow };
}

const typesOf = (schema: JsonSchema): string[] => [
  ...(schema.type === undefined ? [] : [schema.type].flat()),
  ...(schema.anyOf ?? []).flatMap((option) => typesOf(option)),
];

/** A query string value as the type the field takes; anything that does not fit is left for zod to refuse. */
function scalarFromText(text: string, schema: JsonSchema): unknown {
  const types = typesOf(schema);
  if ((types.includes("integer") || types.includes("number")) && text.trim() !== "") {
    const number = Number(text);
    if (Number.isFinite(number)) return number;
  }
  if (types.includes("boolean") && (text === "true" || text === "false")) return text === "true";
  return text;
}

function fromQuery(values: string[], schema: JsonSchema | undefined): unknown {
  if (!schema) return values.length === 1 ? values[0] : values;
  if (typesOf(schema).includes("array")) {
    const items = (Array.isArray(schema.items) ? undefined : schema.items) as JsonSchema | undefined;
    return values.map((value) => (items ? scalarFromText(value, items) : value));
  }
  return values.length === 1 ? scalarFromText(values[0] ?? "", schema) : values;
}

const badRequest = (message: string) => new TRPCError({ code: "BAD_REQUEST", message });

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The procedure's input from the path, and the query string (GET, DELETE) or the JSON body (POST, PUT, PATCH);
 * `body` is undefined when none was sent. The path's fields win over the body's.
 */
export function restInput(
  match: Extract<RestMatch, { route: RestRoute }>,
  query: URLSearchParams,
  body: unknown,
): unknown {
  const { route, input, params } = match;
  const fromPath = Object.fromEntries(
    Object.entries(params).map(([field, value]) => [field, fromQuery([value], input.fields[field])]),
  );
  const queryFields = [...new Set(query.keys())];
  if (route.method === "GET" || route.method === "DELETE") {
    if (!input.schema) {
      if (queryFields.length > 0) throw badRequest(`${route.method} ${route.path} takes no parameters`);
      return undefined;
    }
    const fromQueryString = Object.fromEntries(
      queryFields.map((field) => [field, fromQuery(query.getAll(field), input.fields[field])]),
    );
    return { ...fromQueryString, ...fromPath };
  }
  if (queryFields.length > 0)
    throw badRequest(`${route.method} ${route.path} takes its input in the JSON body`);
  if (body !== undefined && !isPlainObject(body)) throw badRequest("The body must be a JSON object");
  if (!input.schema) {
    if (body && Object.keys(body).length > 0) throw badRequest(`${route.method} ${route.path} takes no body`);
    return undefined;
  }
  return { ...body, ...fromPath };
}

/** Calls the route's procedure as the caller's user: the same middlewares, checks and errors as over tRPC. */
export function callRestRoute(caller: Caller, route: RestRoute, input: unknown): Promise<unknown> {
  const procedure = route.procedure
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  return (procedure as (input: unknown) => Promise<unknown>)(input);
}
