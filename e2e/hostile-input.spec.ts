import { expect, type Page, test } from "@playwright/test";
import { emulatorPort } from "../playwright.config";
import { sameOrigin, signInAs } from "./helpers";

// Hostile input through a real browser against the built app: redirects that try to leave, text PostgreSQL cannot
// hold in URLs, a GET that must not cancel, and a page on another origin of the same site posting with our cookie.

const emulator = `http://127.0.0.1:${emulatorPort}`;

/** Anything that does leave lands on a stub, so the test can see where the browser went instead of a DNS error. */
async function stubEvil(page: Page) {
  await page.route(
    (url) => url.hostname.endsWith("evil.example"),
    (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil</h1>" }),
  );
}

const hostileCallbacks = [
  "/..//evil.example",
  "/../..//evil.example/t/x",
  "/%2e%2e//evil.example",
  "/.%2E//evil.example",
  "//evil.example",
  "/\\evil.example",
  "/\t/evil.example",
  " //evil.example",
  "https://evil.example",
  "https:evil.example",
  "//localhost@evil.example",
  "javascript:alert(document.domain)",
];

test("sign-in never sends the browser off-site, whatever callbackUrl says", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  await stubEvil(page);
  // Signing in with a hostile callbackUrl lands on the app.
  await signInAs(page, "Erin Ito", "/..//evil.example");
  expect(new URL(page.url()).origin).toBe(baseURL);
  // Signed in, the sign-in page redirects at once: every spelling stays on the app, in the browser and in the header.
  for (const cb of hostileCallbacks) {
    const url = `/signin?callbackUrl=${encodeURIComponent(cb)}`;
    const res = await page.request.get(url, { maxRedirects: 0 });
    const location = res.headers()["location"] ?? "";
    expect(new URL(location, `${baseURL}/signin`).origin, `${cb} → Location ${location}`).toBe(baseURL);
    await page.goto(url, { waitUntil: "commit" });
    expect(new URL(page.url()).origin, `${cb} → ${page.url()}`).toBe(baseURL);
  }
  // An ordinary callbackUrl still works.
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("/t/erin-ito/top-up")}`);
  await expect(page).toHaveURL(/\/t\/erin-ito\/top-up$/);
});

test("NUL and invalid UTF-8 in page and API URLs answer 400 or 404, never 500", async ({ page }) => {
  await signInAs(page, "Olivia Okafor");
  const notFound = [
    "/t/%00/overview",
    "/t/acme-ai%00/overview",
    "/t/%00acme-ai/top-up",
    "/t/%ED%A0%80/overview",
    "/t/%C0%AF/invoices",
    "/t/%FF/top-up",
    "/api/teams/%00/balance",
    "/api/teams/%ED%A0%80/overview",
    "/api/teams/acme-ai/payments/%00",
    "/api/teams/acme-ai/payments/%C0%AF",
    "/api/teams/acme-ai/invoices/%00/pdf",
    "/api/teams/acme-ai/invoices/%ED%A0%80/pdf",
    // The hot API paths the proxy skips (proxy.ts): their look-alikes find nothing.
    "/api/v1/usage%00",
    "/api/v1/usage/%ED%A0%80",
    "/api/v1/keys/current%00",
    "/api/v1/keys/current/%C0%AF",
  ];
  for (const path of notFound) {
    const res = await page.request.get(path);
    expect([400, 404], `${path} → ${res.status()}`).toContain(res.status());
  }
  const badQuery = [
    "/api/teams/acme-ai/invoices?cursor=%00",
    "/api/teams/acme-ai/invoices?cursor=%ED%A0%80",
    "/api/teams/acme-ai/ledger/export?from=%00&to=2026-01-01",
    "/api/teams/acme-ai/balance?x=%C0%AF",
    "/api/v1/billing/invoices?team=acme-ai&cursor=%00",
    "/api/v1/billing/budget?team=%00",
    "/api/v1/billing/usage?team=%ED%A0%80",
    "/api/v1/keys/current?x=%00",
    "/api/v1/keys/current?x=%ED%A0%80",
  ];
  for (const path of badQuery) {
    const res = await page.request.get(path);
    expect([400, 404], `${path} → ${res.status()}`).toContain(res.status());
    expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/^(VALIDATION_FAILED|NOT_FOUND)$/);
  }
  // Usage, which the proxy skips, refuses a hostile query itself before reading anything.
  for (const q of ["x=%00", "x=%ED%A0%80"]) {
    const res = await page.request.post(`/api/v1/usage?${q}`, { headers: { ...sameOrigin(page), "content-type": "application/json" }, data: "{}" });
    expect(res.status(), q).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
  }
  // Pages with a query they look up: no 500, and nothing found.
  for (const path of [
    "/t/acme-ai/top-up?canceled=%00",
    "/t/acme-ai/top-up?canceled=%ED%A0%80",
    "/t/acme-ai/top-up?page=%00",
    "/t/acme-ai/top-up/return?session_id=%00",
    "/t/acme-ai/top-up/return?session_id=cs_%00",
    "/t/acme-ai/buy-credit/return?payment_intent=pi_%00",
    "/t/acme-ai/buy-credit/card-saved?session_id=cs_%00",
    "/t/acme-ai/invoices?cursor=%00",
    "/t/acme-ai/overview/history?cursor=%00&type=%00",
    "/signin?callbackUrl=%00",
  ]) {
    const res = await page.request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBeLessThan(500);
  }
  // JSON bodies with NUL and lone surrogates, from the app's own page.
  for (const body of ['{"companyName":"a\\u0000b"}', '{"companyName":"\\ud800"}']) {
    const res = await page.request.put("/api/teams/acme-ai/billing-details", {
      headers: { ...sameOrigin(page), "content-type": "application/json" },
      data: body,
    });
    expect(res.status(), body).toBe(400);
  }
});

test("Back from the hosted checkout only reads; the explicit Cancel cancels; a GET again changes nothing", async ({ page }) => {
  await page.route("https://js.stripe.com/**", (route) => route.abort("internetdisconnected"));
  await signInAs(page, "Erin Ito");
  await page.goto("/t/erin-ito/top-up");
  await page.getByText("$10", { exact: true }).click();
  await expect(page.getByText("You will be taken to Stripe's checkout page.")).toBeVisible({ timeout: 15_000 });
  await page.getByRole("button", { name: "Pay $10.00" }).click();
  await expect(page).toHaveURL(new RegExp(`^${emulator}/c/pay/cs_test_`));
  await page.locator("#cancel-link").click();
  await expect(page).toHaveURL(/\/t\/erin-ito\/top-up\?canceled=pay_/);
  const paymentId = new URL(page.url()).searchParams.get("canceled")!;
  const status = async () =>
    ((await (await page.request.get(`/api/teams/erin-ito/payments/${paymentId}`)).json()) as { payment: { status: string } }).payment.status;

  // The GET (and a reload, a prefetch, a link preview) leaves the checkout open and does not claim nothing was charged.
  await expect(page.getByTestId("checkout-note")).toContainText("You left checkout before it finished");
  await page.reload();
  expect(await status()).toBe("pending");
  await expect(page.getByText("Nothing was charged")).toHaveCount(0);

  await page.getByRole("button", { name: "Cancel this checkout" }).click();
  await expect(page.getByTestId("checkout-note")).toHaveText("Checkout canceled. Nothing was charged.");
  expect(await status()).toBe("canceled");
  await page.reload();
  await expect(page.getByTestId("checkout-note")).toHaveText("Checkout canceled. Nothing was charged.");
});

test("a page on another origin of the same site cannot change state with the person's cookie", async ({ page, baseURL }) => {
  await signInAs(page, "Erin Ito");
  const started = await page.request.post("/api/teams/erin-ito/top-ups", { data: { amount: "25", method: "card", ui: "hosted" }, headers: sameOrigin(page) });
  expect(started.status()).toBe(201);
  const paymentId = ((await started.json()) as { payment: { id: string } }).payment.id;

  // localhost on another port: cross-origin but same-site, so SameSite=Lax still sends the session cookie.
  const app = new URL(baseURL!);
  const evil = `http://localhost:${Number(app.port) + 7}/evil`;
  const target = `http://localhost:${app.port}/api/teams/erin-ito/top-ups/${paymentId}/cancel`;
  const form = `<form id="f" method="POST" action="${target}" enctype="text/plain"><input name='{"a":"' value='"}'></form><script>document.getElementById("f").submit()</script>`;
  await page.route(`${evil}**`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: route.request().url().endsWith("?form") ? form : "<h1>evil</h1>" }),
  );
  const [res] = await Promise.all([page.waitForResponse((r) => r.url() === target && r.request().method() === "POST"), page.goto(`${evil}?form`)]);
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
    code: "FORBIDDEN",
    message: expect.stringMatching(/cross-site/),
  });

  await page.goto("/t/erin-ito/top-up");
  const payment = await (await page.request.get(`/api/teams/erin-ito/payments/${paymentId}`)).json();
  expect((payment as { payment: { status: string } }).payment.status).toBe("pending");

  // From the app's own page the same cancel works.
  const own = await page.evaluate(
    async (url) => (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status,
    `/api/teams/erin-ito/top-ups/${paymentId}/cancel`,
  );
  expect(own).toBe(200);
});
