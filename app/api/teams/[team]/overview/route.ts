import { getOverview } from "@/lib/billing/overview/get-overview";
import { route } from "@/lib/edge/route";
import { overviewRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(overviewRoute, { auth: "team", permission: "team:read" }, async ({ db, actor }) => getOverview({ db, actor }));
