import { expect, type Page, test } from "@playwright/test";
import Stripe from "stripe";
import { emulatorPort } from "../playwright.config";
import { control, payInEmbeddedCheckout, serveStripeJs } from "./emulator";
import { seedDemoBilling } from "../lib/demo/seed-billing";
import { createTeam } from "../lib/teams/create-team";
import { onTeamCreated } from "../lib/teams/on-team-created";
import { e2eDb, teamId } from "./db";
import { signInAs } from "./helpers";
import { applyDebits } from "../lib/billing/ledger/apply-debits";
import { sweepStatements } from "../lib/billing/statements/sweep-statements";
import { stripeGateway } from "../lib/stripe/gateway";

// The Subscription page end to end, through the emulator's own pages (Checkout, the customer portal) and its control
// API (renewals). One team of Erin's, made for this file, walks the whole life of a subscription in order; Erin is a
// member of Acme AI, whose page she may only read.
const SLUG = "erin-plans";
/** A second Free team, for the hosted-page fallback. */
const HOSTED = "erin-hosted";
const PAGE = `/t/${SLUG}/subscription`;
const stripe = new Stripe("sk_test_e2e", { host: "127.0.0.1", port: emulatorPort, protocol: "http", telemetry: false });

test.describe.configure({ mode: "serial" });

/** Every webhook the emulator has queued has reached the app (and been answered). */
const deliveries = () => control("delivery/wait", { timeoutMs: 30_000 });

/** In the emulator's customer portal: make a test card the default (this retries open invoices), then come back. */
async function portalSetCard(page: Page, label: string) {
  await expect(page.locator("#portal-title")).toBeVisible();
  await page.locator("#new-card").selectOption({ label });
  await page.locator("#update-payment-method").click();
  await expect(page.locator("#portal-notice")).toHaveText("Your payment method has been updated.");
  await deliveries();
  await page.locator("#return-link").click();
  await expect(page).toHaveURL(new RegExp(`${PAGE}$`));
}

async function stripeIds() {
  const team = await e2eDb().team.findUniqueOrThrow({ where: { slug: SLUG }, select: { id: true, stripeCustomerId: true, subscription: true } });
  return { teamId: team.id, customer: team.stripeCustomerId!, subscription: team.subscription?.stripeSubscriptionId ?? null };
}

const cents = (text: string | null) => BigInt((text ?? "").replace(/[^\d-]/g, ""));

test.beforeAll(async () => {
  const db = e2eDb();
  await seedDemoBilling({ db });
  const erin = await db.user.findUniqueOrThrow({ where: { email: "erin@demo.creditdesk.dev" } });
  for (const [slug, name] of [
    [SLUG, "Erin's plans"],
    [HOSTED, "Erin's hosted"],
  ] as const) {
    if (await db.team.findUnique({ where: { slug } })) continue;
    await db.$transaction(async (tx) => {
      const team = await createTeam({ db: tx, name, ownerUserId: erin.id, slug });
      await onTeamCreated({ db: tx, teamId: team.id });
    });
  }
});

