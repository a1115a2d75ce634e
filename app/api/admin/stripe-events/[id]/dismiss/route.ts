import { route } from "@/lib/edge/route";
import { dismissEventFailure } from "@/lib/stripe/replay-event-failure";
import { dismissEventRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(dismissEventRoute, { auth: "admin" }, async ({ db, admin, params }) => {
  await dismissEventFailure({ db, id: params.id, userId: admin.id });
  return { message: "Dismissed. It will not be applied." };
});
