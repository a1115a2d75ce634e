import { expect, test } from "@playwright/test";
import { e2eDb, teamId } from "./db";
import { signInAs } from "./helpers";

// Acme AI's owner asks for Enterprise; a platform admin finds the request on /admin and answers it with a custom plan
// of Acme's own. Cleaned up after, so other specs still see the public plans only.

test.afterAll(async () => {
  const acme = await teamId("acme-ai");
  await e2eDb().planRequest.deleteMany({ where: { teamId: acme } });
  await e2eDb().plan.deleteMany({ where: { teamId: acme, subscriptions: { none: {} } } });
});

test("an owner's Enterprise request reaches /admin, where a platform admin makes Acme a custom plan", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const company = `Acme AI e2e ${Date.now().toString(36)}`;
  await signInAs(page, "Olivia Okafor", "/t/acme-ai/subscription");
  // From the Enterprise card's "Contact us" to the request form; a bad email is refused there, the values kept.
  await page.getByRole("link", { name: /Contact us/ }).click();
  const ask = page.getByRole("form", { name: "Request Enterprise" });
  await ask.getByLabel("Company").fill(company);
  await ask.getByLabel("Contact email").fill("not-an-email");
  await ask.getByLabel("Expected monthly usage (credits)").fill("750,000,000");
  await ask.getByLabel("Message (optional)").fill("Dedicated GPUs,\nplease.");
  await ask.getByRole("button", { name: "Request Enterprise" }).click();
  await expect(ask.getByLabel("Contact email")).toHaveAttribute("aria-invalid", "true");
  await expect(ask.getByLabel("Company")).toHaveValue(company);
  await ask.getByLabel("Contact email").fill("cto@acme.example");
  await ask.getByRole("button", { name: "Request Enterprise" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Request sent" })).toContainText("750,000,000 credits a month");

  const admin = await browser.newContext();
  const pat = await admin.newPage();
  await signInAs(pat, "Pat Moreau", "/admin");
  const card = pat.getByRole("listitem").filter({ hasText: company });
  await expect(card).toContainText("750,000,000 credits a month");
  await expect(card).toContainText("Dedicated GPUs,");
  await expect(card).toContainText("Olivia Okafor");
  const form = card.getByRole("form", { name: `Custom plan for ${company}` });
  await form.getByLabel("Price (USD per cycle)").fill("twenty thousand");
  await form.getByRole("button", { name: "Make the plan" }).click();
  await expect(card.getByRole("alert")).toBeVisible(); // a bad price is refused, the form kept
  await form.getByLabel("Price (USD per cycle)").fill("24000");
  await form.getByLabel("Billing cycle").selectOption("annual");
  await form.getByLabel("Monthly credits (empty for unlimited)").fill("800000000");
  await expect(form.getByLabel(/Billing portal disabled/)).toBeChecked();
  await form.getByRole("button", { name: "Make the plan" }).click();
  await expect(card.getByRole("status")).toContainText(/Made custom-[0-9a-f]{12} \(annual/);

  const acme = await teamId("acme-ai");
  const plan = await e2eDb().plan.findFirstOrThrow({ where: { teamId: acme } });
  expect(plan).toMatchObject({ annualPriceCents: 2_400_000n, monthlyCredits: 800_000_000n, portalEnabled: false, name: `${company} Enterprise` });
  const seen = (await (await page.request.get("/api/teams/acme-ai/plan-requests")).json()) as { request: { status: string; plan: { id: string } } };
  expect(seen.request).toMatchObject({ status: "DONE", plan: { id: plan.id } });

  // Answered requests leave the admin's list; the owner cannot reach the admin routes.
  await pat.reload();
  await expect(pat.getByRole("listitem").filter({ hasText: company })).toHaveCount(0);
  expect((await page.request.get("/api/admin/plan-requests")).status()).toBe(403);
  await admin.close();
});
