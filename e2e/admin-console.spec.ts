import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { grantFreeAllowance } from "../lib/billing/subscriptions/grant-free-allowance";
import { createTopUpCheckout } from "../lib/billing/topups/create-top-up-checkout";
import { createStripeClient } from "../lib/stripe/client";
import { stripeGateway } from "../lib/stripe/gateway";
import { e2eDb } from "./db";
import { control, emulator } from "./emulator";
import { signInAs } from "./helpers";

// A platform admin finds a customer by a member's email, corrects its balance with a reason, refunds part of a
// payment through Stripe and sees the credits taken back once Stripe's refund webhook arrives; nobody else gets in.

/** A team with a member and a $20 top-up paid in the emulator (its webhook delivered to the app). */
async function customerWithPayment(suffix: string) {
  const db = e2eDb();
  const email = `console-${suffix}@customer.test`;
  const user = await db.user.create({ data: { email, name: "Casey Customer" } });
  const team = await db.team.create({
    data: { name: `Console Customer ${suffix}`, slug: `console-${suffix}`, memberships: { create: { userId: user.id, role: "OWNER" } } },
  });
  // Free's monthly credits now, not whenever the app's sweep gets to the new team (it would move the balance mid-test).
  await db.$transaction((tx) => grantFreeAllowance({ db: tx, teamId: team.id }));
  const gateway = stripeGateway(createStripeClient({ secretKey: "sk_test_emulator", apiBase: emulator }));
  const started = await createTopUpCheckout({
    db,
    gateway,
    team: { id: team.id, slug: team.slug, stripeCustomerId: null },
    actorUserId: user.id,
    input: { amount: "20", method: "card" },
    ui: "hosted",
    appUrl: "http://127.0.0.1",
  });
  await control(`checkout_sessions/${started.sessionId}/complete`, { outcome: "paid" });
  await expect.poll(async () => (await db.payment.findUniqueOrThrow({ where: { id: started.payment.id } })).status, { timeout: 15_000 }).toBe("SUCCEEDED");
  const { balance } = await db.team.findUniqueOrThrow({ where: { id: team.id }, select: { balance: true } });
  const paid = await db.payment.findUniqueOrThrow({ where: { id: started.payment.id }, select: { credits: true, bonusCredits: true } });
  return { email, teamId: team.id, teamName: team.name, paymentId: started.payment.id, balance, paymentCredits: paid.credits + paid.bonusCredits };
}

