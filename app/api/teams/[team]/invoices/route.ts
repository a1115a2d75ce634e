import { z } from "zod";
import { parseWith, readJson } from "@/lib/auth/api-route";
import { idParam } from "@/lib/auth/input-text";
import { withTeamSession } from "@/lib/auth/team-route";
import { generatePaymentInvoice } from "@/lib/billing/invoices/generate-payment-invoice";
import { viewInvoices } from "@/lib/billing/invoices/invoice-view";
import { listInvoices } from "@/lib/billing/invoices/list-invoices";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withTeamSession("billing:read", async ({ req, team, db }) => {
  const cursor = new URL(req.url).searchParams.get("cursor");
  return Response.json(await listInvoices({ db, teamId: team.id, cursor }), { headers: { "cache-control": "no-store" } });
});

const body = z.object({ paymentId: idParam }).strict();

/** "Generate invoice" for a paid payment: makes it once; a repeat answers the same invoice (created: false). */
export const POST = withTeamSession("billing:write", async ({ req, actor, team, db }) => {
  const input = parseWith(body, await readJson(req));
  const r = await generatePaymentInvoice({ db, teamId: team.id, paymentId: input.paymentId, actorUserId: actor.kind === "user" ? actor.userId : null });
  return Response.json({ invoice: (await viewInvoices(db, [r.invoice]))[0], created: r.created }, { status: r.created ? 201 : 200, headers: { "cache-control": "no-store" } });
});
