import type { AutoTopUpView } from "@/lib/billing/auto-top-up/get-auto-top-up";
import { readAutoTopUp } from "@/lib/billing/auto-top-up/read-auto-top-up";
import { saveAutoTopUp } from "@/lib/billing/auto-top-up/save-auto-top-up";
import { route } from "@/lib/edge/route";
import { autoTopUpRoute, setAutoTopUpRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const shape = (v: AutoTopUpView) => ({
  enabled: v.enabled,
  threshold: v.thresholdCredits,
  amountCents: v.amountCents,
  credits: v.credits,
  maxPerMonth: v.maxPerMonth,
  chargesThisMonth: v.chargesThisMonth,
  disabledReason: v.disabledReason,
});

export const GET = route(autoTopUpRoute, { auth: "team", permission: "billing:read" }, async ({ db, actor }) => shape(await readAutoTopUp({ db, actor })));

/** Sets auto top-up; turning it on needs a paid plan and a saved card (402 NO_PAYMENT_METHOD). Audit-logged by the core. */
export const PUT = route(setAutoTopUpRoute, { auth: "team", permission: "billing:write" }, async ({ db, gateway, actor, body }) =>
  shape(await saveAutoTopUp({ db, gateway, actor, input: body })),
);
