import { expect, test } from "@playwright/test";
import { createApiKey } from "../lib/billing/api-keys/create-api-key";
import { creditCredits } from "../lib/billing/ledger/credit-credits";
import { createTeam } from "../lib/teams/create-team";
import { e2eDb } from "./db";
import { signInAs } from "./helpers";

// Budgets in the UI and the audit log end to end: a billing member sets a hard budget on the budget page, the usage API
// then refuses spending past it with BUDGET_HARD_CAP_HIT, and the owner (and a platform admin) see the change in the
// audit log; the billing member cannot open the log.

async function teamWithBillingMember() {
  const db = e2eDb();
  const olivia = await db.user.findUniqueOrThrow({ where: { email: "olivia@demo.creditdesk.dev" } });
  const erin = await db.user.findUniqueOrThrow({ where: { email: "erin@demo.creditdesk.dev" } });
  const team = await createTeam({ db, name: `Budget E2E ${Date.now()}`, ownerUserId: olivia.id });
  await db.membership.create({ data: { teamId: team.id, userId: erin.id, role: "BILLING" } });
  await creditCredits({ db, teamId: team.id, amount: 5_000_000n, kind: "TOPUP", idempotencyKey: `e2e-budget-${team.id}`, expiresAt: null });
  const key = await createApiKey({ db, teamId: team.id, name: "e2e worker", role: "BILLING", createdByUserId: olivia.id });
  return { id: team.id, slug: team.slug, secret: key.secret };
}

