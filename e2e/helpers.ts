import { expect, type Page } from "@playwright/test";

export type Persona = "Erin Ito" | "Olivia Okafor" | "Pat Moreau";

/** Signs in through the demo sign-in page, as a person would. */
export async function signInAs(page: Page, who: Persona, callbackUrl?: string) {
  await page.goto(callbackUrl ? `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signin");
  await page.getByRole("button", { name: new RegExp(`Sign in as ${who}`) }).click();
  await expect(page.getByRole("navigation", { name: "Billing" }).or(page.getByRole("navigation", { name: "Admin" }))).toBeVisible();
}

/**
 * Headers a browser adds to the app's own POST/PUT (fetch from a page of the app). Playwright's request context sends
 * no Origin, and cookie-authenticated changes without a same-origin Origin are refused as cross-site.
 */
export const sameOrigin = (page: Page) => ({ origin: new URL(page.url()).origin });
