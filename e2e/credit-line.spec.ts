import { expect, test } from "@playwright/test";
import { e2eDb } from "./db";
import { signInAs } from "./helpers";
import { linkIn, signInByEmail } from "./mail";
import Stripe from "stripe";
import { emulatorPort } from "../playwright.config";
import { applyDebits } from "../lib/billing/ledger/apply-debits";
import { sweepStatements } from "../lib/billing/statements/sweep-statements";
import { grantFreeAllowance } from "../lib/billing/subscriptions/grant-free-allowance";
import { stripeGateway } from "../lib/stripe/gateway";
import { control } from "./emulator";

const stripe = new Stripe("sk_test_e2e", { host: "127.0.0.1", port: emulatorPort, protocol: "http", telemetry: false });

// A company applies for a credit line, confirms its company address from the emailed link, answers a reviewer's
// question, and gets $1,500 a month once two different platform admins agree. An individual without a product is
// pointed to top-ups. The applicant and the second admin are fresh people (email sign-in), so no other spec's team
// gets a line.

test("an enterprise applies, confirms its company email, answers a question, and two admins approve $1,500 a month", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const run = Date.now().toString(36);
  const company = `Lumen Labs ${run}`;
  const companyEmail = `cfo-${run}@lumen-${run}.example`;
  const slug = await signInByEmail(page, `founder-${run}@lumen-${run}.example`);

  await page.goto(`/t/${slug}/credit-line`);
  await page.getByRole("radio", { name: /^Enterprise/ }).check();
  const form = page.getByRole("form", { name: "Credit-line application" });
  await form.getByLabel("Company name").fill(company);
  await form.getByLabel("Company website").fill(`https://www.lumen-${run}.example`);
  await form.getByLabel("Product", { exact: true }).fill("Generative product photos");
  await form.getByLabel("Business use case").fill("Catalogue images for 300 retailers");
  await form.getByLabel(/Company email/).fill(`cfo-${run}@lumen-${run}-login.example`);
  await form.getByLabel("Expected monthly usage (USD)").fill("1200");
  await form.getByLabel("Requested monthly limit (USD)").fill("1500");
  await form.getByRole("button", { name: "Send application" }).click();
  // A look-alike domain is refused in the form, the values kept.
  await expect(form.getByLabel(/Company email/)).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel(/Company email/).fill(companyEmail);
  await form.getByRole("button", { name: "Send application" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Waiting for email confirmation" })).toBeVisible();

  // The company mailbox follows the link (sent by the notification sweep).
  const confirmLink = await linkIn(companyEmail, /https?:\/\/[^\s"'<>]+\/credit-line\/confirm\?token=[^\s"'<>]+/, 75_000);
  const mailbox = await browser.newContext();
  const inbox = await mailbox.newPage();
  await inbox.goto(confirmLink);
  await inbox.getByRole("button", { name: "Confirm the application" }).click();
  await expect(inbox.getByRole("status")).toContainText(`Confirmed. The application for ${company}`);
  await inbox.reload();
  await inbox.getByRole("button", { name: "Confirm the application" }).click();
  await expect(inbox.getByRole("alert").filter({ hasText: "already used" })).toBeVisible();
  await mailbox.close();

  // Admin A asks for more.
  const adminA = await browser.newContext();
  const pat = await adminA.newPage();
  await signInAs(pat, "Pat Moreau", "/admin/credit-lines");
  const item = pat.getByRole("listitem", { name: `Application of ${company}` });
  await expect(item).toContainText("Waiting for review");
  await expect(item).toContainText(`${companyEmail} · confirmed`);
  await expect(item.getByRole("region", { name: "Review facts" })).toBeVisible();
  const review = item.getByRole("form", { name: `Review ${company}` });
  await review.getByRole("button", { name: "Request information" }).click();
  await expect(review.getByRole("alert")).toContainText("required"); // a reason is required
  await review.getByLabel(/Reason/).fill("Which retailers are live today?");
  await review.getByRole("button", { name: "Request information" }).click();
  await expect(item).toContainText("Information requested");

  // The applicant answers.
  await page.reload();
  await expect(page.getByRole("status").filter({ hasText: "More information requested" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Messages" })).toContainText("Which retailers are live today?");
  await page.getByLabel("Your answer").fill("Forty, listed on our website.");
  await page.getByRole("button", { name: "Send answer" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Submitted" })).toBeVisible();

  // Admin A approves $1,500; it waits for a second admin, and A cannot confirm it.
  await pat.reload();
  await review.getByLabel("Limit (USD a month)").fill("1500");
  await review.getByLabel(/Reason/).fill("Confirmed domain, clear use case");
  await review.getByRole("button", { name: "Approve" }).click();
  await expect(item).toContainText("Waiting for a second admin");
  await review.getByLabel(/Reason/).fill("Confirming my own approval");
  await review.getByRole("button", { name: "Confirm approval" }).click();
  await expect(review.getByRole("alert")).toContainText("a different platform admin must confirm");
  const teamId = (await e2eDb().team.findUniqueOrThrow({ where: { slug } })).id;
  expect((await e2eDb().team.findUniqueOrThrow({ where: { id: teamId } })).creditLimitCents).toBe(0n);

  // Admin B confirms; the line takes effect.
  const adminB = await browser.newContext();
  const second = await adminB.newPage();
  const bEmail = `reviewer-${run}@platform.example`;
  await signInByEmail(second, bEmail);
  await e2eDb().user.update({ where: { email: bEmail }, data: { isPlatformAdmin: true } });
  await second.goto("/admin/credit-lines");
  const itemB = second.getByRole("listitem", { name: `Application of ${company}` });
  await itemB.getByLabel(/Reason/).fill("Agreed: second review");
  await itemB.getByRole("button", { name: "Confirm approval" }).click();
  await expect(itemB).toHaveCount(0); // approved applications leave the queue of those under way
  expect((await e2eDb().team.findUniqueOrThrow({ where: { id: teamId } })).creditLimitCents).toBe(150_000n);

  await page.reload();
  await expect(page.getByRole("status").filter({ hasText: "Approved." })).toContainText("$1,500.00 a month");
  await expect(page.getByRole("region", { name: "Your line" })).toContainText("$1,500.00");
  const trail = await e2eDb().auditLog.findMany({ where: { teamId, action: { startsWith: "credit_line." } }, orderBy: { createdAt: "asc" } });
  expect(trail.map((a) => a.action).sort()).toEqual(
    [
      "credit_line.submitted",
      "credit_line.email_confirmed",
      "credit_line.info_requested",
      "credit_line.answered",
      "credit_line.approved_first",
      "credit_line.limit_set",
      "credit_line.approval_confirmed",
    ].sort(),
  );
  await adminA.close();
  await adminB.close();

  // The team spends below zero down to its limit and is refused past it. This cycle's Free credits first, so the plan
  // credits job (every 5 minutes) has nothing left to add before the balance is checked.
  const db = e2eDb();
  await db.$transaction((tx) => grantFreeAllowance({ db: tx, teamId }));
  const line = await db.team.findUniqueOrThrow({ where: { id: teamId }, select: { balance: true, creditLimitCredits: true } });
  const spend = (amount: bigint) => applyDebits({ db, teamId, debits: [{ idempotencyKey: `e2e-line-${amount}-${Date.now()}`, amount, operation: "matmul" }] });
  expect((await spend(line.balance + line.creditLimitCredits))[0]).toMatchObject({ status: "debited", balanceAfter: -line.creditLimitCredits });
  expect((await spend(1n))[0]).toMatchObject({ status: "rejected", code: "INSUFFICIENT_CREDITS" });

  // The month closes: the statements job bills the draw (no card on file: sent with a due date and a payment page).
  const now = new Date();
  await sweepStatements({ db, gateway: stripeGateway(stripe), now: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 2)) });
  const statement = await db.statement.findFirstOrThrow({ where: { teamId } });
  expect(statement).toMatchObject({ kind: "CREDIT_LINE", drawnCredits: line.creditLimitCredits, amountCents: 150_000n, status: "OPEN" });

  // Paid on Stripe's page, from the credit-line page's link: the balance comes back by exactly what was drawn.
  await page.reload();
  await page.getByRole("link", { name: "Pay $1,500.00" }).click();
  await expect(page.locator("#invoice-amount-due")).toHaveText("$1,500.00");
  await page.locator("#invoice-card").selectOption({ index: 0 });
  await page.locator("#invoice-pay-button").click();
  await control("delivery/wait", { timeoutMs: 30_000 });
  await expect.poll(async () => (await db.statement.findUniqueOrThrow({ where: { id: statement.id } })).status).toBe("PAID");
  expect((await db.team.findUniqueOrThrow({ where: { id: teamId } })).balance).toBe(0n);
  await page.goto(`/t/${slug}/credit-line`);
  await expect(page.getByTestId("statements")).toContainText("$1,500.00, paid");
});

test("an individual without a product is told, kindly, that prepaid top-ups are the way", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  // Her personal team (sign-in lands on the team last opened, which other specs change).
  const slug = "erin-ito";
  await page.goto(`/t/${slug}/credit-line`);
  await page.getByRole("radio", { name: /Individual without a product/ }).check();
  await expect(page.getByRole("status").filter({ hasText: "Prepaid top-ups are the way for you" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Credit-line application" })).toHaveCount(0);
  await page.getByRole("link", { name: "Top up your balance" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}/top-up`));
});

test("a $5,000 request cannot be approved before its guarantee deposit is paid through Checkout", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const run = Date.now().toString(36);
  const slug = await signInByEmail(page, `maker-${run}@example.test`);
  await page.goto(`/t/${slug}/credit-line`);
  await page.getByRole("radio", { name: /^Individual with a product/ }).check();
  const form = page.getByRole("form", { name: "Credit-line application" });
  await form.getByLabel("Product or project", { exact: true }).fill(`Render farm ${run}`);
  await form.getByLabel("Website", { exact: true }).fill(`https://render-${run}.example`);
  await form.getByLabel("Expected monthly usage (USD)").fill("4000");
  await form.getByLabel("Requested monthly limit (USD)").fill("5000");
  await form.getByRole("button", { name: "Send application" }).click();
  await expect(page.getByText(/needs a guarantee deposit of \$5,000\.00 before it can be approved/)).toBeVisible();

  // An admin cannot approve it yet.
  const admin = await browser.newContext();
  const pat = await admin.newPage();
  await signInAs(pat, "Pat Moreau", "/admin/credit-lines");
  const item = pat.getByRole("listitem", { name: `Application of ${(await e2eDb().team.findUniqueOrThrow({ where: { slug } })).name}` });
  const review = item.getByRole("form").first();
  await review.getByLabel("Limit (USD a month)").fill("5000");
  await review.getByLabel(/Reason/).fill("Large line, reviewed");
  await review.getByRole("button", { name: "Approve" }).click();
  await expect(review.getByRole("alert")).toContainText(/guarantee/i);
  expect((await e2eDb().team.findUniqueOrThrow({ where: { slug } })).creditLimitCents).toBe(0n);

  // The applicant pays the deposit on Stripe's page; then the approval goes through (to the second admin, at this size).
  await page.getByRole("button", { name: "Pay the deposit through Checkout" }).click();
  await expect(page).toHaveURL(/\/c\/pay\/cs_/);
  const email = page.locator("#email");
  if ((await email.count()) > 0 && (await email.inputValue()) === "") await email.fill(`maker-${run}@example.test`);
  await page.locator("#card-number").fill("4242 4242 4242 4242");
  await page.locator("#card-expiry").fill("12 / 34");
  await page.locator("#card-cvc").fill("123");
  const name = page.locator("#cardholder-name");
  if ((await name.count()) > 0) await name.fill("Maker");
  await page.locator("#pay-button").click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}/`));
  await control("delivery/wait", { timeoutMs: 30_000 });
  await page.goto(`/t/${slug}/credit-line`);
  await expect(page.getByText(/\(\$5,000\.00 paid\)/)).toBeVisible();

  await pat.reload();
  await review.getByLabel("Limit (USD a month)").fill("5000");
  await review.getByLabel(/Reason/).fill("Deposit paid, reviewed");
  await review.getByRole("button", { name: "Approve" }).click();
  await expect(item).toContainText("Waiting for a second admin");
  await admin.close();
});
