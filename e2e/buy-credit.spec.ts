import { expect, type Page, test } from "@playwright/test";
import { seedDemoBilling } from "../lib/demo/seed-billing";
import { e2eDb, teamId } from "./db";
import { sameOrigin, signInAs } from "./helpers";

// Buy Credit end to end: a paid team saves a card through Stripe's page (emulator), buys a bundle with it, credits land
// once; Free teams see why not and the way to upgrade; members get 403; bad amounts are refused with a reason.
const credits = (text: string | null) => BigInt((text ?? "").replace(/[^\d-]/g, ""));

test.beforeAll(async () => {
  // The demo's plans (Acme on Pro, Olivia's team on Starter, Erin on Free) through the billing core; idempotent.
  await seedDemoBilling({ db: e2eDb() });
});

/** Stripe's hosted card form (the emulator's page): save or pay with a test card. */
async function fillCard(page: Page, number: string) {
  await expect(page.locator("#card-number")).toBeVisible();
  const email = page.locator("#email");
  if ((await email.count()) > 0 && (await email.isVisible()) && (await email.inputValue()) === "") await email.fill("olivia@demo.creditdesk.dev");
  await page.locator("#card-number").fill(number);
  await page.locator("#card-expiry").fill("12 / 34");
  await page.locator("#card-cvc").fill("123");
  const name = page.locator("#cardholder-name");
  if ((await name.count()) > 0) await name.fill("Olivia Okafor");
  await page.locator("#pay-button").click();
}

test("a paid team replaces its card and buys the $500 bundle with it: 40,000,000 credits, exactly once", async ({ page }) => {
  await signInAs(page, "Olivia Okafor");
  await page.goto("/t/acme-ai/buy-credit");
  await expect(page.getByRole("heading", { name: "Buy Credit" })).toBeVisible();
  // The Visa the demo's Pro subscription pays with (lib/demo/seed-subscription.ts).
  await expect(page.getByTestId("saved-card")).toHaveText("Visa •••• 4242");

  await page.getByRole("button", { name: "Replace card" }).click();
  await expect(page.locator("#checkout-title")).toHaveText("Save a payment method");
  await fillCard(page, "4242 4242 4242 4242");
  await expect(page).toHaveURL(/\/t\/acme-ai\/buy-credit\?card=saved$/);
  await expect(page.getByText("Card saved.")).toBeVisible();
  await expect(page.getByTestId("saved-card")).toHaveText("Visa •••• 4242");
  const before = credits(await page.getByTestId("balance").textContent());

  // Quick Select: the seed's four bundles as selectable cards.
  for (const [price, amount] of [
    ["$100", "8,000,000"],
    ["$500", "40,000,000"],
    ["$1,000", "80,000,000"],
    ["$2,000", "160,000,000"],
  ]) {
    await expect(page.getByRole("radio", { name: `${price} ${amount} credits` })).toBeVisible();
  }
  await page.getByText("$500", { exact: true }).click();
  await expect(page.getByRole("radio", { name: "$500 40,000,000 credits" })).toBeChecked();
  await expect(page.getByTestId("pay-amount")).toHaveText("$500.00");
  await expect(page.getByTestId("credits-summary")).toHaveText("40,000,000 credits");

  await page.getByRole("button", { name: "Proceed to Payment" }).click();
  const dialog = page.getByRole("dialog", { name: "Charge $500.00 to Visa •••• 4242?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Confirm and pay" })).toBeFocused();
  await dialog.getByRole("button", { name: "Confirm and pay" }).click();
  await expect(page.getByTestId("purchase-result")).toContainText("40,000,000 credits were added for $500.00 charged to Visa •••• 4242");
  await expect(page.getByTestId("balance")).toHaveText(`${(before + 40_000_000n).toLocaleString("en-US")} credits`);

  // Exactly once: one PURCHASE entry for the payment, even after the webhook for the same charge.
  const id = await teamId("acme-ai");
  await expect
    .poll(async () => e2eDb().stripeEvent.count({ where: { type: "payment_intent.succeeded", processedAt: { not: null } } }), { timeout: 10_000 })
    .toBeGreaterThan(0);
  const purchases = await e2eDb().payment.findMany({ where: { teamId: id, kind: "PURCHASE" } });
  expect(purchases.map((p) => [p.status, p.amountCents])).toEqual([["SUCCEEDED", 50_000n]]);
  expect(await e2eDb().ledgerEntry.count({ where: { teamId: id, kind: "PURCHASE" } })).toBe(1);

  // Overview follows without a manual refresh.
  await page.getByRole("link", { name: "See it on Overview" }).click();
  await expect(page).toHaveURL(/\/t\/acme-ai\/overview\?paid=1$/);
  await expect(page.getByTestId("balance")).toHaveText(`${(before + 40_000_000n).toLocaleString("en-US")} credits`);
});

