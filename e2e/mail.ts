import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { mailDir } from "../playwright.config";

// Reading the mail the app sent to the e2e SMTP catcher (e2e/smtp-catcher.ts), and signing in by emailed link.

const decodeQuotedPrintable = (text: string) => text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** The link in an Auth.js sign-in email. */
export const SIGN_IN_LINK = /https?:\/\/[^\s"'<>]+\/api\/auth\/callback\/nodemailer\?[^\s"'<>]+/;

/** The first link in the newest email to `address` matching `pattern`, waiting for it (the notification sweep runs twice a minute). */
export async function linkIn(address: string, pattern: RegExp, timeout = 15_000): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      () => {
        for (const f of readdirSync(mailDir).sort().reverse()) {
          const raw = readFileSync(path.join(mailDir, f), "utf8");
          if (!raw.startsWith(`X-Envelope-To: ${address}\r\n`)) continue;
          link = pattern.exec(decodeQuotedPrintable(raw))?.[0]?.replace(/&amp;/g, "&");
          if (link) return true;
        }
        return false;
      },
      { timeout },
    )
    .toBe(true);
  return link!;
}

/** Signs a new person in by email link; returns their personal team's slug. */
export async function signInByEmail(page: Page, address: string): Promise<string> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(address);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await page.goto(await linkIn(address, SIGN_IN_LINK));
  await expect(page).toHaveURL(/\/t\/[^/]+\/overview$/);
  return /\/t\/([^/]+)\/overview$/.exec(page.url())![1]!;
}
