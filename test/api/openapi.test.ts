import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getOpenApi } from "../../app/api/openapi.json/route";
import ApiReferencePage from "../../app/docs/api/page";
import { GET as getBudget, POST as postBudget } from "../../app/api/v1/billing/budget/route";
import { GET as getCreditLine } from "../../app/api/v1/billing/credit-line/route";
import { GET as getInvoices } from "../../app/api/v1/billing/invoices/route";
import { GET as getSubscription } from "../../app/api/v1/billing/subscription/route";
import { GET as getBillingUsage } from "../../app/api/v1/billing/usage/route";
import { GET as getCurrentKey } from "../../app/api/v1/keys/current/route";
import { POST as postUsage } from "../../app/api/v1/usage/route";
import { GET as getBalance } from "../../app/api/v3/account/balance/route";
import { GET as getBillings } from "../../app/api/v3/account/billings/route";
import { GET as getWebhooks, POST as postWebhook } from "../../app/api/v1/webhooks/route";
import { API_ROUTES, type ApiRoute, UNDOCUMENTED_ROUTE_FILES } from "../../lib/edge/api-routes";
import type { RouteContract } from "../../lib/edge/contract";
import { type JsonSchema, openApiDocument } from "../../lib/edge/openapi";
import { makeTeam } from "../billing/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { validate } from "../helpers/json-schema";
import { call, makeKey } from "./helpers";

// Issue 13, documentation: the OpenAPI document covers every /api/v1 and /api/v3 route, is OpenAPI 3.1 in shape, its
// examples fit its own schemas, and real answers of real handlers (against the embedded database) fit them too.

const root = join(import.meta.dirname, "../..");

function routeFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? routeFiles(path) : name === "route.ts" ? [path] : [];
  });
}

type Found = { file: string; method: string; name: string; contract: RouteContract | undefined };

/** Every `export const METHOD = route(contract, ...)` under app/api/v1 and app/api/v3, with the contract object it names. */
async function routesInCode(): Promise<{ found: Found[]; withoutRoute: string[] }> {
  const found: Found[] = [];
  const withoutRoute: string[] = [];
  for (const file of [...routeFiles("app/api/v1"), ...routeFiles("app/api/v3")]) {
    const text = readFileSync(join(root, file), "utf8");
    const uses = [...text.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = route\((\w+),/g)];
    if (uses.length === 0) withoutRoute.push(file);
    const from = new Map<string, string>();
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
      for (const n of m[1]!.split(",")) from.set(n.trim().replace(/^type\s+/, ""), m[2]!);
    }
    for (const [, method, name] of uses) {
      const spec = from.get(name!);
      if (!spec) throw new Error(`${file}: ${name} is not imported by name`);
      const path = spec.startsWith("@/") ? join(root, spec.slice(2)) : join(root, dirname(file), spec);
      const mod = (await import(path)) as Record<string, RouteContract>;
      found.push({ file, method: method!, name: name!, contract: mod[name!] });
    }
  }
  return { found, withoutRoute };
}

/** The route handlers whose contract the list lacks, as "file METHOD contract". */
function unlisted(found: Found[], list: ApiRoute[]): string[] {
  const listed = new Set(list.map((r) => r.contract));
  return found.filter((f) => !f.contract || !listed.has(f.contract)).map((f) => `${f.file} ${f.method} ${f.name}`);
}

