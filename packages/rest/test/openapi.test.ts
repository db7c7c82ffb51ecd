import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";

import { createOpenApiDocument, renderDocsPage, restRoutes } from "../src";

describe("the OpenAPI document", () => {
  const document = createOpenApiDocument("1.2.3");

  it("is valid OpenAPI 3.1", async () => {
    const result = await new Validator().validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it("has one operation per route, with the procedure's input as parameters or body", () => {
    const operations = Object.values(document.paths).flatMap((byMethod) => Object.values(byMethod));
    expect(operations).toHaveLength(restRoutes.length);
    expect(new Set(operations.map((operation) => operation.operationId)).size).toBe(restRoutes.length);

    const create = document.paths["/memos"]?.post;
    const body = create?.requestBody?.content["application/json"].schema;
    expect(body?.required).toEqual(["content"]);
    expect(body?.additionalProperties).toBe(false);

    const update = document.paths["/memos/{id}"]?.patch;
    expect(update?.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "string", minLength: 1, maxLength: 191 } },
    ]);
    expect(
      Object.keys(update?.requestBody?.content["application/json"].schema.properties ?? {}),
    ).not.toContain("id");

    const search = document.paths["/search"]?.get;
    const query = search?.parameters.find((parameter) => parameter.name === "query");
    expect(query).toMatchObject({ in: "query", required: true, schema: { type: "string", maxLength: 1000 } });
    const minScore = search?.parameters.find((parameter) => parameter.name === "minScore");
    expect(minScore).toMatchObject({ deprecated: true });
  });

  it("describes each answer by a schema in the components, with objects open to new fields", () => {
    const answerOf = (path: string, method: "get" | "post") =>
      (document.paths[path]?.[method]?.responses as Record<number, { content: object } | undefined>)[
        method === "post" ? 201 : 200
      ]?.content;
    expect(answerOf("/memos", "get")).toEqual({
      "application/json": { schema: { $ref: "#/components/schemas/MemoListResponse" } },
    });
    expect(answerOf("/memos", "post")).toEqual({
      "application/json": { schema: { $ref: "#/components/schemas/Memo" } },
    });
    const { Memo, MemoListResponse } = document.components.schemas;
    expect(Memo).toMatchObject({ type: "object", properties: { content: { type: "string" } } });
    expect(Memo).not.toHaveProperty("additionalProperties");
    expect(MemoListResponse).toMatchObject({
      properties: { items: { type: "array", items: { $ref: "#/components/schemas/Memo" } } },
    });
  });

  it("renders a docs page that loads nothing from elsewhere", () => {
    const page = renderDocsPage(document, "/api/openapi.json");
    expect(page).toContain("<code>/memos/{id}</code>");
    expect(page).toContain('href="/api/openapi.json"');
    expect(page).toContain('<a href="#schema-Memo">Memo</a>');
    expect(page).toContain('<h3 id="schema-Memo">Memo</h3>');
    expect(page).not.toMatch(/<script|<link|src=|https?:\/\//i);
  });
});
