// Refunds (full or partial, by charge or PaymentIntent) and disputes (opened and closed through the control API).
import { pathParam, type ApiRouter } from "../api.js";
import { invalid } from "../errors.js";
import { matchesCreated, render, renderList } from "../expand.js";
import { formatMoney } from "../money.js";
import { int, metadata, obj, oneOf, str, type Metadata } from "../params.js";
import { clone, type Store } from "../store.js";
import type { Charge, Dispute, PaymentIntent, Refund } from "../types.js";

export interface RefundInput {
  charge?: string;
  paymentIntent?: string;
  amount?: number;
  reason?: string | null;
  metadata?: Metadata;
}

const CLOSED = ["won", "lost", "prevented", "warning_closed"];
const isInquiry = (d: Dispute) => d.status.startsWith("warning_");

function openDispute(store: Store, charge: Charge): Dispute | undefined {
  return store.all<Dispute>("dispute").find((d) => d.charge === charge.id && !CLOSED.includes(d.status));
}

export function createRefund(store: Store, input: RefundInput): Refund {
  let charge: Charge;
  if (input.charge) {
    charge = store.findParam<Charge>("charge", input.charge, "charge");
  } else if (input.paymentIntent) {
    const pi = store.findParam<PaymentIntent>("payment_intent", input.paymentIntent, "payment_intent");
    if (pi.status !== "succeeded" || !pi.latest_charge) {
      throw invalid(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, "payment_intent", "charge_not_refundable");
    }
    charge = store.find<Charge>("charge", pi.latest_charge);
  } else {
    throw invalid("One of the following params should be provided for this request: payment_intent or charge.", undefined, "parameter_missing");
  }
  if (charge.status !== "succeeded") {
    throw invalid(`Charge ${charge.id} has a status of ${charge.status} and cannot be refunded.`, "charge", "charge_not_refundable");
  }
  const disputed = openDispute(store, charge);
  if (disputed && !isInquiry(disputed)) {
    throw invalid(`Charge ${charge.id} has been charged back; cannot issue a refund.`, "charge", "charge_disputed");
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) throw invalid(`Charge ${charge.id} has already been refunded.`, "charge", "charge_already_refunded");
  const amount = input.amount ?? remaining;
  if (amount > remaining) {
    throw invalid(
      `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(remaining, charge.currency)})`,
      "amount",
      "amount_too_large",
    );
  }
  const refund: Refund = {
    ...store.base("refund", "re_"),
    object: "refund",
    amount,
    balance_transaction: store.newId("txn_"),
    charge: charge.id,
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    destination_details:
      charge.payment_method_details.type === "card"
        ? { card: { reference: null, reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" }, type: "card" }
        : { type: charge.payment_method_details.type, [charge.payment_method_details.type]: {} },
    metadata: input.metadata ?? {},
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason: input.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
  store.add(refund);
  const before = clone(charge);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount;
  store.emit("refund.created", refund);
  store.emitChange("charge.refunded", before, charge);
  return refund;
}

export interface DisputeInput {
  amount?: number;
  reason?: string;
  /** An inquiry (retrieval request): status warning_needs_response, no funds withdrawn, the charge stays refundable. */
  inquiry?: boolean;
}

export function createDispute(store: Store, charge: Charge, input: DisputeInput): Dispute {
  if (charge.status !== "succeeded") throw invalid(`Charge ${charge.id} has not succeeded and cannot be disputed.`);
  if (openDispute(store, charge)) throw invalid(`Charge ${charge.id} already has an open dispute.`);
  const remaining = charge.amount - charge.amount_refunded;
  const amount = input.amount ?? remaining;
  if (amount <= 0 || amount > charge.amount) throw invalid(`Dispute amount must be between 1 and ${charge.amount}.`, "amount");
  const now = store.now();
  const card = charge.payment_method_details.card as { brand?: string } | undefined;
  const dispute: Dispute = {
    ...store.base("dispute", "du_"),
    object: "dispute",
    amount,
    balance_transactions: [],
    charge: charge.id,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: Object.fromEntries(
      [
        "access_activity_log",
        "billing_address",
        "cancellation_policy",
        "cancellation_policy_disclosure",
        "cancellation_rebuttal",
        "customer_communication",
        "customer_email_address",
        "customer_name",
        "customer_purchase_ip",
        "customer_signature",
        "duplicate_charge_documentation",
        "duplicate_charge_explanation",
        "duplicate_charge_id",
        "product_description",
        "receipt",
        "refund_policy",
        "refund_policy_disclosure",
        "refund_refusal_explanation",
        "service_date",
        "service_documentation",
        "shipping_address",
        "shipping_carrier",
        "shipping_date",
        "shipping_documentation",
        "shipping_tracking_number",
        "uncategorized_file",
        "uncategorized_text",
      ].map((k) => [k, null]),
    ),
    evidence_details: { due_by: now + 7 * 86400, enhanced_eligibility: {}, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: input.inquiry === true,
    metadata: {},
    payment_intent: charge.payment_intent,
    payment_method_details: card
      ? { card: { brand: card.brand ?? "visa", case_type: input.inquiry ? "inquiry" : "chargeback", network_reason_code: "10.4" }, type: "card" }
      : { type: charge.payment_method_details.type },
    reason: input.reason ?? "fraudulent",
    status: input.inquiry ? "warning_needs_response" : "needs_response",
  };
  store.add(dispute);
  const before = clone(charge);
  charge.disputed = true;
  store.emit("charge.dispute.created", dispute);
  if (!input.inquiry) store.emit("charge.dispute.funds_withdrawn", dispute);
  store.emitChange("charge.updated", before, charge);
  return dispute;
}

/** Closes a dispute: a chargeback as won or lost, an inquiry as warning_closed (it never became a chargeback). */
export function closeDispute(store: Store, dispute: Dispute, status: "won" | "lost" | "warning_closed"): void {
  if (CLOSED.includes(dispute.status)) throw invalid(`Dispute ${dispute.id} is already closed (${dispute.status}).`, undefined, "dispute_already_closed");
  if ((status === "warning_closed") !== isInquiry(dispute)) {
    throw invalid(`Dispute ${dispute.id} is ${isInquiry(dispute) ? "an inquiry: close it as warning_closed" : "a chargeback: close it as won or lost"}.`);
  }
  const before = clone(dispute);
  dispute.status = status;
  dispute.is_charge_refundable = false;
  store.emit("charge.dispute.closed", dispute, { status: before.status });
  if (status === "won") store.emit("charge.dispute.funds_reinstated", dispute);
}

/** An inquiry the cardholder's bank turns into a chargeback: funds are withdrawn now. */
export function escalateDispute(store: Store, dispute: Dispute): void {
  if (!isInquiry(dispute) || CLOSED.includes(dispute.status)) throw invalid(`Dispute ${dispute.id} is not an open inquiry.`);
  const before = clone(dispute);
  dispute.status = "needs_response";
  dispute.is_charge_refundable = false;
  store.emitChange("charge.dispute.updated", before, dispute);
  store.emit("charge.dispute.funds_withdrawn", dispute);
}

/** A refund that fails after it was made (the card was closed, say): the money comes back to the merchant. */
export function failRefund(store: Store, refund: Refund): void {
  if (refund.status === "failed" || refund.status === "canceled") throw invalid(`Refund ${refund.id} has already ${refund.status}.`);
  const before = clone(refund);
  refund.status = "failed";
  (refund as Refund & { failure_reason?: string }).failure_reason = "expired_or_canceled_card";
  const charge = store.find<Charge>("charge", refund.charge);
  const chargeBefore = clone(charge);
  charge.amount_refunded -= refund.amount;
  charge.refunded = charge.amount_refunded >= charge.amount;
  store.emitChange("charge.refund.updated", before, refund);
  store.emit("refund.failed", refund);
  store.emitChange("charge.updated", chargeBefore, charge);
}

export function registerRefunds(r: ApiRouter): void {
  r.post("/v1/refunds", ({ store, params, expand }) => {
    const refund = createRefund(store, {
      charge: str(params, "charge"),
      paymentIntent: str(params, "payment_intent"),
      amount: int(params, "amount", { min: 1 }),
      reason: oneOf(params, "reason", ["duplicate", "fraudulent", "requested_by_customer"] as const) ?? null,
      metadata: metadata(params),
    });
    return render(store, refund, expand);
  });

  r.get("/v1/refunds", ({ store, params, expand }) => {
    const charge = str(params, "charge");
    const pi = str(params, "payment_intent");
    const items = store
      .all<Refund>("refund")
      .filter((x) => (charge === undefined || x.charge === charge) && (pi === undefined || x.payment_intent === pi) && matchesCreated(x.created, params));
    return renderList(store, items, params, "/v1/refunds", expand);
  });

  r.get("/v1/refunds/:id", (ctx) => render(ctx.store, ctx.store.find<Refund>("refund", pathParam(ctx, "id")), ctx.expand));

  r.post("/v1/refunds/:id", (ctx) => {
    const refund = ctx.store.find<Refund>("refund", pathParam(ctx, "id"));
    const before = clone(refund);
    refund.metadata = metadata(ctx.params, refund.metadata);
    ctx.store.emitChange("refund.updated", before, refund);
    return render(ctx.store, refund, ctx.expand);
  });

  r.post("/v1/refunds/:id/cancel", (ctx) => {
    const refund = ctx.store.find<Refund>("refund", pathParam(ctx, "id"));
    throw invalid(`Refund ${refund.id} has a status of ${refund.status} and cannot be canceled.`, undefined, "refund_cannot_be_canceled");
  });

  r.get("/v1/charges/:id/refunds", (ctx) => {
    const charge = ctx.store.find<Charge>("charge", pathParam(ctx, "id"));
    const items = ctx.store.all<Refund>("refund").filter((x) => x.charge === charge.id);
    return renderList(ctx.store, items, ctx.params, `/v1/charges/${charge.id}/refunds`, ctx.expand);
  });

  r.get("/v1/disputes", ({ store, params, expand }) => {
    const charge = str(params, "charge");
    const pi = str(params, "payment_intent");
    const items = store
      .all<Dispute>("dispute")
      .filter((x) => (charge === undefined || x.charge === charge) && (pi === undefined || x.payment_intent === pi) && matchesCreated(x.created, params));
    return renderList(store, items, params, "/v1/disputes", expand);
  });

  r.get("/v1/disputes/:id", (ctx) => render(ctx.store, ctx.store.find<Dispute>("dispute", pathParam(ctx, "id")), ctx.expand));

  r.post("/v1/disputes/:id", (ctx) => {
    const { store, params } = ctx;
    const dispute = store.find<Dispute>("dispute", pathParam(ctx, "id"));
    const before = clone(dispute);
    dispute.metadata = metadata(params, dispute.metadata);
    const evidence = obj(params, "evidence");
    if (evidence) {
      dispute.evidence = { ...(dispute.evidence as Record<string, unknown>), ...evidence };
      dispute.evidence_details = { ...(dispute.evidence_details as Record<string, unknown>), has_evidence: true };
    }
    if (params.submit === "true" && dispute.status === "needs_response") {
      dispute.status = "under_review";
      const details = dispute.evidence_details as Record<string, unknown>;
      dispute.evidence_details = { ...details, submission_count: Number(details.submission_count ?? 0) + 1 };
    }
    store.emitChange("charge.dispute.updated", before, dispute);
    return render(store, dispute, ctx.expand);
  });

  r.post("/v1/disputes/:id/close", (ctx) => {
    const dispute = ctx.store.find<Dispute>("dispute", pathParam(ctx, "id"));
    closeDispute(ctx.store, dispute, "lost");
    return render(ctx.store, dispute, ctx.expand);
  });
}
