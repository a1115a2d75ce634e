import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { seedDemoBilling } from "../lib/demo/seed-billing";
import { createTeam } from "../lib/teams/create-team";
import { parseCsv } from "../test/invoices/csv";
import { pdfText } from "../test/invoices/pdf-text";
import { e2eDb, teamId } from "./db";
import { sameOrigin, signInAs } from "./helpers";

// Invoices end to end: billing details (markup stays text), Generate invoice once, the PDF download, the CSV export of
// a month, and the member's read-only view.
const HOSTILE = `<img src=x onerror=alert(1)>Acme <b>Labs</b>`;

test.beforeAll(async () => {
  await seedDemoBilling({ db: e2eDb() });
});

test("billing details with markup render as text; Generate invoice makes one invoice whose PDF names them", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signInAs(page, "Olivia Okafor");
  await page.goto("/t/acme-ai/invoices");
  await expect(page.getByRole("heading", { name: "Invoices", exact: true })).toBeVisible();
  const rowsBefore = await page.getByTestId("invoice-row").count();
  expect(rowsBefore).toBeGreaterThanOrEqual(1); // the demo's first top-up has its invoice

  await page.getByLabel("Company").fill(HOSTILE);
  await page.getByLabel("Tax ID (VAT, GST, EIN …)").fill("DE 123 456 789");
  await page.getByLabel("Billing email").fill("not-an-email");
  await page.getByRole("button", { name: "Save billing details" }).click();
  await expect(page.getByTestId("details-status")).toHaveText("Billing email must be an email address.");
  await expect(page.getByLabel("Billing email")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Billing email").fill("billing@acme.example");
  await page.getByRole("button", { name: "Save billing details" }).click();
  await expect(page.getByTestId("details-status")).toHaveText("Billing details saved. New invoices use them.");
  await page.reload();
  await expect(page.getByTestId("billed-to")).toContainText(HOSTILE);
  await expect(page.getByLabel("Company")).toHaveValue(HOSTILE);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator("main b")).toHaveCount(0);

  const row = page.getByTestId("uninvoiced-row").first();
  await row.getByRole("button", { name: "Generate invoice" }).click();
  const link = row.getByRole("link", { name: /^Download CD-[0-9A-F]{6}-\d{5} \(PDF\)$/ });
  await expect(link).toBeVisible();
  const number = /CD-[0-9A-F]{6}-\d{5}/.exec((await link.textContent()) ?? "")![0];
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(`invoice-${number}.pdf`);
  const lines = await pdfText(new Uint8Array(await readFile((await download.path())!)));
  expect(lines).toContain("INVOICE");
  expect(lines).toContain(`Number ${number}`);
  expect(lines).toContain(HOSTILE);
  expect(lines).toContain("Acme AI");
  expect(lines).toContain("Tax ID: DE 123 456 789");
  expect(lines).toContain("billing@acme.example");
  expect(dialogs).toEqual([]);

  // Once: the list shows it, and generating again answers the same invoice.
  await page.reload();
  await expect(page.getByTestId("invoice-row")).toHaveCount(rowsBefore + 1);
  await expect(page.getByTestId("invoice-row").filter({ hasText: number })).toContainText("Paid");
  const invoice = await e2eDb().invoice.findUniqueOrThrow({ where: { number } });
  const again = await page.request.post("/api/teams/acme-ai/invoices", { data: { paymentId: invoice.paymentId }, headers: sameOrigin(page) });
  expect(again.status()).toBe(200);
  expect((await again.json()) as unknown).toMatchObject({ created: false, invoice: { number } });
  expect(await e2eDb().invoice.count({ where: { paymentId: invoice.paymentId } })).toBe(1);
});