test("a Free team sees every plan, monthly and annual, and subscribes to Pro through embedded Checkout: Pro's credits once", async ({ page }) => {
  await serveStripeJs(page);
  await signInAs(page, "Erin Ito");
  await page.goto(PAGE);
  await expect(page.getByRole("heading", { name: "Subscription", level: 1 })).toBeVisible();
  await expect(page.getByTestId("current-plan")).toHaveText("Free");
  await expect(page.getByTestId("subscription-status")).toHaveText("No subscription");
  await expect(page.getByTestId("payment-method")).toHaveText("No card on file");

  for (const id of ["free", "payg", "starter", "pro", "scale", "enterprise"]) await expect(page.getByTestId(`plan-${id}`)).toBeVisible();
  await expect(page.getByTestId("plan-free")).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("price-pro")).toHaveText("$49.00 / month");
  // The switch is a radio group: keyboard reaches and changes it.
  await page.getByRole("radio", { name: "Monthly" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("radio", { name: /Annual/ })).toBeChecked();
  await expect(page.getByRole("radio", { name: /Annual/ })).toHaveAccessibleName("Annual (save 17%)");
  for (const [id, perMonth, year] of [
    ["starter", "$7.47", "$89.64"],
    ["pro", "$40.67", "$488.04"],
    ["scale", "$165.17", "$1,982.04"],
  ] as const) {
    await expect(page.getByTestId(`price-${id}`)).toHaveText(`${perMonth} / month`);
    await expect(page.getByTestId(`plan-${id}`)).toContainText(`billed ${year} a year`);
    await expect(page.getByTestId(`plan-${id}`)).toContainText("Save 17%");
  }
  await expect(page.getByTestId("plan-enterprise")).toContainText("Custom");
  await expect(page.getByTestId("plan-enterprise").getByRole("link", { name: "Contact us" })).toHaveAttribute("href", "#enterprise-request");
  await page
    .locator("label")
    .filter({ has: page.getByRole("radio", { name: "Monthly" }) })
    .click();

  await page.getByRole("button", { name: "Choose Pro" }).click();
  const dialog = page.getByRole("dialog", { name: "Subscribe to Pro, billed monthly?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("due-now")).toHaveText("$49.00");
  await expect(dialog.getByTestId("charge-sentence")).toContainText("secure checkout");
  await expect(dialog.getByRole("button", { name: "Confirm" })).toBeFocused();
  await dialog.getByRole("button", { name: "Confirm" }).click();

  await payInEmbeddedCheckout(page, "4242 4242 4242 4242");
  await expect(page).toHaveURL(new RegExp(`${PAGE}\\?checkout=cs_`));
  await expect(page.getByTestId("checkout-result")).toHaveText("Subscription started: the team is on Pro.");
  await expect(page.getByTestId("current-plan")).toHaveText("Pro");
  await expect(page.getByTestId("subscription-status")).toHaveText("Active");
  await expect(page.getByTestId("billing-cycle")).toHaveText("Monthly");
  // Pro's 20,000,000 (plus Free's 10,000 of this month, if the sweep granted it before).
  await expect(page.getByTestId("plan-credits")).toHaveText(/^20,0[01]0,000 of 20,0[01]0,000 left$/);

  // Once per paid invoice, whatever the webhooks and the return page each did.
  await deliveries();
  const { teamId: id } = await stripeIds();
  const grants = await e2eDb().ledgerEntry.findMany({ where: { teamId: id, kind: "PLAN_GRANT", idempotencyKey: { startsWith: "plan:in_" } } });
  expect(grants.map((g) => g.amount)).toEqual([20_000_000n]);
});

test("Pro → Scale annual: the preview is shown first, and the card is charged exactly the previewed amount", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  await page.goto(PAGE);
  await page
    .locator("label")
    .filter({ has: page.getByRole("radio", { name: /^Annual/ }) })
    .click();
  await page.getByRole("button", { name: "Choose Scale" }).click();
  const dialog = page.getByRole("dialog", { name: "Upgrade to Scale, billed annually?" });
  await expect(dialog.getByTestId("plan-preview")).toBeVisible();
  const due = cents(await dialog.getByTestId("due-now").textContent());
  expect(due).toBeGreaterThan(0n);
  await expect(dialog.getByTestId("next-renewal")).toHaveText("$1,982.04");
  await expect(dialog.getByTestId("preview-explanation")).not.toBeEmpty();
  await expect(dialog.getByTestId("charge-sentence")).toHaveText(
    `Your card Visa ··4242 will be charged ${await dialog.getByTestId("due-now").textContent()} now.`,
  );
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByTestId("subscription-notice")).toHaveText("Done: the team is on Scale, billed annually.");
  await expect(page.getByTestId("current-plan")).toHaveText("Scale");
  await expect(page.getByTestId("billing-cycle")).toHaveText("Annual");

  const { customer } = await stripeIds();
  const [latest] = (await stripe.invoices.list({ customer, limit: 1 })).data;
  expect(latest?.status).toBe("paid");
  expect(BigInt(latest!.amount_paid)).toBe(due);
});

test("cancel keeps the plan to the period end; Reactivate before then puts it back", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  await page.goto(PAGE);
  const periodEnd = (await page.getByTestId("period-end").textContent())!;
  await page.getByRole("button", { name: "Cancel subscription" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel the Scale subscription?" });
  await expect(dialog.getByTestId("cancel-explanation")).toContainText(`You keep Scale until ${periodEnd}, then the team moves to Free.`);
  await dialog.getByRole("button", { name: "Cancel subscription" }).click();
  await expect(page.getByTestId("subscription-status")).toHaveText(`Cancelled, ends on ${periodEnd}`);
  await expect(page.getByTestId("plan-free")).toContainText(`The team moves to Free on ${periodEnd}`);

  await page.getByRole("button", { name: "Reactivate", exact: true }).click();
  const again = page.getByRole("dialog", { name: "Reactivate Scale?" });
  await expect(again.getByTestId("due-now")).toHaveText("$0.00");
  await again.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByTestId("subscription-status")).toHaveText("Active");
  await expect(page.getByTestId("current-plan")).toHaveText("Scale");
});

test("Manage billing opens the portal; a new card chosen there shows on the page after returning", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  await page.goto(PAGE);
  await expect(page.getByTestId("payment-method")).toContainText("Visa ··4242");
  await page.getByRole("button", { name: "Manage billing" }).click();
  await portalSetCard(page, "Mastercard ending 4444 (succeeds)");
  await expect(page.getByTestId("payment-method")).toContainText("Mastercard ··4444");
  await expect(page.getByTestId("payment-method")).toContainText("expires");
});

