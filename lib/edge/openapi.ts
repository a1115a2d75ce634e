import { z } from "zod";
import { errorStatus } from "../billing/errors";
import { API_ROUTES, type ApiRoute } from "./api-routes";
import type { Schema } from "./contract";
import type { ErrorCode } from "./error-record";

// The OpenAPI 3.1 document of the programmatic API, generated from the contracts the routes are built from
// (lib/edge/api-routes.ts lists them) with zod's own JSON Schema output: inputs as a client sends them (io "input"),
// answers as they go on the wire. The money and isoDate codecs are documented by their wire side (an integer or its
// decimal string; an ISO 8601 time), since the route encodes answers through them (lib/edge/route.ts).

export type JsonSchema = { [key: string]: unknown };

const statusOf: Record<ErrorCode, number> = { ...errorStatus, INTERNAL: 500, NETWORK: 502, NOT_CONFIGURED: 503, PAYLOAD_TOO_LARGE: 413 };

/** Every API-key route can answer these: a bad input, no or a revoked key, a key whose role lacks the permission, our failure. */
const COMMON_ERRORS: ErrorCode[] = ["VALIDATION_FAILED", "UNAUTHENTICATED", "FORBIDDEN", "INTERNAL"];

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "Unauthenticated",
  402: "Payment required",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  429: "Too many requests",
  500: "Internal error",
  502: "Upstream unavailable",
  503: "Not configured",
};

/** A zod schema as JSON Schema (2020-12, which OpenAPI 3.1 uses), without `$schema`. */
export function jsonSchemaOf(schema: Schema, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    override: (ctx) => {
      // A codec's output side is a bigint or a Date; on the wire it is its input side.
      const def = ctx.zodSchema._zod.def as { type: string; in?: Schema; reverseTransform?: unknown };
      if (io === "output" && def.type === "pipe" && def.reverseTransform && def.in) {
        for (const k of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[k];
        Object.assign(ctx.jsonSchema, jsonSchemaOf(def.in, "input"));
      }
    },
  }) as JsonSchema;
  const { $schema: _drop, ...rest } = out;
  if ("$defs" in rest) throw new Error("a contract schema produced $defs: inline it (no .meta({ id }) or recursion in API contracts)");
  return rest;
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z_]\w*)/g, "{$1}");

const errorRecord = (codes: ErrorCode[]): JsonSchema => ({
  type: "object",
  properties: {
    code: { type: "string", enum: codes },
    message: { type: "string" },
    field: { type: "string", description: 'The input that was refused, as "events[3].quantity"' },
  },
  required: ["code", "message"],
  additionalProperties: false,
});

/** The seed's envelope around an answer (/api/v3). */
const seedEnvelope = (data: JsonSchema, status: number): JsonSchema => ({
  type: "object",
  properties: { code: { type: "integer", const: status }, message: { type: "string", const: "success" }, data },
  required: ["code", "message", "data"],
  additionalProperties: false,
});

function errorBody(route: ApiRoute, status: number, codes: ErrorCode[]): JsonSchema {
  if (route.contract.envelope === "seed") {
    return {
      type: "object",
      properties: { code: { type: "integer", const: status }, message: { type: "string" }, data: { type: "null" }, error: errorRecord(codes) },
      required: ["code", "message", "data", "error"],
      additionalProperties: false,
    };
  }
  return { type: "object", properties: { error: errorRecord(codes) }, required: ["error"], additionalProperties: false };
}

function errorExample(route: ApiRoute, status: number, code: ErrorCode): unknown {
  const error = { code, message: `${STATUS_TEXT[status] ?? "Refused"}: ${code.toLowerCase().replaceAll("_", " ")}.` };
  return route.contract.envelope === "seed" ? { code: status, message: error.message, data: null, error } : { error };
}

/** A query parameter's default as the text a client would send (zod's own is the parsed value, often a number). */
function defaultOf(schema: Schema | undefined): { default?: string } {
  const def = schema?._zod.def as { type?: string; defaultValue?: unknown } | undefined;
  return def?.type === "default" && ["string", "number", "boolean"].includes(typeof def.defaultValue) ? { default: String(def.defaultValue) } : {};
}

