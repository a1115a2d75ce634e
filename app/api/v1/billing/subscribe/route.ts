import { subscribeFromApi } from "@/lib/billing/subscriptions/api-subscription";
import { route } from "@/lib/edge/route";
import { v1SubscribeRoute } from "./contract";
import { seedAnswer } from "./seed-answer";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(v1SubscribeRoute, { auth: "api", permission: "billing:write" }, async ({ db, gateway, appUrl, actor, body }) =>
  seedAnswer(await subscribeFromApi({ db, gateway: gateway(), actor, input: body, appUrl })),
);
