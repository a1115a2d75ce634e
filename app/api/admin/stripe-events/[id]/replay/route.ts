import { route } from "@/lib/edge/route";
import { replayEventFailure } from "@/lib/stripe/replay-event-failure";
import { replayEventRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(replayEventRoute, { auth: "admin" }, async ({ db, stripe, admin, params }) => {
  const r = await replayEventFailure({ db, stripe: stripe(), id: params.id, userId: admin.id });
  return r.ok ? { applied: true, message: `Applied: ${r.outcome}.` } : { applied: false, message: `Still failing: ${r.error}` };
});
