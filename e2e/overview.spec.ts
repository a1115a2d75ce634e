import { expect, test } from "@playwright/test";
import { createApiKey } from "../lib/billing/api-keys/create-api-key";
import { creditCredits } from "../lib/billing/ledger/credit-credits";
import { grantFreeAllowance } from "../lib/billing/subscriptions/grant-free-allowance";
import { recordUsage } from "../lib/billing/usage/record-usage";
import { createTeam } from "../lib/teams/create-team";
import { e2eDb } from "./db";
import { signInAs } from "./helpers";

// Overview end to end: figures from seeded usage and a top-up, Refresh after a debit made through the public API.
const credits = (text: string | null) => BigInt((text ?? "").replace(/[^\d-]/g, ""));

/**
 * A fresh team owned by Olivia with a known history: Free's 10,000 credits for this cycle (granted here, so the app's
 * Free allowance job has nothing left to add mid-test), a $25 top-up (2,000,000) and 300,000 credits of usage.
 */
async function teamWithHistory() {
  const db = e2eDb();
  const olivia = await db.user.findUniqueOrThrow({ where: { email: "olivia@demo.creditdesk.dev" } });
  const team = await createTeam({ db, name: "Overview E2E", ownerUserId: olivia.id });
  await db.$transaction((tx) => grantFreeAllowance({ db: tx, teamId: team.id }));
  const payment = await db.payment.create({
    data: {
      teamId: team.id,
      kind: "TOPUP",
      status: "SUCCEEDED",
      method: "card",
      amountCents: 2500n,
      credits: 2_000_000n,
      idempotencyKey: "e2e-overview",
      succeededAt: new Date(),
    },
  });
  await creditCredits({ db, teamId: team.id, amount: 2_000_000n, kind: "TOPUP", idempotencyKey: `topup:${payment.id}`, paymentId: payment.id });
  await recordUsage({
    db,
    teamId: team.id,
    now: new Date(),
    events: [
      { idempotencyKey: "e2e-1", operation: "matmul", quantity: 10_000 }, // 200,000
      { idempotencyKey: "e2e-2", operation: "infer_7b", quantity: 1_000 }, // 100,000
    ],
  });
  const key = await createApiKey({ db, teamId: team.id, name: "e2e usage", role: "BILLING", createdByUserId: olivia.id });
  return { slug: team.slug, secret: key.secret };
}

test("Overview shows Total / Used / Remaining after usage and a top-up, and Refresh picks up a debit made through the API", async ({ page }) => {
  const { slug, secret } = await teamWithHistory();
  await signInAs(page, "Olivia Okafor");
  await page.goto(`/t/${slug}/overview`);
  await expect(page.getByText("Overview E2E · your role: owner")).toBeVisible();
  await expect(page.getByTestId("cycle-total")).toHaveText(/^2,010,000 credits$/);
  await expect(page.getByTestId("cycle-used")).toHaveText(/^300,000 credits$/);
  await expect(page.getByTestId("cycle-remaining")).toHaveText(/^1,710,000 credits$/);
  await expect(page.getByTestId("balance")).toHaveText(/^1,710,000 credits$/);
  // The balance's worth at the server's CREDITS_PER_DOLLAR (80,000): $21.375, rounded half up.
  await expect(page.getByTestId("balance-usd")).toHaveText("worth $21.38");
  // The top-up in Recent activity reads as words with its dollar value; usage has none.
  await expect(page.getByTestId("recent-row").filter({ hasText: "Top Up" })).toContainText("$25.00");
  await expect(page.getByTestId("recent-row").filter({ hasText: "matmul" }).first()).not.toContainText("$");
  await expect(page.getByTestId("cycle-remaining")).toHaveClass(/text-emerald/);
  await expect(page.getByTestId("plan-name")).toHaveText("Free");

  // Charts (plain SVG bars, components/charts/bars.tsx) with text summaries, and the top operations as a table.
  await expect(page.getByRole("img", { name: /Credits per day this cycle: 300,000/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Credits by operation: matmul 200,000, infer_7b 100,000/ })).toBeVisible();
  await expect(page.locator("figure svg rect").first()).toBeVisible();
  await expect(page.locator("figure svg rect title").filter({ hasText: /^matmul: 200,000/ })).toHaveCount(1);
  const ops = page.getByTestId("top-operations");
  await expect(ops.getByRole("row", { name: /matmul/ })).toContainText("200,000");
  await expect(ops.getByRole("row", { name: /matmul/ })).toContainText("66.6%");
  await expect(page.getByTestId("recent-row")).toHaveCount(4);

  const updated = await page.getByTestId("updated-at").textContent();
  await page.waitForTimeout(1100);
  // A program spends 20,000 credits through the public API while the page is open.
  const res = await page.request.post("/api/v1/usage", {
    headers: { authorization: `Bearer ${secret}` },
    data: { idempotency_key: "api-debit-1", operation: "matmul", quantity: 1000 },
  });
  expect(res.status()).toBe(200);
  expect((await res.json()) as unknown).toMatchObject({ debited: 1, credits_debited: 20_000 });
  await expect(page.getByTestId("cycle-used")).toHaveText(/^300,000 credits$/);

  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByTestId("cycle-used")).toHaveText(/^320,000 credits$/);
  await expect(page.getByTestId("cycle-remaining")).toHaveText(/^1,690,000 credits$/);
  await expect(page.getByTestId("cycle-total")).toHaveText(/^2,010,000 credits$/);
  await expect(page.getByTestId("updated-at")).toHaveText(/^Updated \d\d:\d\d:\d\d UTC$/);
  expect(await page.getByTestId("updated-at").textContent()).not.toBe(updated);
  await expect(page.getByTestId("recent-row").first()).toContainText("matmul");

  // The full history pages through every entry.
  await page.getByRole("link", { name: "Full history →" }).click();
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
  await expect(page.getByTestId("history-row")).toHaveCount(5);
  await page.getByRole("link", { name: "Usage", exact: true }).click();
  await expect(page.getByTestId("history-row")).toHaveCount(3);
});

test("a team without usage sees empty states, and the trial balance", async ({ page }) => {
  await signInAs(page, "Pat Moreau");
  await page.goto("/t/pat-moreau/overview");
  await expect(page.getByTestId("usage-empty")).toContainText("No usage yet this cycle");
  await expect(page.getByText("No budget cap.")).toBeVisible();
  expect(credits(await page.getByTestId("balance").textContent())).toBeGreaterThanOrEqual(0n);
  await expect(page.getByRole("link", { name: "Upgrade" })).toHaveAttribute("href", "/t/pat-moreau/subscription");
});

test("the member view of a shared team keeps its role line and the figures, read-only", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  await page.goto("/t/acme-ai/overview");
  await expect(page.getByText("Acme AI · your role: member")).toBeVisible();
  await expect(page.getByTestId("cycle-used")).toBeVisible();
  // Members may read the overview but not billing data or actions.
  expect((await page.request.get("/api/teams/acme-ai/overview")).status()).toBe(200);
  expect((await page.request.get("/api/teams/acme-ai/ledger/export?from=2026-01-01&to=2026-01-31")).status()).toBe(403);
});
