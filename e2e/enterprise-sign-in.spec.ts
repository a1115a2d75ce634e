import { expect, test } from "@playwright/test";
import { e2eDb } from "./db";
import { sameOrigin, signInAs } from "./helpers";

// Enterprise sign-in, reviewed first: a person signs in through the enterprise OpenID Connect provider (a real one,
// e2e/oidc-issuer.ts, started by playwright.config.ts), waits on the review page, a platform admin approves them in
// another browser, and they reach their team's Overview.

test("a first enterprise sign-in waits for review until a platform admin approves it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const login = `dana-${Date.now().toString(36)}`;
  const email = `${login}@corp.example`;

  await page.goto("/signin");
  await page.getByRole("button", { name: "Continue with Corp SSO" }).click();
  // The issuer's own login page (any name and password will do there).
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("correct horse");
  await page.getByRole("button", { name: "Sign-in" }).click();

  await expect(page).toHaveURL(/\/sign-in-review$/);
  await expect(page.getByRole("heading", { name: "Your sign-in is under review" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText(email);

  // Nothing else opens meanwhile: their own team's pages and routes, the admin console.
  const slug = (await e2eDb().team.findFirstOrThrow({ where: { personalOwner: { email } }, select: { slug: true } })).slug;
  await page.goto(`/t/${slug}/overview`);
  await expect(page).toHaveURL(/\/sign-in-review$/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/sign-in-review$/);
  const api = await page.request.get(`/api/teams/${slug}/balance`, { headers: sameOrigin(page) });
  expect(api.status()).toBe(403);
  expect((await api.json()).error.code).toBe("ACCOUNT_PENDING");

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "Pat Moreau", "/admin");
  await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Enterprise sign-ins" }).click();
  await expect(admin.getByRole("heading", { name: "Enterprise sign-ins" })).toBeVisible();
  const card = admin.getByRole("listitem", { name: email });
  await expect(card).toContainText(login); // the issuer's subject
  const form = card.getByRole("form", { name: `Decide ${email}` });
  await form.getByRole("button", { name: "Approve" }).click();
  await expect(form.getByRole("alert")).toContainText("reason"); // a decision needs a reason
  await form.getByLabel(/Reason/).fill("Works at Corp; confirmed with their admin.");
  await form.getByRole("button", { name: "Approve" }).click();
  await expect(card.getByRole("status")).toContainText(`Approved. ${email} can now use Creditdesk.`);
  await adminContext.close();

  // The same session now opens the dashboard.
  await page.goto("/");
  await expect(page).toHaveURL(new RegExp(`/t/${slug}/overview$`));
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
});