test("a custom amount shows its credits first; bad amounts get a clear message, on the page and from the API", async ({ page }) => {
  await signInAs(page, "Olivia Okafor");
  await page.goto("/t/acme-ai/buy-credit");
  const amount = page.getByLabel("Amount (USD)");
  await amount.fill("250.50");
  await expect(page.getByTestId("credits-summary")).toHaveText("20,040,000 credits");
  await amount.fill("4.99");
  await amount.blur();
  await expect(page.getByText("The minimum purchase is $5.00.")).toBeVisible();
  await expect(amount).toHaveAttribute("aria-invalid", "true");
  await amount.fill("12.345");
  await expect(page.getByText("Enter an amount in dollars with at most two decimals, like 250 or 250.50.")).toBeVisible();
  await page.getByRole("button", { name: "Proceed to Payment" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();

  for (const [body, message] of [
    [{ amount: "10000.01", idempotencyKey: "e2e-bad-amount-1" }, "The maximum purchase is $10,000.00."],
    [{ amount: "1e3", idempotencyKey: "e2e-bad-amount-2" }, "at most two decimals"],
    [{ bundle: "999", idempotencyKey: "e2e-bad-amount-3" }, "That bundle is not offered."],
  ] as const) {
    const res = await page.request.post("/api/teams/acme-ai/purchases", { data: body, headers: sameOrigin(page) });
    expect(res.status()).toBe(400);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringContaining(message),
    });
  }
});

test("a team on Free sees why it cannot buy and the way to upgrade; the API refuses with 403", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  await page.goto("/t/erin-ito/buy-credit");
  await expect(page.getByRole("heading", { name: "Buy Credit is for paid plans" })).toBeVisible();
  await expect(page.getByTestId("free-plan")).toContainText("is on the Free plan");
  await expect(page.getByRole("link", { name: "Upgrade your plan" })).toHaveAttribute("href", "/t/erin-ito/subscription");
  await expect(page.getByRole("link", { name: "Top up with Checkout instead" })).toHaveAttribute("href", "/t/erin-ito/top-up");
  await expect(page.getByRole("button", { name: "Proceed to Payment" })).toHaveCount(0);
  const res = await page.request.post("/api/teams/erin-ito/purchases", { data: { bundle: "100", idempotencyKey: "e2e-free-plan" }, headers: sameOrigin(page) });
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: { code: string; message: string } }).error.message).toMatch(/needs a paid plan/);
});

test("a member of a paid team can look but not buy or change auto top-up (403)", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  await page.goto("/t/acme-ai/buy-credit");
  await expect(page.getByText("Your role in this team (member) can see this page but not buy.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Proceed to Payment" })).toBeDisabled();
  // Auto top-up settings are billing details: a member's page does not carry them at all.
  await expect(page.getByRole("button", { name: "Save auto top-up" })).toHaveCount(0);
  expect(
    (
      await page.request.post("/api/teams/acme-ai/purchases", { data: { bundle: "100", idempotencyKey: "e2e-member-buy" }, headers: sameOrigin(page) })
    ).status(),
  ).toBe(403);
  expect(
    (
      await page.request.put("/api/teams/acme-ai/auto-top-up", {
        data: { enabled: true, threshold: "1000", amount: "50", maxPerMonth: 3 },
        headers: sameOrigin(page),
      })
    ).status(),
  ).toBe(403);
  expect((await page.request.post("/api/teams/acme-ai/payment-method/setup", { data: {}, headers: sameOrigin(page) })).status()).toBe(403);
});

