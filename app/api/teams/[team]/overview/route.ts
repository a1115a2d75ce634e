import { withTeamSession } from "@/lib/auth/team-route";
import { getOverview } from "@/lib/billing/overview/get-overview";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The Overview's figures (balance, cycle, usage, recent entries; budget and auto top-up for billing roles), for the page's Refresh and polling. */
export const GET = withTeamSession("team:read", async ({ actor, db }) =>
  Response.json(await getOverview({ db, actor }), { headers: { "cache-control": "no-store" } }),
);