test("the CSV export of a seeded month has exactly that month's rows and the right totals", async ({ page }) => {
  // A month of history in March 2026, with entries either side of it; written with their historical times, which
  // the ledger functions (that stamp the current time) cannot do.
  const db = e2eDb();
  const olivia = await db.user.findUniqueOrThrow({ where: { email: "olivia@demo.creditdesk.dev" } });
  const team = await createTeam({ db, name: "Export E2E", ownerUserId: olivia.id });
  const payment = await db.payment.create({
    data: {
      teamId: team.id,
      kind: "TOPUP",
      status: "SUCCEEDED",
      method: "card",
      amountCents: 10_000n,
      credits: 8_000_000n,
      idempotencyKey: "e2e-export",
      succeededAt: new Date("2026-03-02T09:00:00Z"),
      createdAt: new Date("2026-03-02T09:00:00Z"),
    },
  });
  let balance = 0n;
  const rows: { at: string; kind: "TOPUP" | "USAGE"; amount: bigint; paymentId?: string; operation?: string }[] = [
    { at: "2026-02-27T12:00:00Z", kind: "TOPUP", amount: 1_000_000n },
    { at: "2026-03-02T09:00:00Z", kind: "TOPUP", amount: 8_000_000n, paymentId: payment.id },
    ...Array.from({ length: 30 }, (_, d) => ({
      at: `2026-03-${String(d + 1).padStart(2, "0")}T23:59:59.999Z`,
      kind: "USAGE" as const,
      amount: -BigInt(1000 * (d + 1)),
      operation: d % 2 ? "add" : "matmul",
    })),
    { at: "2026-04-01T00:00:00Z", kind: "USAGE", amount: -5n, operation: "add" },
  ];
  for (const [i, r] of rows.entries()) {
    balance += r.amount;
    await db.ledgerEntry.create({
      data: {
        teamId: team.id,
        kind: r.kind,
        amount: r.amount,
        balanceAfter: balance,
        idempotencyKey: `e2e-export-${i}`,
        paymentId: r.paymentId,
        operation: r.operation,
        quantity: r.operation ? 1n : null,
        createdAt: new Date(r.at),
        occurredAt: new Date(r.at),
      },
    });
  }
  await db.team.update({ where: { id: team.id }, data: { balance } });
  const marchUsage = rows.filter((r) => r.at.startsWith("2026-03") && r.kind === "USAGE").reduce((s, r) => s - r.amount, 0n);

  await signInAs(page, "Olivia Okafor");
  await page.goto(`/t/${team.slug}/invoices`);
  await page.getByLabel("From").fill("2026-03-31");
  await page.getByLabel("To (inclusive)").fill("2026-03-01");
  await expect(page.getByText("The end date must be on or after the start date.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Download CSV" })).toBeDisabled();
  await page.getByLabel("From").fill("2026-03-01");
  await page.getByLabel("To (inclusive)").fill("2026-03-31");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toBe(`${team.slug}-ledger-2026-03-01-to-2026-03-31.csv`);
  const records = parseCsv(await readFile((await download.path())!, "utf8"));
  const body = records.slice(0, -1);
  const total = records[records.length - 1]!;
  expect(body).toHaveLength(31);
  expect(body.every((r) => r.date_utc!.startsWith("2026-03"))).toBe(true);
  expect(body.map((r) => r.date_utc)).toEqual(body.map((r) => r.date_utc).sort());
  expect(body.filter((r) => r.kind === "TOPUP")).toEqual([
    expect.objectContaining({ date_utc: "2026-03-02T09:00:00.000Z", credits: "8000000", paid_usd: "100.00", payment_id: payment.id }),
  ]);
  expect(body.filter((r) => r.kind === "USAGE")).toHaveLength(30);
  expect(total).toMatchObject({ date_utc: "TOTAL", entry_id: "31 entries", credits: String(8_000_000n - marchUsage), paid_usd: "100.00" });
  expect(total.description).toBe(`credits in 8,000,000; credits out ${marchUsage.toLocaleString("en-US")}`);
  expect(body.reduce((s, r) => s + BigInt(r.credits!), 0n)).toBe(8_000_000n - marchUsage);

  const bad = await page.request.get(`/api/teams/${team.slug}/ledger/export?from=2026-02-30&to=2026-03-31`);
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: { message: string } }).error.message).toBe("from must be a date like 2026-04-01.");
});

test("the demo's Pro subscription: its paid invoice from Stripe with View and PDF links, its plan credits on Overview", async ({ page }) => {
  await signInAs(page, "Olivia Okafor");
  await page.goto("/t/acme-ai/invoices");
  const row = page.getByTestId("invoice-row").filter({ hasText: "Subscription" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("$49.00");
  await expect(row).toContainText("Paid");
  const view = await row.getByRole("link", { name: /^View invoice .+ on Stripe \(opens in a new tab\)$/ }).getAttribute("href");
  expect(view).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invoices\/in_/);
  expect((await page.request.get(view!)).status()).toBe(200);
  const pdf = await row.getByRole("link", { name: /^Download invoice .+ as PDF$/ }).getAttribute("href");
  expect(pdf).toMatch(/\/invoices\/in_\w+\/pdf$/);
  const file = await page.request.get(pdf!);
  expect([file.status(), file.headers()["content-type"]]).toEqual([200, "application/pdf"]);

  await page.goto("/t/acme-ai/overview");
  await expect(page.getByTestId("plan-name")).toHaveText("Pro");
  const acme = await teamId("acme-ai");
  const grants = await e2eDb().ledgerEntry.findMany({ where: { teamId: acme, kind: "PLAN_GRANT" } });
  expect(grants.map((g) => g.amount)).toEqual([20_000_000n]);
});

test("a member sees no billing details and gets 403 for changes, invoices and exports", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  await page.goto("/t/acme-ai/invoices");
  await expect(page.getByText("Your role in this team (member) cannot see invoices or export the ledger.")).toBeVisible();
  await expect(page.getByTestId("invoice-row")).toHaveCount(0);
  // The billing details are billing data: the API refuses them to a member (403), so the page shows none either.
  await expect(page.getByLabel("Company")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save billing details" })).toHaveCount(0);
  const put = await page.request.put("/api/teams/acme-ai/billing-details", { data: { companyName: "Hijacked" }, headers: sameOrigin(page) });
  expect(put.status()).toBe(403);
  expect(((await put.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
  const invoice = await e2eDb().invoice.findFirstOrThrow({ where: { teamId: await teamId("acme-ai") } });
  expect((await page.request.get(`/api/teams/acme-ai/invoices/${invoice.id}/pdf`)).status()).toBe(403);
  expect((await page.request.post("/api/teams/acme-ai/invoices", { data: { paymentId: invoice.paymentId }, headers: sameOrigin(page) })).status()).toBe(403);
  // Another team's invoice id under her own team finds nothing.
  expect((await page.request.get(`/api/teams/erin-ito/invoices/${invoice.id}/pdf`)).status()).toBe(404);
  expect((await e2eDb().billingDetails.findUniqueOrThrow({ where: { teamId: await teamId("acme-ai") } })).companyName).not.toBe("Hijacked");
});
