import { creditsToUsd } from "@/lib/billing/money";
import { listBillings } from "@/lib/billing/history/list-billings";
import { route } from "@/lib/edge/route";
import { billingsRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const DAY_MS = 86_400_000;

export const GET = route(billingsRoute, { auth: "api", permission: "billing:read" }, async ({ db, actor, query }) => {
  const { page, page_size: pageSize, type, start_date: from, end_date: end } = query;
  const to = end ? new Date(end.getTime() + DAY_MS) : null;
  const history = await listBillings({ db, teamId: actor.teamId, page, pageSize, filter: { type, from, to } });
  return {
    items: history.items.map((i) => ({
      id: i.id,
      type: i.type,
      amount: creditsToUsd(i.credits),
      currency: "USD" as const,
      status: "completed" as const,
      ...(i.type === "topup" ? { payment_method: i.paymentMethod } : {}),
      ...(i.type === "usage" ? { model: i.operation } : {}),
      created_at: i.createdAt.toISOString(),
      test: i.test,
    })),
    pagination: { page, page_size: pageSize, total: history.total },
  };
});
