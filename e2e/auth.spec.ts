import { expect, test } from "@playwright/test";
import { e2eDb } from "./db";
import { signInAs } from "./helpers";

test("a signed-out visit to a billing page redirects to sign-in and back after signing in", async ({ page }) => {
  await page.goto("/t/acme-ai/invoices");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Ft%2Facme-ai%2Finvoices/);
  await page.getByRole("button", { name: /Sign in as Olivia Okafor/ }).click();
  await expect(page).toHaveURL(/\/t\/acme-ai\/invoices$/);
  await expect(page.getByRole("heading", { level: 1, name: "Invoices" })).toBeVisible();
});

test("demo sign-in lands on the personal team's Overview, and the switcher changes team", async ({ page }) => {
  // Sign-in lands on the team last opened (other specs open others), the personal team before any.
  await e2eDb().user.update({ where: { email: "erin@demo.creditdesk.dev" }, data: { lastTeamId: null } });
  await signInAs(page, "Erin Ito");
  await expect(page).toHaveURL(/\/t\/erin-ito\/overview$/);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByText("your role: owner")).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Billing" });
  for (const label of ["Overview", "Top Up", "Buy Credit", "Invoices", "Subscription", "Credit line"]) {
    await expect(nav.getByRole("link", { name: label, exact: true })).toBeVisible();
  }
  await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");

  await page.getByLabel("Team").selectOption({ label: "Acme AI · member" });
  await expect(page).toHaveURL(/\/t\/acme-ai\/overview$/);
  await expect(page.getByText("Acme AI · your role: member")).toBeVisible();

  // A member sees the team's plan but is told who can change it.
  await nav.getByRole("link", { name: "Subscription" }).click();
  await expect(page).toHaveURL(/\/t\/acme-ai\/subscription$/);
  await expect(page.getByRole("heading", { level: 1, name: "Subscription" })).toBeVisible();
  await expect(page.getByText("can see the plan but not change it")).toBeVisible();

  // Next time, "/" lands on the team last opened.
  await page.goto("/");
  await expect(page).toHaveURL(/\/t\/acme-ai\/overview$/);
});

test("a member of one team gets 404 for another team's pages and API, whatever URL they try", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  for (const path of ["/t/globex-labs/overview", "/t/globex-labs/settings", "/t/olivia-okafor/top-up", "/t/no-such-team/overview"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.getByText("Globex Labs")).toHaveCount(0);
  }
  const own = await page.request.get("/api/teams/acme-ai/balance");
  expect(own.status()).toBe(200);
  expect(await own.json()).toMatchObject({ team: "acme-ai" });
  const other = await page.request.get("/api/teams/globex-labs/balance");
  expect(other.status()).toBe(404);
  expect(await other.json()).toMatchObject({ error: { code: "NOT_FOUND" } });

  const admin = await page.goto("/admin");
  expect(admin?.status()).toBe(404);
});

test("signed-out API calls get 401 and a platform admin reaches Admin", async ({ page, request }) => {
  const res = await request.get("/api/teams/acme-ai/balance");
  expect(res.status()).toBe(401);
  await signInAs(page, "Pat Moreau");
  await page.getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Platform admin" })).toBeVisible();
});

test("keyboard: the skip link and navigation are reachable without a mouse", async ({ page }) => {
  await signInAs(page, "Olivia Okafor");
  await page.goto("/t/acme-ai/overview");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  // Tab onwards reaches the team switcher and the navigation links.
  await page.getByLabel("Team").focus();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "+ New team" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("navigation", { name: "Billing" }).getByRole("link", { name: "Overview" })).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/t\/acme-ai\/top-up$/);
});
