import { confirmCompanyEmail } from "@/lib/billing/credit-lines/confirm-company-email";
import { route } from "@/lib/edge/route";
import { confirmCreditLineEmailRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(confirmCreditLineEmailRoute, { auth: "public" }, async ({ db, body }) => {
  const r = await confirmCompanyEmail({ db, token: body.token });
  return { confirmed: true as const, companyName: r.companyName };
});
