import { z } from "zod";
import { parseWith, readJson } from "@/lib/auth/api-route";
import { withTeamSession } from "@/lib/auth/team-route";
import { startCardSetup } from "@/lib/billing/cards/start-card-setup";
import { stripeClient } from "@/lib/stripe/client";
import { stripeGateway } from "@/lib/stripe/gateway";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** "Add a card": a Stripe Checkout page in setup mode; the browser goes to `url` and comes back to /buy-credit/card-saved. */
// The body is an empty JSON object: nothing the browser says chooses the card, the customer or the return URL.
const body = z.object({}).strict();

export const POST = withTeamSession("billing:write", async ({ req, actor, team, db }) => {
  parseWith(body, await readJson(req));
  const user = actor.kind === "user" ? await db.user.findUnique({ where: { id: actor.userId }, select: { email: true } }) : null;
  const gateway = stripeGateway(stripeClient());
  const r = await startCardSetup({ db, gateway, team, email: user?.email ?? null, appUrl: process.env.APP_URL ?? new URL(req.url).origin });
  return Response.json(r, { status: 201, headers: { "cache-control": "no-store" } });
});
