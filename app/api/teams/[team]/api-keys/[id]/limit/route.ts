import { setApiKeyLimit } from "@/lib/billing/api-keys/set-api-key-limit";
import { route } from "@/lib/edge/route";
import { clearApiKeyLimitRoute, setApiKeyLimitRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Sets or changes the limit; the core checks it, recounts the period's spend and writes the audit row. */
export const PUT = route(setApiKeyLimitRoute, { auth: "team", permission: "apikeys:manage" }, async ({ db, actor, params, body }) =>
  setApiKeyLimit({ db, actor, apiKeyId: params.id, limit: { credits: body.credits, period: body.period } }),
);

export const DELETE = route(clearApiKeyLimitRoute, { auth: "team", permission: "apikeys:manage" }, async ({ db, actor, params }) =>
  setApiKeyLimit({ db, actor, apiKeyId: params.id, limit: null }),
);
