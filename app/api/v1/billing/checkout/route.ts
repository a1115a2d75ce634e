import { openCheckoutFromApi } from "@/lib/billing/subscriptions/api-subscription";
import { route } from "@/lib/edge/route";
import { v1CheckoutRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(v1CheckoutRoute, { auth: "api", permission: "billing:write" }, async ({ db, gateway, appUrl, actor, body }) =>
  openCheckoutFromApi({ db, gateway: gateway(), actor, input: body, appUrl }),
);
