import { addCard } from "@/lib/billing/cards/add-card";
import { reply, route } from "@/lib/edge/route";
import { cardSetupRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(cardSetupRoute, { auth: "team", permission: "billing:write" }, async ({ db, gateway, actor, appUrl }) =>
  reply(await addCard({ db, gateway, actor, appUrl }), { status: 201 }),
);
