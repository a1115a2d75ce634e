import { openApiDocument } from "@/lib/edge/openapi";
import { route } from "@/lib/edge/route";
import { openApiRoute } from "./contract";

export const runtime = "nodejs";

// The document depends only on the code, so it is built once per process and may be cached for an hour.
let doc: ReturnType<typeof openApiDocument> | undefined;

export const GET = route(openApiRoute, { auth: "public" }, async () =>
  Response.json((doc ??= openApiDocument()), { headers: { "cache-control": "public, max-age=3600" } }),
);
