import { listOpenPlanRequests } from "@/lib/billing/plans/list-plan-requests";
import { route } from "@/lib/edge/route";
import { adminPlanRequestsRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(adminPlanRequestsRoute, { auth: "admin" }, async ({ db }) => ({ requests: await listOpenPlanRequests({ db }) }));
