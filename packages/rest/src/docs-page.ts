import type { OpenApiDocument } from "./openapi";

type Operation = OpenApiDocument["paths"][string][string];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** `code spans` of the summaries as <code>, the rest escaped. */
const inlineText = (text: string) =>
  escapeHtml(text).replace(/`([^`]+)`/g, (_span, code: string) => `<code>${code}</code>`);

const schemaText = (schema: unknown) => escapeHtml(JSON.stringify(schema, null, 2));

function parametersTable(operation: Operation): string {
  if (operation.parameters.length === 0) return "";
  const rows = operation.parameters
    .map(
      (parameter) =>
        `<tr><td><code>${escapeHtml(parameter.name)}</code>${parameter.required ? " *" : ""}</td>` +
        `<td>${parameter.in}</td><td><code>${escapeHtml(JSON.stringify(parameter.schema))}</code></td></tr>`,
    )
    .join("");
  return `<table><tr><th>parameter</th><th>in</th><th>schema</th></tr>${rows}</table>`;
}

type Answers = Record<string, { content?: Record<string, { schema?: { $ref?: string } } | undefined> }>;

const SCHEMA_REF = "#/components/schemas/";

/** "200 with Memo" (linked to the schema below), then the refusals' statuses. */
function answersText(operation: Operation): string {
  const answers = Object.entries(operation.responses as Answers);
  const success = answers.find(([status]) => Number(status) < 300);
  const ref = success?.[1].content?.["application/json"]?.schema?.$ref ?? "";
  const id = escapeHtml(ref.slice(SCHEMA_REF.length));
  const refusals = answers.filter(([status]) => Number(status) >= 400).map(([status]) => status);
  return `Answers ${success?.[0] ?? ""} with <a href="#schema-${id}">${id}</a>; refuses with ${refusals.join(", ")}.`;
}

function operationHtml(method: string, path: string, operation: Operation): string {
  const body = operation.requestBody
    ? `<p>JSON body${operation.requestBody.required ? "" : " (optional)"}:</p>` +
      `<pre>${schemaText(operation.requestBody.content["application/json"].schema)}</pre>`
    : "";
  return (
    `<details id="${operation.operationId}"><summary><span class="method ${method}">${method.toUpperCase()}</span> ` +
    `<code>${escapeHtml(path)}</code> ${inlineText(operation.summary)}</summary>` +
    `<p>${inlineText(operation.description)}</p>${parametersTable(operation)}${body}` +
    `<p>${answersText(operation)}</p></details>`
  );
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
code, pre { font-family: ui-monospace, monospace; font-size: 13px; }
pre { background: #f5f5f5; padding: .5rem; overflow-x: auto; }
details { border-bottom: 1px solid #ddd; padding: .4rem 0; }
summary { cursor: pointer; }
.method { display: inline-block; width: 4.5rem; font-weight: 600; font-size: 12px; }
.get { color: #0a6; } .post { color: #06c; } .put, .patch { color: #a60; } .delete { color: #c33; }
table { border-collapse: collapse; margin: .5rem 0; } td, th { border: 1px solid #ddd; padding: .2rem .5rem; text-align: left; vertical-align: top; }
`;

/**
 * The docs page: the document rendered as plain HTML, with no script and nothing loaded from elsewhere, so it
 * works offline and under a strict Content-Security-Policy. `documentUrl` is where the JSON document is served.
 */
export function renderDocsPage(document: OpenApiDocument, documentUrl: string): string {
  const byTag = new Map<string, string[]>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const tag = operation.tags[0] ?? "other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(method, path, operation)]);
    }
  }
  const sections = [...byTag]
    .map(([tag, operations]) => `<h2>${escapeHtml(tag)}</h2>${operations.join("")}`)
    .join("");
  const schemas = Object.entries(document.components.schemas)
    .map(
      ([id, schema]) =>
        `<h3 id="schema-${escapeHtml(id)}">${escapeHtml(id)}</h3><pre>${schemaText(schema)}</pre>`,
    )
    .join("");
  const base = escapeHtml(document.servers[0]?.url ?? "");
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(document.info.title)}</title><style>${STYLE}</style></head><body>` +
    `<h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1>` +
    `<p>${inlineText(document.info.description)}</p>` +
    `<p>Paths below are relative to <code>${base}</code>. The OpenAPI 3.1 document: ` +
    `<a href="${escapeHtml(documentUrl)}">${escapeHtml(documentUrl)}</a>.</p>` +
    `${sections}<h2>Schemas</h2>${schemas}</body></html>`
  );
}
