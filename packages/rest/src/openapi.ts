import { z } from "zod";

import type { JsonSchema, RouteInput } from "./procedures";
import { routeInput } from "./procedures";
import { namedSchemas, responseSchemas } from "./responses";
import type { RestRoute } from "./routes";
import { REST_BASE_PATH, restRoutes } from "./routes";

/** The JSON body of every refusal; `issues` only for input that failed validation (400). */
const errorSchema: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: {
          type: "string",
          description: "tRPC's error code, e.g. BAD_REQUEST, UNAUTHORIZED, NOT_FOUND.",
        },
        message: { type: "string" },
        issues: {
          type: "array",
          description: "Which fields were refused and why.",
          items: {
            type: "object",
            required: ["path", "message"],
            properties: {
              code: { type: "string" },
              path: { type: "array", items: { type: ["string", "integer"] } },
              message: { type: "string" },
            },
          },
        },
      },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const errorResponses = {
  BadRequest: errorResponse("The input was refused; `error.issues` says which fields and why."),
  Unauthorized: errorResponse("No token, or one that is unknown, expired or revoked."),
  NotFound: errorResponse("No such thing among the caller's."),
  Conflict: errorResponse("A name that is already taken."),
  PayloadTooLarge: errorResponse("The body is over the server's MAX_REQUEST_BODY."),
  UnsupportedMediaType: errorResponse("The body is not `application/json`."),
};

const ref = (name: keyof typeof errorResponses) => ({ $ref: `#/components/responses/${name}` });

const sendsBody = (route: RestRoute) => route.method !== "GET" && route.method !== "DELETE";

/** `memo.create` → `memoCreate`. */
const operationId = (route: RestRoute) =>
  route.procedure.replace(/\.(\w)/g, (_dot, letter: string) => letter.toUpperCase());

function parameters(route: RestRoute, input: RouteInput) {
  const inPath = input.pathFields.map((name) => ({
    name,
    in: "path",
    required: true,
    schema: input.fields[name],
  }));
  if (sendsBody(route)) return inPath;
  const inQuery = Object.entries(input.fields)
    .filter(([name]) => !input.pathFields.includes(name))
    .map(([name, schema]) => ({
      name,
      in: "query",
      required: input.required.includes(name),
      ...(typeof schema.description === "string" ? { description: schema.description } : {}),
      ...(schema.deprecated === true ? { deprecated: true } : {}),
      schema,
    }));
  return [...inPath, ...inQuery];
}

/** The JSON body: the input without the fields the path gives; none when nothing is left. */
function requestBody(route: RestRoute, input: RouteInput) {
  if (!sendsBody(route) || !input.schema) return undefined;
  const bodyFields = Object.entries(input.fields).filter(([name]) => !input.pathFields.includes(name));
  if (bodyFields.length === 0) return undefined;
  const required = input.required.filter((name) => !input.pathFields.includes(name));
  const schema: JsonSchema = { ...input.schema, properties: Object.fromEntries(bodyFields) };
  if (required.length > 0) schema.required = required;
  else delete schema.required;
  return { required: required.length > 0, content: { "application/json": { schema } } };
}

const componentRef = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/**
 * The answers' schemas as components: the named ones, and one per route whose answer is not one of them
 * (`memoList` → `MemoListResponse`). Objects are open (no `additionalProperties: false`): answers may gain fields.
 */
function responseComponents() {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(namedSchemas)) registry.add(schema, { id });
  const answerIds = new Map<RestRoute, string>();
  for (const route of restRoutes) {
    const schema = (responseSchemas as Partial<Record<string, z.ZodType>>)[route.procedure];
    if (!schema) throw new Error(`REST route onto ${route.procedure}: no response schema in responses.ts`);
    const named = registry.get(schema)?.id;
    const id = named ?? `${operationId(route).replace(/^\w/, (letter) => letter.toUpperCase())}Response`;
    if (!named) registry.add(schema, { id });
    answerIds.set(route, id);
  }
  const { schemas } = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ jsonSchema }) => {
      if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
    },
  });
  const components = Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]),
  );
  return { components, answerIds };
}

function operation(route: RestRoute, answerId: string) {
  const input = routeInput(route);
  const body = requestBody(route, input);
  const status = route.status ?? 200;
  const responses: Record<string, object> = {
    [status]: {
      description: "The procedure's answer as plain JSON (times are epoch milliseconds).",
      content: { "application/json": { schema: componentRef(answerId) } },
    },
    400: ref("BadRequest"),
    401: ref("Unauthorized"),
    404: ref("NotFound"),
    ...(body ? { 409: ref("Conflict"), 413: ref("PayloadTooLarge"), 415: ref("UnsupportedMediaType") } : {}),
  };
  return {
    operationId: operationId(route),
    tags: [route.procedure.split(".")[0]],
    summary: route.summary,
    description: `Calls the tRPC procedure \`${route.procedure}\`: the same input, limits, errors and answer.`,
    parameters: parameters(route, input),
    ...(body ? { requestBody: body } : {}),
    ...(route.tokenOptional ? { security: [{ bearerAuth: [] }, {}] } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the REST routes, built from the route table and the procedures' zod schemas. */
export function createOpenApiDocument(version: string) {
  const { components, answerIds } = responseComponents();
  const paths: Record<string, Record<string, ReturnType<typeof operation>>> = {};
  for (const route of restRoutes) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, answerIds.get(route) ?? "");
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "AIMO REST API",
      version,
      description:
        "Plain JSON over the same procedures as AIMO's tRPC API. Authenticate with `Authorization: Bearer <token>`: " +
        "a personal API token (`auth.createToken`, or Settings → API tokens in the web app) or an access token " +
        "from sign-in. Files are uploaded with `POST /attachments` (multipart), outside this base path.",
    },
    servers: [{ url: REST_BASE_PATH }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "A personal API token (`aimo_pat_…`) or an access token from sign-in.",
        },
      },
      schemas: { ...components, Error: errorSchema } as Record<string, JsonSchema>,
      responses: errorResponses,
    },
  };
}

export type OpenApiDocument = ReturnType<typeof createOpenApiDocument>;