const doc = openApiDocument();
type Op = {
  operationId: string;
  summary: string;
  parameters: { name: string; in: string; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: { "application/json": { schema: JsonSchema; example?: unknown } } };
  responses: Record<string, { description: string; content?: { "application/json": { schema: JsonSchema; example?: unknown } } }>;
  security: Record<string, string[]>[];
};
const paths = doc.paths as Record<string, Record<string, Op>>;
const opOf = (method: string, path: string): Op => {
  const op = paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${path} is not in the document`);
  return op;
};

describe("the OpenAPI document covers every programmatic route", () => {
  it("lists the contract of every route.ts under app/api/v1 and app/api/v3, with its method and path", async () => {
    const { found, withoutRoute } = await routesInCode();
    expect(found.length).toBeGreaterThanOrEqual(13);
    expect(unlisted(found, API_ROUTES)).toEqual([]);
    // A file built otherwise is named, with a reason, or it fails here.
    expect(withoutRoute.sort()).toEqual(Object.keys(UNDOCUMENTED_ROUTE_FILES).sort());
    for (const f of found) {
      expect(f.contract!.method, f.file).toBe(f.method);
      expect(`app${f.contract!.path.replace(/:(\w+)/g, "[$1]")}/route.ts`, f.name).toBe(f.file);
      expect(opOf(f.method, f.contract!.path.replace(/:(\w+)/g, "{$1}")).summary.length, f.file).toBeGreaterThan(0);
    }
    // Every listed route is a real one, once.
    expect(new Set(API_ROUTES.map((r) => r.contract)).size).toBe(API_ROUTES.length);
    expect(API_ROUTES.every((r) => found.some((f) => f.contract === r.contract))).toBe(true);
  });

  it("fails when a route's contract is missing from the list", async () => {
    const { found } = await routesInCode();
    const missing = API_ROUTES.find((r) => r.contract.path === "/api/v3/account/balance")!;
    expect(
      unlisted(
        found,
        API_ROUTES.filter((r) => r !== missing),
      ),
    ).toEqual(["app/api/v3/account/balance/route.ts GET balanceRoute"]);
  });
});

describe("the document is OpenAPI 3.1 in shape", () => {
  const operations = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

  it("has the version, info, paths and security scheme", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(operations.length).toBe(API_ROUTES.length);
    expect((doc.components as { securitySchemes: Record<string, unknown> }).securitySchemes.apiKey).toEqual(
      expect.objectContaining({ type: "http", scheme: "bearer" }),
    );
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc); // plain JSON: no bigint, Date or undefined
  });

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))("%s: operation, parameters, responses", (_, { path, method, op }) => {
    expect(path).toMatch(/^\/api\/v[13]\//);
    expect(["get", "post", "put", "patch", "delete"]).toContain(method);
    expect(op.operationId).toMatch(/^\w+$/);
    expect(op.summary.length).toBeGreaterThan(0);
    expect(op.security).toEqual([{ apiKey: [] }]);
    const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    expect(op.parameters.filter((p) => p.in === "path").map((p) => p.name)).toEqual(templated);
    for (const p of op.parameters) expect(["path", "query"]).toContain(p.in);
    expect(Object.keys(op.responses)).toContain("200");
    for (const [status, r] of Object.entries(op.responses)) {
      expect(status).toMatch(/^[1-5]\d\d$/);
      expect(r.description.length).toBeGreaterThan(0);
      expect(r.content?.["application/json"].schema).toBeTypeOf("object");
    }
    // Every API-key route documents bad input, no key and a key without the permission.
    for (const s of ["400", "401", "403"]) expect(Object.keys(op.responses)).toContain(s);
    expect(op.requestBody !== undefined).toBe(method === "post" || method === "patch");
  });

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o.op] as const))("%s: every example fits its own schema", (_, op) => {
    const body = op.requestBody?.content["application/json"];
    if (body) {
      expect(body.example).toBeDefined();
      expect(validate(body.schema, body.example)).toEqual([]);
    }
    for (const r of Object.values(op.responses)) {
      const json = r.content!["application/json"];
      if (json.example !== undefined) expect(validate(json.schema, json.example)).toEqual([]);
    }
    expect(op.responses["200"]!.content!["application/json"].example).toBeDefined();
  });

  it("documents the wire forms: money as an integer or its decimal string, moments as date-time strings, error codes by status", () => {
    const ok = opOf("GET", "/api/v1/billing/credit-line").responses["200"]!.content!["application/json"].schema;
    const props = ok.properties as Record<string, JsonSchema>;
    expect(validate(props.limit_cents!, 500)).toEqual([]);
    expect(validate(props.limit_cents!, "90071992547409930")).toEqual([]);
    expect(validate(props.limit_cents!, 1.5)).not.toEqual([]);
    expect(validate(props.limit_cents!, "12.5")).not.toEqual([]);
    expect(validate(props.next_statement_at!, "2026-05-01T00:00:00.000Z")).toEqual([]);
    expect(validate(props.next_statement_at!, "yesterday")).not.toEqual([]);
    expect(
      validate(ok, { ...((opOf("GET", "/api/v1/billing/credit-line").responses["200"]!.content!["application/json"].example ?? {}) as object), extra: 1 }),
    ).not.toEqual([]);

    const usage = opOf("POST", "/api/v1/usage");
    const e402 = usage.responses["402"]!.content!["application/json"].schema;
    const rejected = {
      idempotency_key: "k",
      status: "rejected",
      operation: "add",
      quantity: 1,
      error: { code: "INSUFFICIENT_CREDITS", message: "No credits left." },
    };
    const all = { error: rejected.error, debited: 0, duplicates: 0, rejected: 1, credits_debited: 0, results: [rejected] };
    expect(validate(e402, all)).toEqual([]);
    expect(validate(e402, { error: rejected.error })).not.toEqual([]);
    const e400 = usage.responses["400"]!.content!["application/json"].schema;
    expect(validate(e400, { error: { code: "VALIDATION_FAILED", message: "quantity: must be a number", field: "quantity" } })).toEqual([]);
    expect(validate(e400, { error: { code: "RATE_LIMITED", message: "x" } })).not.toEqual([]);
    const seed400 = opOf("GET", "/api/v3/account/billings").responses["400"]!.content!["application/json"].schema;
    expect(
      validate(seed400, { code: 400, message: "page: bad", data: null, error: { code: "VALIDATION_FAILED", message: "page: bad", field: "page" } }),
    ).toEqual([]);
    expect(validate(seed400, { error: { code: "VALIDATION_FAILED", message: "page: bad" } })).not.toEqual([]);
    const query = Object.fromEntries(opOf("GET", "/api/v3/account/billings").parameters.map((p) => [p.name, p]));
    expect(Object.keys(query)).toEqual(["page", "page_size", "type", "start_date", "end_date"]);
    expect(query.page_size).toMatchObject({ in: "query", required: false, schema: { type: "string", default: "20" } });
    expect(query.type!.schema.enum).toContain("topup");
    expect(opOf("GET", "/api/v1/billing/invoices").parameters.find((p) => p.name === "limit")!.schema.default).toBe("100");
    expect(opOf("POST", "/api/v1/billing/subscribe").responses["409"]).toBeDefined();
    expect(opOf("POST", "/api/v1/billing/portal").responses["404"]).toBeDefined();
  });
});

describe("the reference page /docs/api", () => {
  it("renders every route on the server, with parameters, examples and refusals, and no script", () => {
    const html = renderToStaticMarkup(ApiReferencePage()).replace(/<!-- -->/g, "");
    for (const r of API_ROUTES) {
      expect(html).toContain(`${r.contract.method} ${r.contract.path.replace(/:(\w+)/g, "{$1}")}</a>`);
      expect(html).toContain(r.summary.replaceAll("&", "&amp;").replaceAll("'", "&#x27;").replaceAll('"', "&quot;"));
    }
    expect(html).toContain('<td class="font-mono">page_size</td>');
    expect(html).toContain("&quot;txn_abc123&quot;");
    expect(html).toContain("BUDGET_HARD_CAP_HIT");
    expect(html).toContain('href="/api/openapi.json"');
    expect(html).not.toMatch(/<script/i);
  });
});

describe("real answers fit the document", () => {
  let t: TestDatabase;
  let key: string;
  let readOnly: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    process.env.DATABASE_URL = t.url; // the route handlers' db() reads it on first use
    const team = await makeTeam(t.db, { credits: 8_000_000n });
    key = (await makeKey(t.db, team.teamId, team.userId, "BILLING")).secret;
    readOnly = (await makeKey(t.db, team.teamId, team.userId, "READ_ONLY")).secret;
  });
  afterAll(() => t?.close());

  /** Calls the handler and checks its answer against the document's schema for that method, path and status. */
  async function answerFits(method: string, path: string, handler: (req: Request) => Promise<Response>, opts: Parameters<typeof call>[1]) {
    const r = await call(handler, { method, ...opts });
    const documented = opOf(method, path).responses[String(r.status)];
    expect(documented, `${method} ${path} answered ${r.status}, which the document does not list`).toBeDefined();
    expect(validate(documented!.content!["application/json"].schema, r.json), `${method} ${path} ${r.status}: ${JSON.stringify(r.json)}`).toEqual([]);
    return r;
  }

  it("answers 200 as documented", async () => {
    expect((await answerFits("POST", "/api/v1/usage", postUsage, { key, body: { idempotency_key: "doc-1", operation: "add", quantity: 2 } })).status).toBe(200);
    expect(
      (await answerFits("POST", "/api/v1/usage", postUsage, { key, body: { events: [{ idempotency_key: "doc-1", operation: "add", quantity: 2 }] } })).status,
    ).toBe(200);
    expect((await answerFits("GET", "/api/v3/account/balance", getBalance, { key })).status).toBe(200);
    const history = await answerFits("GET", "/api/v3/account/billings", getBillings, { key, query: "?page_size=5" });
    expect(history.status).toBe(200);
    expect(history.json.data.items.length).toBeGreaterThanOrEqual(2);
    expect((await answerFits("GET", "/api/v1/billing/budget", getBudget, { key })).status).toBe(200);
    expect((await answerFits("POST", "/api/v1/billing/budget", postBudget, { key, body: { monthly_cap_usd: 500, hard_cap: true } })).status).toBe(200);
    expect((await answerFits("GET", "/api/v1/billing/subscription", getSubscription, { key })).status).toBe(200);
    expect((await answerFits("GET", "/api/v1/billing/credit-line", getCreditLine, { key })).status).toBe(200);
    expect((await answerFits("GET", "/api/v1/billing/invoices", getInvoices, { key })).status).toBe(200);
    expect((await answerFits("GET", "/api/v1/billing/usage", getBillingUsage, { key })).status).toBe(200);
    expect((await answerFits("GET", "/api/v1/keys/current", getCurrentKey, { key: readOnly })).json).toMatchObject({
      role: "READ_ONLY",
      name: "read_only key",
    });
    const hook = { url: "https://93.184.215.14/billing-events", events: ["invoice_paid"], secret: "min-32-char-shared-secret-for-docs" };
    expect((await answerFits("POST", "/api/v1/webhooks", postWebhook, { key, body: hook })).status).toBe(201);
    expect((await answerFits("GET", "/api/v1/webhooks", getWebhooks, { key })).status).toBe(200);
  });

  it("answers refusals as documented, in each API's own error shape", async () => {
    expect((await answerFits("GET", "/api/v3/account/balance", getBalance, {})).status).toBe(401);
    expect((await answerFits("GET", "/api/v1/keys/current", getCurrentKey, { key: "cdk_live_nope" })).status).toBe(401);
    expect((await answerFits("GET", "/api/v3/account/billings", getBillings, { key, query: "?page=0" })).status).toBe(400);
    expect((await answerFits("GET", "/api/v3/account/billings", getBillings, { key, query: "?start_date=2024-02-30" })).status).toBe(400);
    expect(
      (await answerFits("POST", "/api/v1/usage", postUsage, { key: readOnly, body: { idempotency_key: "doc-2", operation: "add", quantity: 1 } })).status,
    ).toBe(403);
    expect((await answerFits("POST", "/api/v1/usage", postUsage, { key, body: { idempotency_key: "doc-3", operation: "add", quantity: -1 } })).status).toBe(
      400,
    );
    expect((await answerFits("POST", "/api/v1/billing/budget", postBudget, { key, body: { monthly_cap_usd: 5, surprise: 1 } })).status).toBe(400);
    expect((await answerFits("GET", "/api/v1/billing/invoices", getInvoices, { key, query: "?limit=1000" })).status).toBe(400);
    const blocked = { url: "http://169.254.169.254/", events: ["invoice_paid"], secret: "min-32-char-shared-secret-for-docs" };
    expect((await answerFits("POST", "/api/v1/webhooks", postWebhook, { key, body: blocked })).status).toBe(400);
    expect((await answerFits("POST", "/api/v1/webhooks", postWebhook, { key: readOnly, body: blocked })).status).toBe(403);
    // Every event rejected: 402 with the same body as a success.
    const rejected = await answerFits("POST", "/api/v1/usage", postUsage, {
      key,
      body: { idempotency_key: "doc-4", operation: "add", quantity: 1_000_000_000 },
    });
    expect(rejected.status).toBe(402);
    expect(rejected.json.rejected).toBe(1);
  });

  it("is served at GET /api/openapi.json to anyone (no key), cacheable", async () => {
    const res = await getOpenApi(new Request("http://localhost/api/openapi.json"));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(await res.json()).toEqual(doc);
  });
  it("would catch an answer the document does not allow", () => {
    const schema = opOf("GET", "/api/v3/account/balance").responses["200"]!.content!["application/json"].schema;
    expect(validate(schema, { code: 200, message: "success", data: { balance: 1, currency: "USD" } })).toEqual([]);
    expect(validate(schema, { code: 200, message: "success", data: { balance: "1", currency: "USD" } })).not.toEqual([]);
    expect(validate(schema, { balance: 1, currency: "USD" })).not.toEqual([]);
  });
});
