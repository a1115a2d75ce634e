import { openPortalFromApi } from "@/lib/billing/subscriptions/api-subscription";
import { route } from "@/lib/edge/route";
import { v1PortalRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(v1PortalRoute, { auth: "api", permission: "billing:write" }, async ({ db, gateway, appUrl, actor, body }) =>
  openPortalFromApi({ db, gateway: gateway(), actor, returnUrl: body.return_url, appUrl }),
);