test("a billing member sets a hard budget in the UI, the API refuses usage past it, and the audit log shows the change", async ({ page, browser }) => {
  const team = await teamWithBillingMember();
  await signInAs(page, "Erin Ito");
  await page.goto(`/t/${team.slug}/overview`);
  await page.getByRole("link", { name: "Set a budget" }).click();
  await expect(page.getByRole("heading", { name: "Budget and alerts" })).toBeVisible();
  await expect(page.getByTestId("budget-cap")).toHaveText("No budget: spending is not capped and no alerts are sent.");

  // A refusal names the field and keeps what was typed.
  const cap = page.getByLabel("Monthly cap (US dollars)");
  await cap.fill("half a dollar");
  await page.getByRole("radio", { name: /Hard cap/ }).check();
  await page.getByLabel("Alert email (optional)").fill("ops@example.com");
  await page.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Monthly cap" })).toContainText("Monthly cap must be a dollar amount");
  await expect(cap).toHaveAttribute("aria-invalid", "true");
  await expect(cap).toHaveValue("half a dollar");
  await expect(page.getByLabel("Alert email (optional)")).toHaveValue("ops@example.com");
  await expect(page.getByRole("radio", { name: /Hard cap/ })).toBeChecked();

  await cap.fill("0.50");
  await page.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Budget saved." })).toBeVisible();
  await expect(page.getByTestId("budget-cap")).toHaveText("$0.50 a month, hard cap (usage past it is refused)");
  await expect(page.getByRole("heading", { name: "Change the budget" })).toBeVisible();

  // The API reads the same budget, and refuses spending past the cap.
  const auth = { authorization: `Bearer ${team.secret}` };
  const read = await page.request.get("/api/v1/billing/budget", { headers: auth });
  expect((await read.json()) as unknown).toMatchObject({ monthly_cap_usd: 0.5, hard_cap: true, alert_email: "ops@example.com" });
  const small = await page.request.post("/api/v1/usage", { headers: auth, data: { idempotency_key: "budget-1", operation: "matmul", quantity: 100 } });
  expect(small.status()).toBe(200);
  const big = await page.request.post("/api/v1/usage", { headers: auth, data: { idempotency_key: "budget-2", operation: "matmul", quantity: 100_000 } });
  expect(big.status()).toBe(402);
  expect((await big.json()) as unknown).toMatchObject({ error: { code: "BUDGET_HARD_CAP_HIT" } });

  // A billing member cannot open the audit log (the same 404 as a team they are not in), nor the admin console's.
  expect((await page.goto(`/t/${team.slug}/settings/audit`))?.status()).toBe(404);
  expect((await page.goto(`/admin/customers/${team.id}/audit`))?.status()).toBe(404);

  // The owner sees who set what, with the values before and after, and can filter to budget changes.
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await signInAs(owner, "Olivia Okafor");
  await owner.goto(`/t/${team.slug}/settings`);
  await owner.getByRole("link", { name: "Audit log →" }).click();
  await expect(owner.getByRole("heading", { name: "Audit log" })).toBeVisible();
  const budgetRow = owner.locator('[data-testid="audit-row"][data-action="budget.set"]');
  await expect(budgetRow).toHaveCount(1);
  await expect(budgetRow).toContainText("Erin Ito");
  await expect(budgetRow).toContainText("Set the budget");
  await expect(budgetRow).toContainText("Monthly cap");
  await expect(budgetRow).toContainText("$0.50");
  await expect(budgetRow).toContainText("hard cap");
  await expect(owner.getByTestId("audit-row").first()).toHaveAttribute("data-action", "budget.set");
  await owner.getByLabel("Kind of change").selectOption({ label: "API keys" });
  await owner.getByRole("button", { name: "Filter" }).click();
  await expect(owner.getByTestId("audit-row")).toHaveCount(1);
  await expect(owner.getByTestId("audit-row")).toContainText("Created API key “e2e worker”");
  await owner.getByLabel("Kind of change").selectOption({ label: "Budget" });
  await owner.getByRole("button", { name: "Filter" }).click();
  await expect(owner.getByTestId("audit-row")).toHaveCount(1);
  await ownerContext.close();

  // Removing the budget asks first; then usage is no longer capped, and the log has the removal.
  await page.goto(`/t/${team.slug}/settings/budget`);
  await page.getByRole("button", { name: "Remove budget…" }).click();
  const confirm = page.getByRole("group", { name: "Confirm removing the budget" });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("budget-cap")).toContainText("$0.50");
  await page.getByRole("button", { name: "Remove budget…" }).click();
  await confirm.getByRole("button", { name: "Remove budget" }).click();
  await expect(page.getByTestId("budget-cap")).toHaveText("No budget: spending is not capped and no alerts are sent.");
  const after = await page.request.post("/api/v1/usage", { headers: auth, data: { idempotency_key: "budget-3", operation: "matmul", quantity: 100_000 } });
  expect(after.status()).toBe(200);

  // A platform admin reads the same log from the admin console.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "Pat Moreau");
  await admin.goto(`/admin/customers/${team.id}/audit`);
  await expect(admin.getByRole("heading", { name: /Audit log: Budget E2E/ })).toBeVisible();
  await expect(admin.locator('[data-testid="audit-row"][data-action="budget.removed"]')).toContainText("Removed the budget");
  await expect(admin.locator('[data-testid="audit-row"][data-action="budget.set"]')).toContainText("Erin Ito");
  await adminContext.close();
});

test("a member sees that the budget is not theirs to see, rather than nothing", async ({ page }) => {
  const db = e2eDb();
  const olivia = await db.user.findUniqueOrThrow({ where: { email: "olivia@demo.creditdesk.dev" } });
  const erin = await db.user.findUniqueOrThrow({ where: { email: "erin@demo.creditdesk.dev" } });
  const team = await createTeam({ db, name: `Member E2E ${Date.now()}`, ownerUserId: olivia.id });
  await db.membership.create({ data: { teamId: team.id, userId: erin.id, role: "MEMBER" } });
  await signInAs(page, "Erin Ito");
  await page.goto(`/t/${team.slug}/settings/budget`);
  await expect(page.getByText("Your role (member) cannot see or change the budget.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save budget" })).toHaveCount(0);
  expect((await page.request.get(`/api/teams/${team.slug}/budget`)).status()).toBe(403);
  await page.goto(`/t/${team.slug}/settings`);
  await expect(page.getByRole("link", { name: "Audit log →" })).toHaveCount(0);
});