test("a renewal that fails shows the banner on every team page; paying through the portal clears it", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  await page.goto(PAGE);
  await page.getByRole("button", { name: "Manage billing" }).click();
  await portalSetCard(page, "Visa ending 0341 (saves, charges decline)");

  const { subscription } = await stripeIds();
  await control(`subscriptions/${subscription}/advance`);
  await deliveries();

  await page.goto(`/t/${SLUG}/overview`);
  const banner = page.getByRole("region", { name: "Payment failed" });
  await expect(banner).toContainText(/Your last payment failed\. Update your payment method by \w{3} \d{1,2}, \d{4} to keep using the API\./);
  await page.goto(PAGE);
  await expect(page.getByTestId("subscription-status")).toHaveText("Past due");
  await banner.getByRole("button", { name: "Update payment method" }).click();
  await portalSetCard(page, "Visa ending 4242 (succeeds)");
  await expect(page.getByTestId("subscription-status")).toHaveText("Active");
  await expect(page.getByRole("region", { name: "Payment failed" })).toHaveCount(0);
});

test("a member sees the plan read-only: no controls, no card, and the sentence saying who can change it", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  expect(await teamId("acme-ai")).toBeTruthy();
  await page.goto("/t/acme-ai/subscription");
  await expect(page.getByTestId("current-plan")).toHaveText("Pro");
  await expect(page.getByTestId("read-only-note")).toHaveText(
    "Your role in this team (member) can see the plan but not change it. Owners, admins and billing members can change the plan.",
  );
  await expect(page.getByRole("button", { name: /Choose|Manage billing|Cancel subscription|Reactivate|Move to Free/ })).toHaveCount(0);
  await expect(page.getByTestId("payment-method")).toHaveCount(0);
  await expect(page.getByTestId("plan-scale")).toContainText("100,000,000 credits a month");
  const res = await page.request.get("/api/teams/acme-ai/subscription");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ plan: { id: "pro" }, paymentMethod: null, nextInvoice: null, canManage: false });
});

test("when Stripe.js cannot load, subscribing goes through Stripe's hosted page and comes back to the plan", async ({ page }) => {
  await page.route("https://js.stripe.com/**", (route) => route.abort("internetdisconnected"));
  await signInAs(page, "Erin Ito");
  await page.goto(`/t/${HOSTED}/subscription`);
  await page.getByRole("button", { name: "Choose Starter" }).click();
  const dialog = page.getByRole("dialog", { name: "Subscribe to Starter, billed monthly?" });
  await expect(dialog.getByTestId("due-now")).toHaveText("$9.00");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL(/\/c\/pay\/cs_/);
  await expect(page.locator("#card-number")).toBeVisible();
  const email = page.locator("#email");
  if ((await email.count()) > 0 && (await email.inputValue()) === "") await email.fill("erin@demo.creditdesk.dev");
  await page.locator("#card-number").fill("4242 4242 4242 4242");
  await page.locator("#card-expiry").fill("12 / 34");
  await page.locator("#card-cvc").fill("123");
  const name = page.locator("#cardholder-name");
  if ((await name.count()) > 0) await name.fill("Erin Ito");
  await page.locator("#pay-button").click();
  await expect(page).toHaveURL(new RegExp(`/t/${HOSTED}/subscription\\?checkout=cs_`));
  await expect(page.getByTestId("checkout-result")).toHaveText("Subscription started: the team is on Starter.");
  await expect(page.getByTestId("subscription-status")).toHaveText("Active");
});

test("usage beyond the team's credits shows as overage before it is billed; the renewal bills it and the balance comes back", async ({ page }) => {
  const db = e2eDb();
  const { teamId: id, subscription } = await stripeIds();
  const { balance } = await db.team.findUniqueOrThrow({ where: { id }, select: { balance: true } });
  const [debit] = await applyDebits({
    db,
    teamId: id,
    debits: [{ idempotencyKey: `e2e-overage-${Date.now()}`, amount: balance + 5_000_000n, operation: "matmul" }],
  });
  expect(debit).toMatchObject({ status: "debited", balanceAfter: -5_000_000n });

  await signInAs(page, "Erin Ito");
  await page.goto(PAGE);
  const panel = page.getByRole("region", { name: "Usage beyond your credits" });
  await expect(panel.getByTestId("draw-unbilled")).toHaveText("5,000,000 credits");
  await expect(panel.getByTestId("draw-cost")).toHaveText("$10.00");
  await page.goto(`/t/${SLUG}/overview`);
  await expect(page.getByText(/5,000,000 credits beyond your credits this cycle: \$10\.00 at \$2\.00 per 1M/)).toBeVisible();

  // The renewal closes the draw into a statement; the statements job bills it to the card and repays it.
  const { now } = await control<{ now: number }>(`subscriptions/${subscription}/advance`);
  await deliveries();
  await sweepStatements({ db, gateway: stripeGateway(stripe), now: new Date(now * 1000) });
  await deliveries();
  const statement = await db.statement.findFirstOrThrow({ where: { teamId: id }, orderBy: { createdAt: "desc" } });
  expect(statement).toMatchObject({ kind: "OVERAGE", drawnCredits: 5_000_000n, amountCents: 1000n, status: "PAID" });
  await page.goto(PAGE);
  await expect(page.getByRole("region", { name: "Usage beyond your credits" }).getByTestId("draw-unbilled")).toHaveText("0 credits");
  await page.goto(`/t/${SLUG}/invoices`);
  await expect(page.getByText("$10.00").first()).toBeVisible();
});
