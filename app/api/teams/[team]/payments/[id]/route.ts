import { readPaymentStatus } from "@/lib/billing/payments/read-payment-status";
import { route } from "@/lib/edge/route";
import { lazyPorts } from "@/lib/billing/gateway";
import { paymentRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(paymentRoute, { auth: "team", permission: "billing:read" }, async ({ db, gateway, actor, params, query }) =>
  readPaymentStatus({ db, actor, paymentId: params.id, refreshWith: query.refresh ? lazyPorts(gateway) : undefined }),
);
