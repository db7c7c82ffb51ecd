/**
 * AIMO's REST view: routes under /api/v1 onto the tRPC procedures (routes.ts), their OpenAPI document built from
 * the procedures' zod schemas, and a docs page. The HTTP host (apps/server) reads requests and builds callers.
 */
export { REST_BASE_PATH, REST_METHODS, restRoutes } from "./routes";
export type { ProcedurePath, RestMethod, RestRoute } from "./routes";
export { callRestRoute, matchRestRoute, restInput } from "./dispatch";
export type { RestMatch } from "./dispatch";
export { restError } from "./errors";
export { createOpenApiDocument } from "./openapi";
export { responseSchemas } from "./responses";
export type { OpenApiDocument } from "./openapi";
export { renderDocsPage } from "./docs-page";
