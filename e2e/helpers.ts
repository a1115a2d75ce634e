import { expect, type Page } from "@playwright/test";

export type Persona = "Erin Ito" | "Olivia Okafor" | "Pat Moreau";

/** Signs in through the demo sign-in page, as a person would. */
export async function signInAs(page: Page, who: Persona, callbackUrl?: string) {
  await page.goto(callbackUrl ? `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signin");
  await page.getByRole("button", { name: new RegExp(`Sign in as ${who}`) }).click();
  await expect(page.getByRole("navigation", { name: "Billing" }).or(page.getByRole("navigation", { name: "Admin" }))).toBeVisible();
}
