import { withTeamSession } from "@/lib/auth/team-route";
import { getOverview } from "@/lib/billing/overview/get-overview";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The Overview's figures (balance, cycle, budget, usage, recent entries), for the page's Refresh and polling. */
export const GET = withTeamSession("team:read", async ({ team, db }) =>
  Response.json(await getOverview({ db, teamId: team.id }), { headers: { "cache-control": "no-store" } }),
);
