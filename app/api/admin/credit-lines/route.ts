import { listApplications } from "@/lib/billing/credit-lines/list-applications";
import { route } from "@/lib/edge/route";
import { adminCreditLinesRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(adminCreditLinesRoute, { auth: "admin" }, async ({ db, query }) => ({
  applications: await listApplications({ db, status: query.status, type: query.type }),
}));