test("without a saved card the answer is NO_PAYMENT_METHOD, with Checkout offered instead", async ({ page }) => {
  await signInAs(page, "Olivia Okafor");
  await page.goto("/t/olivia-okafor/buy-credit");
  await expect(page.getByTestId("saved-card")).toHaveText("No saved card.");
  await page.getByText("$100", { exact: true }).click();
  await page.getByRole("button", { name: "Proceed to Payment" }).click();
  const result = page.getByTestId("purchase-result");
  await expect(result).toContainText("No saved card");
  await result.getByRole("button", { name: "Pay $100.00 with Checkout instead" }).click();
  await expect(page.locator("#checkout-amount")).toHaveText("$100.00");
  await fillCard(page, "4242 4242 4242 4242");
  await expect(page).toHaveURL(/\/t\/olivia-okafor\/top-up\/return\?session_id=cs_/);
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
  await expect(page.getByTestId("result-message")).toContainText("8,000,000 credits were added");
});

test("auto top-up: turned on with limits, audited, and a purchase that needs 3-D Secure goes through the bank's page", async ({ page }) => {
  await signInAs(page, "Olivia Okafor");
  await page.goto("/t/acme-ai/buy-credit");
  await expect(page.getByTestId("saved-card")).toHaveText("Visa •••• 4242");
  await page.getByLabel("Top up automatically").check();
  await page.getByLabel("When the balance falls below (credits)").fill("1000000");
  await page.getByLabel("Charge (USD)").fill("50");
  await expect(page.getByText("Adds 4,000,000 credits.")).toBeVisible();
  await page.getByLabel("At most, times a month").fill("40");
  await page.getByRole("button", { name: "Save auto top-up" }).click();
  await expect(page.getByTestId("auto-status")).toHaveText("Allow from 1 to 31 automatic top-ups a month. (monthly limit)");
  await page.getByLabel("At most, times a month").fill("2");
  await page.getByRole("button", { name: "Save auto top-up" }).click();
  await expect(page.getByTestId("auto-status")).toHaveText("Auto top-up is on.");
  const id = await teamId("acme-ai");
  expect(await e2eDb().auditLog.count({ where: { teamId: id, action: "auto_top_up.updated" } })).toBe(1);

  // Replace the card with one whose bank asks for 3-D Secure on every charge, then buy: the bank's page, then credits once.
  const before = credits(await page.getByTestId("balance").textContent());
  await page.getByRole("button", { name: "Replace card" }).click();
  await fillCard(page, "4000 0027 6000 3184");
  await page.locator("#three-d-secure-complete").click();
  await expect(page).toHaveURL(/\/t\/acme-ai\/buy-credit\?card=saved$/);
  await expect(page.getByTestId("saved-card")).toHaveText("Visa •••• 3184");
  await page.getByText("$100", { exact: true }).click();
  await page.getByRole("button", { name: "Proceed to Payment" }).click();
  await page.getByRole("button", { name: "Confirm and pay" }).click();
  await expect(page.locator("#three-d-secure-title")).toBeVisible();
  await page.locator("#three-d-secure-complete").click();
  await expect(page).toHaveURL(/\/t\/acme-ai\/buy-credit\/return\?payment_intent=pi_/);
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
  await expect(page.getByTestId("result-message")).toHaveText("8,000,000 credits were added for $100.00.");
  await expect(page.getByTestId("balance")).toHaveText(`${(before + 8_000_000n).toLocaleString("en-US")} credits`);
  await page.reload();
  await expect(page.getByTestId("balance")).toHaveText(`${(before + 8_000_000n).toLocaleString("en-US")} credits`);
  expect(await e2eDb().ledgerEntry.count({ where: { teamId: id, kind: "PURCHASE" } })).toBe(2);
});
