import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { createApiKey } from "../lib/billing/api-keys/create-api-key";
import { creditCredits } from "../lib/billing/ledger/credit-credits";
import { recordUsage } from "../lib/billing/usage/record-usage";
import { createTeam } from "../lib/teams/create-team";
import { e2eDb } from "./db";

// Issue 13's "done when": the seed's example requests (billing-history-api.txt: two curl lines and the Python loop)
// work unchanged against a local instance with a key. They are copied here word for word; only the host differs, and
// in the curl lines the key replaces the seed's placeholder (inside single quotes the shell would not expand it).

const SEED_HOST = "https://api.wavespeed.ai";

const CURL_ALL = `curl --location --request GET 'https://api.wavespeed.ai/api/v3/account/billings' \\
--header 'Authorization: Bearer \${WAVESPEED_API_KEY}'`;

const CURL_TOPUPS = `curl --location --request GET 'https://api.wavespeed.ai/api/v3/account/billings?type=topup' \\
--header 'Authorization: Bearer \${WAVESPEED_API_KEY}'`;

const PYTHON = `import os
import requests
 
api_key = os.environ.get("WAVESPEED_API_KEY")
 
def get_billings(page=1, type=None):
    params = {"page": page}
    if type:
        params["type"] = type
 
    response = requests.get(
        "https://api.wavespeed.ai/api/v3/account/billings",
        headers={"Authorization": f"Bearer {api_key}"},
        params=params
    )
    return response.json()["data"]
 
# Get recent transactions
billings = get_billings()
 
for item in billings["items"]:
    sign = "+" if item["type"] == "topup" else ""
    print(f"{item['created_at']}: {sign}\${item['amount']} ({item['type']})")
`;

function hasPythonRequests(): boolean {
  try {
    execFileSync("python3", ["-c", "import requests"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

test.describe("the seed's billing-history examples, unchanged but for the host", () => {
  let apiKey = "";
  let baseUrl = "";

  test.beforeAll(async ({ baseURL }) => {
    baseUrl = baseURL!.replace(/\/$/, "");
    const db = e2eDb();
    const olivia = await db.user.findUniqueOrThrow({ where: { email: "olivia@demo.creditdesk.dev" } });
    const team = await createTeam({ db, name: "Seed examples E2E", ownerUserId: olivia.id });
    const payment = await db.payment.create({
      data: {
        teamId: team.id,
        method: "card",
        amountCents: 10_000n,
        credits: 8_000_000n,
        status: "SUCCEEDED",
        idempotencyKey: `seed-e2e-${team.id}`,
        succeededAt: new Date(),
      },
    });
    await creditCredits({
      db,
      teamId: team.id,
      amount: 8_000_000n,
      kind: "TOPUP",
      idempotencyKey: `topup:${payment.id}`,
      paymentId: payment.id,
      expiresAt: null,
    });
    // $15.50 of usage: 1,240 × infer_70b at 1,000 credits, 80,000 credits a dollar.
    await recordUsage({ db, teamId: team.id, events: [{ idempotencyKey: "seed-e2e-usage", operation: "infer_70b", quantity: 1240 }] });
    apiKey = (await createApiKey({ db, teamId: team.id, name: "Seed examples", role: "READ_ONLY", createdByUserId: olivia.id })).secret;
  });

  const local = (s: string) => s.replaceAll(SEED_HOST, baseUrl);
  const withKey = (curl: string) => local(curl).replace("${WAVESPEED_API_KEY}", apiKey);
  const run = (file: string, args: string[]) =>
    execFileSync(file, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WAVESPEED_API_KEY: apiKey }, encoding: "utf8", timeout: 30_000 });

  test("the two curl requests answer the seed's envelope and items", () => {
    const all = JSON.parse(run("sh", ["-c", withKey(CURL_ALL)]));
    expect(all).toMatchObject({ code: 200, message: "success", data: { pagination: { page: 1, page_size: 20, total: 2 } } });
    expect(all.data.items).toEqual([
      expect.objectContaining({ type: "usage", amount: -15.5, currency: "USD", status: "completed", model: "infer_70b" }),
      expect.objectContaining({ type: "topup", amount: 100, currency: "USD", status: "completed", payment_method: "card" }),
    ]);
    const topups = JSON.parse(run("sh", ["-c", withKey(CURL_TOPUPS)]));
    expect(topups.data.items.map((i: { type: string }) => i.type)).toEqual(["topup"]);
    expect(topups.data.pagination.total).toBe(1);
  });

  test("the Python loop prints each transaction", () => {
    test.skip(!hasPythonRequests(), "python3 with the requests package is not installed on this machine");
    const lines = run("python3", ["-c", local(PYTHON)])
      .trim()
      .split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z: \$-15\.5 \(usage\)$/);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z: \+\$100 \(topup\)$/);
  });
});
