import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Route handlers run as Next runs them, with the session replaced by a signed-in test user.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { POST as createTopUp } from "../../app/api/teams/[team]/top-ups/route";
import { POST as quote } from "../../app/api/teams/[team]/top-ups/quote/route";
import { POST as redeem } from "../../app/api/teams/[team]/coupons/redeem/route";
import { createCoupon } from "../../lib/billing/coupons/create-coupon";
import { COUPON_MISS_LIMIT, COUPON_MISS_WINDOW_MS } from "../../lib/billing/coupons/rate-limit";
import { makeTeam } from "../billing/factories";
import { startStripeTestEnv, type StripeTestEnv } from "./helpers";

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
});
afterAll(() => env?.close());

type Handler = (req: Request, ctx: { params: Promise<{ team: string }> }) => Promise<Response>;
async function post(handler: Handler, team: { slug: string; userId: string }, body: unknown) {
  session.userId = team.userId;
  const res = await handler(
    new Request("http://app.test/api/x", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://app.test" },
      body: JSON.stringify(body),
    }),
    {
      params: Promise.resolve({ team: team.slug }),
    },
  );
  return { status: res.status, retryAfter: res.headers.get("retry-after"), json: (await res.json()) as { error?: { code: string; message: string } } };
}

const routes: [string, Handler, (code: string) => unknown][] = [
  ["coupons/redeem", redeem, (code) => ({ code })],
  ["top-ups/quote", quote, (code) => ({ amount: "25", coupon: code })],
  ["top-ups (start)", createTopUp, (code) => ({ amount: "25", method: "card", coupon: code })],
];

describe("the wrong-code limit holds under concurrency: count first, then decide", () => {
  it.each(routes)("POST %s: 30 wrong codes at once from one team → exactly 5 checked, 25 answered 429 with Retry-After", async (_name, handler, body) => {
    const team = await makeTeam(env.t.db);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => post(handler, team, body(`NOPE-${i}`))));
    const checked = results.filter((r) => r.status === 400 && r.json.error?.code === "COUPON_INVALID");
    const limited = results.filter((r) => r.status === 429);
    expect(checked).toHaveLength(COUPON_MISS_LIMIT);
    expect(limited).toHaveLength(30 - COUPON_MISS_LIMIT);
    for (const r of limited) {
      expect(r.json.error?.code).toBe("RATE_LIMITED");
      const seconds = Number(r.retryAfter);
      expect(Number.isInteger(seconds), `Retry-After: ${r.retryAfter}`).toBe(true);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(COUPON_MISS_WINDOW_MS / 1000);
    }
    // Nothing was made for the refused attempts.
    expect(await env.t.db.payment.count({ where: { teamId: team.teamId } })).toBe(0);
    expect(await env.t.db.rateLimitBucket.findUnique({ where: { key: `coupon-miss:${team.teamId}` } })).toMatchObject({ count: COUPON_MISS_LIMIT });
  });

  it("a right code does not use up a guess, even when sent many times at once; wrong codes alongside still stop at the limit", async () => {
    const team = await makeTeam(env.t.db);
    const good = await createCoupon({ db: env.t.db, actorUserId: null, input: { code: `RL${Date.now().toString(36).toUpperCase()}`, bonusPercent: "10" } });
    // Right codes alone, many at once: each is checked and gives its attempt back.
    const rights = await Promise.all(Array.from({ length: 12 }, () => post(quote, team, { amount: "25", coupon: good.code })));
    expect(rights.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect((await env.t.db.rateLimitBucket.findUnique({ where: { key: `coupon-miss:${team.teamId}` } }))?.count ?? 0).toBe(0);
    // Then 30 wrong codes: still exactly the limit is checked.
    const wrongs = await Promise.all(Array.from({ length: 30 }, (_, i) => post(quote, team, { amount: "25", coupon: `BAD-${i}` })));
    expect(wrongs.filter((r) => r.status === 400)).toHaveLength(COUPON_MISS_LIMIT);
    expect(wrongs.filter((r) => r.status === 429)).toHaveLength(30 - COUPON_MISS_LIMIT);
    // Now even the right code waits, with the time until the window resets.
    const after = await post(quote, team, { amount: "25", coupon: good.code });
    expect(after.status).toBe(429);
    expect(Number(after.retryAfter)).toBeGreaterThan(COUPON_MISS_WINDOW_MS / 1000 - 120);
    // A fresh window after the old one is over: the first guess resets the count in the same statement.
    await env.t.db.rateLimitBucket.update({
      where: { key: `coupon-miss:${team.teamId}` },
      data: { windowStart: new Date(Date.now() - COUPON_MISS_WINDOW_MS - 1000) },
    });
    const fresh = await Promise.all(Array.from({ length: 10 }, (_, i) => post(redeem, team, { code: `AGAIN-${i}` })));
    expect(fresh.filter((r) => r.status === 400)).toHaveLength(COUPON_MISS_LIMIT);
    expect(fresh.filter((r) => r.status === 429)).toHaveLength(10 - COUPON_MISS_LIMIT);
  });
});