/** axe-core finds nothing on the page in the light and the dark scheme. */
async function expectAccessible(page: Page) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.map((v) => `${colorScheme}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

const credits = (n: bigint) => `${n.toLocaleString("en-US")} credits`;

test("an admin finds a team by member email, adjusts its balance with a reason, refunds a payment and sees the credits taken back", async ({ page }) => {
  const suffix = Date.now().toString(36);
  const c = await customerWithPayment(suffix);
  expect(c.balance).toBeGreaterThan(0n);

  await signInAs(page, "Pat Moreau", "/admin");
  page.on("dialog", (d) => void d.accept());
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Customers" }).click();
  await page.getByLabel("Search teams").fill(`  ${c.email.toUpperCase()} `);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { name: "1 team" })).toBeVisible();
  await page.getByRole("link", { name: c.teamName }).click();
  await expect(page.getByRole("heading", { name: c.teamName })).toBeVisible();
  const balance = page.getByTestId("customer-balance");
  await expect(balance).toHaveText(credits(c.balance));
  await expect(page.getByRole("link", { name: /Audit log/ })).toHaveAttribute("href", `/admin/customers/${c.teamId}/audit`);

  // A reason is required: refused, and what was typed stays.
  const adjust = page.getByRole("form", { name: `Adjust the credits of ${c.teamName}` });
  await adjust.getByLabel("Credits (negative to remove)").fill("50000");
  await adjust.getByRole("button", { name: "Adjust credits" }).click();
  await expect(adjust.getByRole("alert")).toContainText("The reason is required");
  await expect(adjust.getByLabel("Credits (negative to remove)")).toHaveValue("50000");
  await adjust.getByLabel("Reason (required)").fill("Goodwill for the outage");
  await adjust.getByRole("button", { name: "Adjust credits" }).click();
  await expect(adjust.getByRole("status")).toHaveText("Added 50,000 credits.");
  const adjusted = c.balance + 50_000n;
  await expect(balance).toHaveText(credits(adjusted));
  await expect(page.getByTestId("customer-ledger-row").first()).toContainText("Goodwill for the outage");

  // A quarter of the $20 payment back: the credits follow when Stripe's refund webhook arrives.
  const row = page.getByTestId("customer-payment").first();
  await row.getByRole("button", { name: "Refund the $20.00 payment" }).click();
  const refund = row.getByRole("form", { name: "Refund the $20.00 payment" });
  await refund.getByLabel(/Amount/).fill("25");
  await refund.getByLabel("Reason (required)").fill("Customer asked");
  await refund.getByRole("button", { name: "Refund" }).click();
  await expect(refund.getByRole("alert")).toContainText("At most $20.00 is left to refund");
  await expect(refund.getByLabel(/Amount/)).toHaveValue("25");
  await refund.getByLabel(/Amount/).fill("5");
  await refund.getByRole("button", { name: "Refund" }).click();
  const takenBack = (c.paymentCredits * 5n) / 20n;
  await expect(balance).toHaveText(credits(adjusted - takenBack), { timeout: 20_000 });
  await expect(row).toContainText("Partially refunded");
  await expect(row).toContainText("$5.00 refunded");
  await expect(page.getByTestId("customer-ledger-row").first()).toContainText("Refund");

  const db = e2eDb();
  await expectAccessible(page);
  const actions = (await db.auditLog.findMany({ where: { teamId: c.teamId }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
  expect(actions).toEqual(expect.arrayContaining(["credits.adjusted", "payment.refunded_by_admin"]));
});

test("the console is for platform admins only", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  for (const path of ["/admin/customers", "/admin/customers?q=erin", "/admin/coupons"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
  }
  const api = await page.request.get("/api/admin/customers?q=erin");
  expect(api.status()).toBe(403);
});

test("a refused coupon keeps what was typed; disabling asks first and can be undone", async ({ page }) => {
  await signInAs(page, "Pat Moreau", "/admin/coupons");
  const main = page.getByRole("main");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Coupons" }).click();
  await page.getByLabel("Code", { exact: true }).fill("x!");
  await page.getByLabel("Description (optional)").fill("Kept after a refusal");
  await page.getByLabel("Credits granted").fill("1000");
  await page.getByRole("button", { name: "Create code" }).click();
  await expect(main.getByRole("alert")).toContainText("Code must be");
  await expect(page.getByLabel("Code", { exact: true })).toHaveValue("x!");
  await expect(page.getByLabel("Description (optional)")).toHaveValue("Kept after a refusal");

  const code = `CONSOLE${Date.now().toString(36).toUpperCase()}`;
  await page.getByLabel("Code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Create code" }).click();
  await expect(main.getByRole("status")).toHaveText(`Created ${code}.`);

  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole("button", { name: `Disable ${code}` }).click();
  expect(asked).toContain(`Disable ${code}?`);
  await expect(page.getByRole("button", { name: `Disable ${code}` })).toBeVisible(); // dismissed: still active
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: `Disable ${code}` }).click();
  await page.getByRole("button", { name: `Re-enable ${code}` }).click();
  await expect(page.getByRole("button", { name: `Disable ${code}` })).toBeVisible();

  await page.getByRole("link", { name: new RegExp(`^${code}`) }).click();
  await expect(page.getByRole("heading", { level: 1, name: code })).toBeVisible();
  // The create form on the list has the same labels: work inside the edit form.
  const edit = page.getByRole("form", { name: "Edit the code" });
  await edit.getByLabel("Total redemptions (optional)").fill("0");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByRole("alert")).toContainText("maxRedemptions");
  await expect(edit.getByLabel("Total redemptions (optional)")).toHaveValue("0");
  await edit.getByLabel("Total redemptions (optional)").fill("50");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByRole("status")).toHaveText(`Saved ${code}.`);
  await expect(page.getByText("No team has used this code yet.")).toBeVisible();
  await expectAccessible(page);
  await page.goto(`/admin/customers?q=${encodeURIComponent("Acme")}`);
  await expectAccessible(page);
});
