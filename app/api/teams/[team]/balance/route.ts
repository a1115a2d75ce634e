import { withTeamSession } from "@/lib/auth/team-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withTeamSession("team:read", async ({ team, db }) => {
  const row = await db.team.findUniqueOrThrow({ where: { id: team.id }, select: { balance: true, creditLimitCredits: true } });
  return Response.json(
    { team: team.slug, balance: row.balance.toString(), credit_limit: row.creditLimitCredits.toString(), as_of: new Date().toISOString() },
    { headers: { "cache-control": "no-store" } },
  );
});
