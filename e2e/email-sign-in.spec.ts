import { expect, test } from "@playwright/test";
import { linkIn, SIGN_IN_LINK } from "./mail";

// Email magic link through a real SMTP server: a new person signs in and gets a personal team they own.
test("a new person signs in with an emailed link and lands on a personal team they own", async ({ page }) => {
  const address = `newcomer-${Date.now()}@example.com`;
  await page.goto("/signin");
  await page.getByLabel("Email").fill(address);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByText("Check your email for a sign-in link.")).toBeVisible();

  const link = await linkIn(address, SIGN_IN_LINK);
  await page.goto(link);
  await expect(page).toHaveURL(/\/t\/newcomer-[^/]+\/overview$/);
  await expect(page.getByText("your role: owner")).toBeVisible();
  await expect(page.getByLabel("Team")).toContainText("(personal)");

  // The link works once.
  await page.context().clearCookies();
  await page.goto(link);
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("navigation", { name: "Billing" })).toHaveCount(0);
});
