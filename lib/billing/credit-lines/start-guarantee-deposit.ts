import { randomBytes } from "node:crypto";
import type { Actor } from "../../auth/permissions";
import type { Db } from "../../db/client";
import { billingConfig, type BillingConfig } from "../config";
import { BillingError } from "../errors";
import { type CheckoutUi, createTopUpCheckoutFor, type TopUpCheckout } from "../topups/create-top-up-checkout";
import type { TopUpCheckoutGateway } from "../topups/checkout-session";
import { assertStatus, OPEN_STATUSES, recordEvent } from "./application-rules";
import { guaranteeKeyPrefix, guaranteePaid } from "./guarantee-deposits";

/**
 * Starts a Checkout for what is left of an application's guarantee (at most the top-up maximum at a time): an ordinary
 * top-up by card whose idempotency key marks it as this application's deposit. Its credits are spendable once paid.
 * The caller checked billing:write. Audit-logged.
 */
export async function startGuaranteeDeposit({
  db,
  gateway,
  team,
  actor,
  applicationId,
  ui,
  appUrl,
  config = billingConfig(),
}: {
  db: Db;
  gateway: TopUpCheckoutGateway;
  team: { id: string; slug: string; stripeCustomerId: string | null };
  actor: Actor;
  applicationId: string;
  ui: CheckoutUi;
  appUrl: string;
  config?: BillingConfig;
}): Promise<TopUpCheckout> {
  const app = await db.creditLineApplication.findUnique({ where: { id: applicationId } });
  if (!app || app.teamId !== team.id) throw new BillingError("NOT_FOUND", "That credit-line application does not exist.");
  assertStatus(app, OPEN_STATUSES, "given a guarantee deposit");
  if (app.guaranteeCents === 0n) throw new BillingError("CONFLICT", "This application needs no guarantee deposit.");
  const { paidCents } = await guaranteePaid(db, app);
  const left = app.guaranteeCents - paidCents;
  if (left <= 0n) throw new BillingError("CONFLICT", "The guarantee deposit is already paid in full.");
  const amountCents = left > config.topUpMaxCents ? config.topUpMaxCents : left < config.topUpMinCents ? config.topUpMinCents : left;
  const method = config.paymentMethods.includes("card") ? "card" : config.paymentMethods[0];
  const checkout = await createTopUpCheckoutFor({
    db,
    gateway,
    team,
    actor,
    input: {
      amount: `${amountCents / 100n}.${String(amountCents % 100n).padStart(2, "0")}`,
      method,
      idempotencyKey: guaranteeKeyPrefix(app.id) + randomBytes(6).toString("hex"),
    },
    ui,
    appUrl,
  });
  await db.$transaction(async (tx) => {
    await tx.creditLineApplication.update({ where: { id: app.id }, data: { guaranteePaymentId: checkout.payment.id } });
    await recordEvent(tx, app, {
      actorUserId: actor.kind === "user" ? actor.userId : null,
      action: "guarantee_checkout_started",
      data: { paymentId: checkout.payment.id, amountCents: String(amountCents) },
    });
  });
  return checkout;
}
