import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { billingConfig, type BillingConfig } from "../config";
import { BillingError } from "../errors";
import { type CheckoutUi, createTopUpCheckoutFor, type TopUpCheckout } from "../topups/create-top-up-checkout";
import type { CheckoutGateway, TopUpCheckoutGateway } from "../topups/checkout-session";
import { fulfilCheckout } from "../topups/fulfil-checkout";
import { startTopUp } from "../topups/start-top-up";
import { assertStatus, OPEN_STATUSES, recordEvent } from "./application-rules";
import { guaranteeKeyPrefix, guaranteePaid } from "./guarantee-deposits";

/**
 * Starts a Checkout for what is left of an application's guarantee (at most the top-up maximum at a time): an ordinary
 * top-up by card whose idempotency key marks it as this application's deposit. Its credits are spendable once paid.
 * One deposit checkout at a time: while one is open its page is handed back, and requests made at once claim the same
 * numbered key (gdep:<application>:<n>), so only one of them opens a Checkout and the team cannot pay the deposit
 * twice. The caller checked billing:write. Audit-logged.
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
  gateway: TopUpCheckoutGateway & CheckoutGateway;
  team: { id: string; slug: string; stripeCustomerId: string | null };
  actor: Actor;
  applicationId: string;
  ui: CheckoutUi;
  appUrl: string;
  config?: BillingConfig;
}): Promise<TopUpCheckout> {
  requirePermission(actor, "billing:write");
  for (let settled = false; ; settled = true) {
    const app = await db.creditLineApplication.findUnique({ where: { id: applicationId } });
    if (!app || app.teamId !== team.id) throw new BillingError("NOT_FOUND", "That credit-line application does not exist.");
    assertStatus(app, OPEN_STATUSES, "given a guarantee deposit");
    if (app.guaranteeCents === 0n) throw new BillingError("CONFLICT", "This application needs no guarantee deposit.");
    const { paidCents } = await guaranteePaid(db, app);
    const left = app.guaranteeCents - paidCents;
    if (left <= 0n) throw new BillingError("CONFLICT", "The guarantee deposit is already paid in full.");

    const prefix = guaranteeKeyPrefix(app.id);
    // Counted before looking for an open one: a request that counts another's attempt then also finds it open.
    const tries = await db.payment.count({ where: { teamId: team.id, idempotencyKey: { startsWith: prefix } } });
    const open = await db.payment.findFirst({
      where: { teamId: team.id, status: "PENDING", idempotencyKey: { startsWith: prefix } },
      orderBy: { createdAt: "desc" },
    });
    if (open) {
      const page = await openPage(gateway, open);
      if (page) return page;
      if (settled) throw new BillingError("CONFLICT", "The last deposit checkout has ended and its payment is being settled; try again in a minute.");
      // Its Checkout ended (paid or expired) before the webhook said so: settle it now, then look again.
      await fulfilCheckout({ db, sessionId: open.stripeCheckoutSession!, gateway });
      continue;
    }

    const amountCents = left > config.topUpMaxCents ? config.topUpMaxCents : left < config.topUpMinCents ? config.topUpMinCents : left;
    const input = {
      amount: `${amountCents / 100n}.${String(amountCents % 100n).padStart(2, "0")}`,
      method: config.paymentMethods.includes("card") ? "card" : config.paymentMethods[0],
      idempotencyKey: `${prefix}${tries + 1}`,
    };
    const actorUserId = actor.kind === "user" ? actor.userId : null;
    // Claims this attempt: a request made at the same moment finds the same key and hands back (or waits for) its page.
    const claim = await startTopUp({ db, teamId: team.id, actorUserId, input, config });
    if (!claim.created) {
      const page = claim.payment.status === "PENDING" ? await openPage(gateway, claim.payment) : null;
      if (page) return page;
      throw new BillingError("CONFLICT", "A deposit checkout for this application was just started; try again in a moment.");
    }
    const checkout = await createTopUpCheckoutFor({ db, gateway, team, actor, input, ui, appUrl });
    await db.$transaction(async (tx) => {
      await tx.creditLineApplication.update({ where: { id: app.id }, data: { guaranteePaymentId: checkout.payment.id } });
      await recordEvent(tx, app, {
        actorUserId,
        action: "guarantee_checkout_started",
        data: { paymentId: checkout.payment.id, amountCents: String(amountCents) },
      });
    });
    return checkout;
  }
}

/**
 * The page of a pending deposit's Checkout while it can still be paid; null once it ended. CONFLICT while the
 * request that claimed it is still opening it.
 */
async function openPage(gateway: TopUpCheckoutGateway, payment: Payment): Promise<TopUpCheckout | null> {
  if (!payment.stripeCheckoutSession) {
    throw new BillingError("CONFLICT", "A deposit checkout for this application is being started; try again in a moment.");
  }
  const s = await gateway.readCheckoutPage(payment.stripeCheckoutSession);
  return s.open ? { payment, sessionId: s.sessionId, ui: s.ui, clientSecret: s.clientSecret, url: s.url, couponCredits: 0n } : null;
}
