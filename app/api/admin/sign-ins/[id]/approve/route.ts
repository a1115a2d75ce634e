import { decideSignIn } from "@/lib/accounts/decide-sign-in";
import { route } from "@/lib/edge/route";
import { approveSignInRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(approveSignInRoute, { auth: "admin" }, async ({ db, admin, params, body }) =>
  decideSignIn({ db, userId: params.id, reviewerUserId: admin.id, decision: "APPROVED", reason: body.reason }),
);