function parameters(route: ApiRoute): JsonSchema[] {
  const of = (schema: Schema, where: "path" | "query") => {
    const s = jsonSchemaOf(schema, "input");
    const props = (s.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((s.required ?? []) as string[]);
    const shape = (schema._zod.def as { shape?: Record<string, Schema> }).shape ?? {};
    return Object.entries(props).map(([name, json]) => ({
      name,
      in: where,
      required: where === "path" || required.has(name),
      schema: { ...json, ...defaultOf(shape[name]) },
      ...(typeof json.description === "string" ? { description: json.description } : {}),
    }));
  };
  return [...of(route.contract.params, "path"), ...of(route.contract.query, "query")];
}

/** The success answer as it is on the wire (in the seed's envelope for /api/v3). */
export function successSchema(route: ApiRoute, status = 200): JsonSchema {
  const data = route.contract.output ? jsonSchemaOf(route.contract.output, "output") : {};
  return route.contract.envelope === "seed" ? seedEnvelope(data, status) : data;
}

export function successExample(route: ApiRoute, status = 200): unknown {
  return route.contract.envelope === "seed" ? { code: status, message: "success", data: route.example.response } : route.example.response;
}

/** The refusals a route can answer, by status. */
export function errorCodesByStatus(route: ApiRoute): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  // Every billing:write route refuses a test key (lib/auth/permissions.ts).
  const testKey: ErrorCode[] = route.permission === "billing:write" ? ["TEST_KEY_NOT_ALLOWED"] : [];
  for (const code of [...COMMON_ERRORS, ...testKey, ...route.errors]) {
    const status = statusOf[code];
    byStatus.set(status, [...new Set([...(byStatus.get(status) ?? []), code])]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

function operation(route: ApiRoute): JsonSchema {
  const c = route.contract;
  const responses: Record<string, JsonSchema> = {
    "200": {
      description: "Success",
      content: { "application/json": { schema: successSchema(route), example: successExample(route) } },
    },
  };
  for (const [status, codes] of errorCodesByStatus(route)) {
    const also = route.outputAlsoAt?.find((a) => a.status === status);
    const error = errorBody(route, status, codes);
    responses[String(status)] = {
      description: `${STATUS_TEXT[status] ?? "Refused"}: ${codes.join(", ")}${also ? `. ${also.description}` : ""}`,
      content: {
        "application/json": { schema: also ? { anyOf: [successSchema(route, status), error] } : error, example: errorExample(route, status, codes[0]!) },
      },
    };
  }
  for (const also of route.outputAlsoAt ?? []) {
    responses[String(also.status)] ??= {
      description: also.description,
      content: { "application/json": { schema: successSchema(route, also.status) } },
    };
  }
  const hasBody = c.method !== "GET" && c.method !== "DELETE";
  return {
    operationId: `${c.method.toLowerCase()}${c.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? "").toUpperCase())}`,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [c.path.startsWith("/api/v3/") ? "v3" : "v1"],
    parameters: parameters(route),
    ...(hasBody
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: jsonSchemaOf(route.documentedBody ?? c.body, "input"),
                ...(route.example.body ? { example: route.example.body } : {}),
              },
            },
          },
        }
      : {}),
    responses,
    security: [{ apiKey: [] }],
    "x-permission": route.permission,
  };
}

/** The OpenAPI 3.1 document of every listed route. */
export function openApiDocument(routes: ApiRoute[] = API_ROUTES): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = openApiPath(route.contract.path);
    const method = route.contract.method.toLowerCase();
    paths[path] ??= {};
    if (paths[path][method]) throw new Error(`${route.contract.method} ${route.contract.path} is listed twice`);
    paths[path][method] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Creditdesk API",
      version: "1.0.0",
      description:
        "The programmatic API of Creditdesk: record usage, read billing history and balance, manage the subscription and budget. Authenticate with a team API key: `Authorization: Bearer <key>`. Refusals answer `{ error: { code, message, field? } }` (/api/v1) or `{ code, message, data: null, error }` (/api/v3) with the code's HTTP status. Money in credits or cents is an integer, or its decimal string past 2^53.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    tags: [
      { name: "v1", description: "Usage and billing (the WAVIS shapes)" },
      { name: "v3", description: "Account history and balance (the WaveSpeed shapes, in the { code, message, data } envelope)" },
    ],
    paths,
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "A team API key from the API keys page." } },
    },
  };
}
