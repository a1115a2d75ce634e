import { defineRoute } from "@/lib/edge/contract";

/** GET /api/openapi.json: the OpenAPI 3.1 document of /api/v1 and /api/v3 (lib/edge/openapi.ts), for anyone. */
export const openApiRoute = defineRoute({ method: "GET", path: "/api/openapi.json", output: null });
