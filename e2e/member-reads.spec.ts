import { expect, test } from "@playwright/test";
import { e2eDb, teamId } from "./db";
import { formatCents, formatCredits } from "../components/format";
import { signInAs } from "./helpers";

// Erin is a MEMBER of Olivia's Acme AI, which the demo seeds with billing details, a budget and payments. Whatever the
// API refuses a member (403), no page may show her either: not in the HTML, not in the data the page hands the browser.
const ACME_BILLING = ["Acme AI, Inc.", "500 Market Street", "US EIN 12-3456789", "ap@acme.example", "ops@acme.example"];

test("a member gets nothing of the billing details, budget or auto top-up from any page that carries them", async ({ page }) => {
  test.setTimeout(180_000); // five full page loads and five API calls on a shared 2-core machine
  await signInAs(page, "Erin Ito");
  const acme = await teamId("acme-ai");
  // The owner's view of the same page does carry them (so the checks below can tell).
  expect(await e2eDb().budget.count({ where: { teamId: acme } })).toBe(1);

  for (const path of [
    "/t/acme-ai/invoices",
    "/t/acme-ai/overview",
    "/t/acme-ai/buy-credit",
    "/t/acme-ai/top-up",
    "/t/acme-ai/overview/history",
    "/t/acme-ai/settings/budget",
  ]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    // The whole response: rendered HTML and the serialized props of client components.
    const html = await page.content();
    for (const secret of ACME_BILLING) expect(html, `${path} shows ${secret}`).not.toContain(secret);
    expect(html, `${path} carries the budget`).not.toMatch(/capCents|spendCents/);
    expect(html, `${path} carries auto top-up settings`).not.toMatch(/thresholdCredits|maxPerMonth|chargesThisMonth/);
  }
  await page.goto("/t/acme-ai/overview");
  await expect(page.getByTestId("budget-hidden")).toBeVisible();
  await page.goto("/t/acme-ai/invoices");
  await expect(page.getByLabel("Company")).toHaveCount(0);
  await page.goto("/t/acme-ai/buy-credit");
  await expect(page.getByRole("heading", { name: /Auto top-up/i })).toHaveCount(0);

  // The routes behind them: 403, or the figures without the budget.
  const overview = (await (await page.request.get("/api/teams/acme-ai/overview")).json()) as Record<string, unknown>;
  expect(overview).toHaveProperty("balance");
  expect(overview).not.toHaveProperty("budget");
  expect(overview).not.toHaveProperty("autoTopUp");
  for (const url of [
    "/api/teams/acme-ai/billing-details",
    "/api/teams/acme-ai/auto-top-up",
    "/api/teams/acme-ai/invoices",
    "/api/v1/billing/budget?team=acme-ai",
    "/api/teams/acme-ai/budget",
  ]) {
    expect((await page.request.get(url)).status(), url).toBe(403);
  }
});

test("the top-up and Buy Credit return pages and card-saved check the role: a member sees no payment and settles nothing", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  const acme = await teamId("acme-ai");
  const paid = await e2eDb().payment.findFirstOrThrow({ where: { teamId: acme, succeededAt: { not: null } }, orderBy: { createdAt: "asc" } });
  // A real Acme checkout id, so the page would find it if it did not check the role.
  const sessionId = `cs_test_member_${Date.now()}`;
  await e2eDb().payment.update({ where: { id: paid.id }, data: { stripeCheckoutSession: paid.stripeCheckoutSession ?? sessionId } });
  const session = paid.stripeCheckoutSession ?? sessionId;

  const topUpReturn = await page.goto(`/t/acme-ai/top-up/return?session_id=${encodeURIComponent(session)}`);
  expect(topUpReturn?.status()).toBe(200);
  await expect(page.getByTestId("not-for-role")).toContainText("(member) cannot see payments");
  await expect(page.getByRole("heading", { name: /Payment received|Payment pending|Checkout not found/ })).toHaveCount(0);
  const html = await page.content();
  for (const shown of [paid.id, formatCents(paid.amountCents), formatCredits(paid.credits)]) expect(html, shown).not.toContain(shown);

  await page.goto(`/t/acme-ai/buy-credit/return?payment_intent=${encodeURIComponent(paid.stripePaymentIntent ?? "pi_member_test")}`);
  await expect(page.getByTestId("not-for-role")).toContainText("(member) cannot see payments");
  await expect(page.getByTestId("result-message")).toHaveCount(0);

  await page.goto("/t/acme-ai/buy-credit/card-saved?session_id=cs_test_member_card");
  await expect(page.getByRole("heading", { name: "Card not saved" })).toBeVisible();
  await expect(page.getByText("That card setup was not found for this team.")).toBeVisible();
  expect(page.url()).not.toContain("card=saved");

  // Olivia, the owner, passes the same check (an unknown checkout: nothing to fulfil, and no Stripe call).
  await page.context().clearCookies();
  await signInAs(page, "Olivia Okafor");
  await page.goto("/t/acme-ai/top-up/return?session_id=cs_test_unknown_to_acme");
  await expect(page.getByRole("heading", { name: "Checkout not found" })).toBeVisible();
  await expect(page.getByTestId("not-for-role")).toHaveCount(0);
});
