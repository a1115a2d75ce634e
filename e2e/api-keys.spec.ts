import { expect, test } from "@playwright/test";
import { creditCredits } from "../lib/billing/ledger/credit-credits";
import { createTeam } from "../lib/teams/create-team";
import { e2eDb } from "./db";
import { signInAs } from "./helpers";

// API keys end to end: create a key (its secret shown once), use it, revoke it (401 at once); a member cannot manage keys.

test("an owner creates a key, sees its secret once, and revokes it", async ({ page }) => {
  const db = e2eDb();
  const olivia = await db.user.findUniqueOrThrow({ where: { email: "olivia@demo.creditdesk.dev" } });
  const team = await createTeam({ db, name: "Keys E2E", ownerUserId: olivia.id });
  await signInAs(page, "Olivia Okafor");
  await page.goto(`/t/${team.slug}/settings/api-keys`);
  await expect(page.getByText("No API keys yet.")).toBeVisible();

  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Give the key a name", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Name").fill("CI pipeline");
  await page.getByLabel("Role").selectOption("READ_ONLY");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("heading", { name: "Your new key “CI pipeline”" })).toBeVisible();
  const secret = await page.getByRole("textbox", { name: "API key" }).inputValue();
  expect(secret).toMatch(/^cdk_live_/);
  const row = page.getByRole("row", { name: /CI pipeline/ });
  await expect(row).toContainText("Read-only");
  await expect(row).toContainText("Never");
  expect((await page.request.get("/api/v1/billing/invoices", { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(200);

  await page.getByRole("button", { name: "I have copied it" }).click();
  await expect(page.getByRole("textbox", { name: "API key" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Create key" })).toBeVisible();

  await page.getByRole("button", { name: "Revoke CI pipeline" }).click();
  await page.getByRole("group", { name: "Confirm revoking CI pipeline" }).getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  expect((await page.request.get("/api/v1/billing/invoices", { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(401);
  await page.reload();
  await expect(page.getByRole("row", { name: /CI pipeline/ })).toContainText("Revoked");
});

test("a member cannot see or manage the team's keys", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  await page.goto("/t/acme-ai/settings/api-keys");
  await expect(page.getByText("Only the team's owners and admins can see and manage its API keys.")).toBeVisible();
  expect((await page.request.get("/api/teams/acme-ai/api-keys")).status()).toBe(403);
});

test("an owner makes a test key, sets its daily limit (refused input first), sees it spent, and removes it after confirming", async ({ page }) => {
  const db = e2eDb();
  const olivia = await db.user.findUniqueOrThrow({ where: { email: "olivia@demo.creditdesk.dev" } });
  const team = await createTeam({ db, name: "Limits E2E", ownerUserId: olivia.id });
  await creditCredits({ db, teamId: team.id, amount: 1_000n, kind: "TOPUP", idempotencyKey: "e2e-limits-topup", expiresAt: null });
  await signInAs(page, "Olivia Okafor");
  await page.goto(`/t/${team.slug}/settings/api-keys`);

  await page.getByLabel("Name").fill("CI tests");
  await page.getByLabel("Mode").selectOption("test");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("heading", { name: "Your new test key “CI tests”" })).toBeVisible();
  const secret = await page.getByRole("textbox", { name: "API key" }).inputValue();
  expect(secret).toMatch(/^cdk_test_/);
  await page.getByRole("button", { name: "I have copied it" }).click();
  const row = page.getByRole("row", { name: /CI tests/ });
  await expect(row).toContainText("Test");
  await expect(row).toContainText("None");

  await page.getByRole("button", { name: "Set the spending limit of CI tests" }).click();
  const form = page.getByRole("form", { name: "Spending limit of CI tests" });
  await form.getByLabel("Credits").fill("0");
  await form.getByRole("button", { name: "Save limit" }).click();
  await expect(form.getByRole("alert")).toContainText("from 1 to");
  await expect(form.getByLabel("Credits")).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Credits").fill("5");
  await form.getByLabel("Per (UTC)").selectOption("DAY");
  await form.getByRole("button", { name: "Save limit" }).click();
  await expect(row).toContainText("5 credits a day");
  await expect(row).toContainText("0 spent this day");

  const use = (i: number) =>
    page.request.post("/api/v1/usage", {
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      data: { idempotency_key: `e2e-${i}`, operation: "add", quantity: 1 },
    });
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await use(i)).status());
  expect(statuses).toEqual([200, 200, 200, 200, 200, 402]);
  expect((await (await use(99)).json()).error.code).toBe("API_KEY_LIMIT_REACHED");
  await page.reload();
  await expect(page.getByRole("row", { name: /CI tests/ })).toContainText("5 spent this day (100%)");

  await page.getByRole("button", { name: "Remove the spending limit of CI tests" }).click();
  await page.getByRole("group", { name: "Confirm removing the spending limit of CI tests" }).getByRole("button", { name: "Remove limit" }).click();
  await expect(page.getByRole("row", { name: /CI tests/ })).toContainText("None");
  expect((await use(100)).status()).toBe(200);

  await page.goto(`/t/${team.slug}/overview/history?type=usage`);
  await expect(page.getByTestId("history-row").first()).toContainText("Test");
});
