import { listSignInReviews } from "@/lib/accounts/list-sign-ins";
import { route } from "@/lib/edge/route";
import { adminSignInsRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(adminSignInsRoute, { auth: "admin" }, async ({ db }) => listSignInReviews({ db }));
