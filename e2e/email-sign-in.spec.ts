import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { mailDir } from "../playwright.config";

// Email magic link through a real SMTP server: a new person signs in and gets a personal team they own.
function decodeQuotedPrintable(text: string) {
  return text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

async function signInLinkFor(address: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      () => {
        for (const f of readdirSync(mailDir).sort().reverse()) {
          const raw = readFileSync(path.join(mailDir, f), "utf8");
          if (!raw.startsWith(`X-Envelope-To: ${address}\r\n`)) continue;
          link = /https?:\/\/[^\s"'<>]+\/api\/auth\/callback\/nodemailer\?[^\s"'<>]+/.exec(decodeQuotedPrintable(raw))?.[0]?.replace(/&amp;/g, "&");
          if (link) return true;
        }
        return false;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return link!;
}

test("a new person signs in with an emailed link and lands on a personal team they own", async ({ page }) => {
  const address = `newcomer-${Date.now()}@example.com`;
  await page.goto("/signin");
  await page.getByLabel("Email").fill(address);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByText("Check your email for a sign-in link.")).toBeVisible();

  const link = await signInLinkFor(address);
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
