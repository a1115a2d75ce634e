import { expect, test } from "@playwright/test";
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
