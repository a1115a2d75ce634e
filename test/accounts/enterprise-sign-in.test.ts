import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Enterprise sign-in, reviewed first (issue 11): a real OpenID Connect issuer (oidc-provider) and Auth.js's own
// handlers make the account; the session is the one Auth.js issued (read back through its own session endpoint).
// Routes are the real handlers; a pending or rejected person is refused everywhere until a platform admin decides.
const state = vi.hoisted(() => {
  process.env.AUTH_SECRET = "test-secret-test-secret-test-secret-0123";
  process.env.APP_URL = "http://app.test";
  process.env.ENTERPRISE_OIDC_CLIENT_ID = "creditdesk";
  process.env.ENTERPRISE_OIDC_CLIENT_SECRET = "creditdesk-secret";
  process.env.ENTERPRISE_OIDC_NAME = "Corp SSO";
  return { jar: null as import("./oidc-flow").Jar | null, as: null as string | null };
});
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/auth/config")>();
  const { readSession } = await import("./oidc-flow");
  // A test user named directly (`state.as`), else whatever session Auth.js issued into the jar.
  const auth = async () => (state.as ? { user: { id: state.as } } : state.jar ? readSession(real.handlers, state.jar) : null);
  return { ...real, auth };
});

import { handlers } from "../../lib/auth/config";
import { GET as balance } from "../../app/api/teams/[team]/balance/route";
import { GET as v1Subscription } from "../../app/api/v1/billing/subscription/route";
import { GET as listSignIns } from "../../app/api/admin/sign-ins/route";
import { POST as approve } from "../../app/api/admin/sign-ins/[id]/approve/route";
import { POST as reject } from "../../app/api/admin/sign-ins/[id]/reject/route";
import { decideSignIn } from "../../lib/accounts/decide-sign-in";
import { emailFor, startOidcIssuer, type OidcIssuer } from "../../e2e/oidc-issuer";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam } from "../billing/factories";
import { APP, enterpriseSignIn, Jar } from "./oidc-flow";

let t: TestDatabase;
let issuer: OidcIssuer;
let adminId: string;
let plain: { teamId: string; userId: string; slug: string };
beforeAll(async () => {
  issuer = await startOidcIssuer({
    clientId: "creditdesk",
    clientSecret: "creditdesk-secret",
    redirectUris: [`${APP}/api/auth/callback/enterprise`],
  });
  process.env.ENTERPRISE_OIDC_ISSUER = issuer.issuer;
  t = await createTestDatabase();
  (globalThis as { creditdeskDb?: unknown }).creditdeskDb = t.db;
  adminId = (await t.db.user.create({ data: { email: "admin@example.test", isPlatformAdmin: true } })).id;
  plain = await makeTeam(t.db, { name: "Plain" });
});
afterAll(async () => {
  (globalThis as { creditdeskDb?: unknown }).creditdeskDb = undefined;
  await t?.close();
  await issuer?.close();
});

type Json = Record<string, unknown> & { error?: { code: string; message: string; field?: string } };
type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;
/** Calls a route as the jar's session (as = null) or as a user named directly. */
async function call<P>(handler: Handler<P>, params: P, who: { jar?: Jar; as?: string }, body?: unknown, query = "") {
  state.jar = who.jar ?? null;
  state.as = who.as ?? null;
  const init: RequestInit =
    body === undefined ? { method: "GET" } : { method: "POST", headers: { "content-type": "application/json", origin: APP }, body: JSON.stringify(body) };
  const res = await handler(new Request(`${APP}/api/x${query}`, init), { params: Promise.resolve(params) });
  return { status: res.status, json: (await res.json()) as Json };
}

/** A person's first enterprise sign-in: their user, personal team and session. */
async function newcomer(login: string) {
  const jar = new Jar();
  const landed = await enterpriseSignIn(handlers, jar, login);
  const user = await t.db.user.findUniqueOrThrow({ where: { email: emailFor(login) }, include: { accounts: true, personalTeam: true } });
  return { jar, landed, user, slug: user.personalTeam!.slug };
}

describe("enterprise sign-in through a real OpenID Connect issuer", () => {
  it("a first sign-in makes a PENDING account with the issuer's subject, a session and a personal team", async () => {
    const { jar, landed, user } = await newcomer("pat");
    expect(landed).toBe(`${APP}/`);
    expect(jar.has("authjs.session-token")).toBe(true);
    expect(user).toMatchObject({ accessStatus: "PENDING", name: "pat", accessReason: null, accessReviewedAt: null });
    expect(user.accounts).toEqual([expect.objectContaining({ provider: "enterprise", providerAccountId: "pat", type: "oidc" })]);
    expect(user.personalTeam).not.toBeNull();
  });

  it("people who sign in any other way, and existing users, are APPROVED", async () => {
    expect((await t.db.user.findUniqueOrThrow({ where: { id: plain.userId } })).accessStatus).toBe("APPROVED");
    expect(await call(balance, { team: plain.slug }, { as: plain.userId })).toMatchObject({ status: 200 });
  });

  it("an address that already signs in another way is not taken over by the issuer (no second user)", async () => {
    const before = await t.db.user.count();
    const landed = await enterpriseSignIn(handlers, new Jar(), (await t.db.user.findUniqueOrThrow({ where: { id: plain.userId } })).email!);
    expect(landed).toContain("error=OAuthAccountNotLinked");
    expect(await t.db.user.count()).toBe(before);
  });
});

describe("the pending gate", () => {
  it("refuses a pending person on their own team's routes, the API, another team and the admin routes", async () => {
    const { jar, slug } = await newcomer("quinn");
    const own = await call(balance, { team: slug }, { jar });
    expect(own.status).toBe(403);
    expect(own.json.error).toMatchObject({ code: "ACCOUNT_PENDING" });
    expect(own.json.error?.message).toMatch(/waiting for a platform admin's review/);
    // Another team's slug: the same answer, nothing said about that team.
    expect((await call(balance, { team: plain.slug }, { jar })).json.error?.code).toBe("ACCOUNT_PENDING");
    expect((await call(balance, { team: "no-such-team" }, { jar })).json.error?.code).toBe("ACCOUNT_PENDING");
    const api = await call(v1Subscription, {}, { jar }, undefined, `?team=${slug}`);
    expect(api).toMatchObject({ status: 403, json: { error: { code: "ACCOUNT_PENDING" } } });
    expect((await call(listSignIns, {}, { jar })).json.error?.code).toBe("ACCOUNT_PENDING");
  });

  it("a non-admin cannot decide; a decision needs a reason; approval opens the team to the same session", async () => {
    const { jar, user, slug } = await newcomer("riley");
    const id = { id: user.id };
    expect((await call(approve, id, { as: plain.userId }, { reason: "ok" })).json.error?.code).toBe("FORBIDDEN");
    expect((await call(approve, id, { jar }, { reason: "me" })).json.error?.code).toBe("ACCOUNT_PENDING"); // not even themselves
    expect((await call(approve, id, {}, { reason: "ok" })).status).toBe(401);
    for (const body of [{}, { reason: "" }, { reason: "   " }, { reason: "a\u0000b" }, { reason: 5 }, { reason: "x".repeat(1001) }]) {
      const r = await call(approve, id, { as: adminId }, body);
      expect(r.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(r.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "reason" });
    }
    expect((await call(approve, { id: "usr_nobody" }, { as: adminId }, { reason: "ok" })).status).toBe(404);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).accessStatus).toBe("PENDING");
    expect(await t.db.auditLog.count({ where: { targetId: user.id } })).toBe(0);

    const listed = await call(listSignIns, {}, { as: adminId });
    expect(listed.json.pending).toEqual(expect.arrayContaining([expect.objectContaining({ id: user.id, email: emailFor("riley"), subject: "riley" })]));

    const ok = await call(approve, id, { as: adminId }, { reason: "  Known customer, Acme Corp.  " });
    expect(ok).toMatchObject({ status: 200, json: { id: user.id, status: "APPROVED" } });
    expect(await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      accessStatus: "APPROVED",
      accessReason: "Known customer, Acme Corp.",
      accessReviewedByUserId: adminId,
    });
    expect(await t.db.auditLog.findMany({ where: { targetId: user.id } })).toEqual([
      expect.objectContaining({
        action: "sign_in.approved",
        actorUserId: adminId,
        targetType: "user",
        data: expect.objectContaining({ reason: "Known customer, Acme Corp." }),
      }),
    ]);
    expect(await t.db.notification.findMany({ where: { userId: user.id } })).toEqual([
      expect.objectContaining({ kind: "sign_in_approved", email: emailFor("riley"), teamId: user.personalTeam!.id }),
    ]);
    // The session Auth.js issued before the decision now opens the team: the status is read fresh on every call.
    expect(await call(balance, { team: slug }, { jar })).toMatchObject({ status: 200, json: { team: slug } });
    expect((await call(balance, { team: plain.slug }, { jar })).status).toBe(404);

    // Deciding twice is a clear error, and changes nothing.
    const again = await call(reject, id, { as: adminId }, { reason: "changed my mind" });
    expect(again).toMatchObject({ status: 409, json: { error: { code: "CONFLICT" } } });
    expect(again.json.error?.message).toMatch(/already approved/);
    expect(await t.db.auditLog.count({ where: { targetId: user.id } })).toBe(1);

    // Signing in again through the issuer finds the same, approved person: review happens once.
    const second = new Jar();
    await enterpriseSignIn(handlers, second, "riley");
    expect(await call(balance, { team: slug }, { jar: second })).toMatchObject({ status: 200 });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).accessStatus).toBe("APPROVED");
  });

  it("a rejected person is refused with the reason kept, and cannot be approved afterwards", async () => {
    const { jar, user, slug } = await newcomer("sam@contractor.example");
    const no = await call(reject, { id: user.id }, { as: adminId }, { reason: "Not an employee of a customer." });
    expect(no).toMatchObject({ status: 200, json: { status: "REJECTED" } });
    const refused = await call(balance, { team: slug }, { jar });
    expect(refused).toMatchObject({ status: 403, json: { error: { code: "ACCOUNT_REJECTED" } } });
    expect((await call(approve, { id: user.id }, { as: adminId }, { reason: "ok" })).json.error?.message).toMatch(/already rejected/);
    expect(await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      accessStatus: "REJECTED",
      accessReason: "Not an employee of a customer.",
    });
    expect((await t.db.auditLog.findMany({ where: { targetId: user.id } })).map((a) => a.action)).toEqual(["sign_in.rejected"]);
    // Signing in again does not put them back in the queue.
    await enterpriseSignIn(handlers, new Jar(), "sam@contractor.example");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).accessStatus).toBe("REJECTED");
  });

  it("two admins deciding at once make one decision", async () => {
    const { user } = await newcomer("tess");
    const second = (await t.db.user.create({ data: { email: "admin2@example.test", isPlatformAdmin: true } })).id;
    const results = await Promise.allSettled([
      decideSignIn({ db: t.db, userId: user.id, reviewerUserId: adminId, decision: "APPROVED", reason: "yes" }),
      decideSignIn({ db: t.db, userId: user.id, reviewerUserId: second, decision: "REJECTED", reason: "no" }),
      decideSignIn({ db: t.db, userId: user.id, reviewerUserId: second, decision: "APPROVED", reason: "yes too" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT" });
    expect(await t.db.auditLog.count({ where: { targetId: user.id } })).toBe(1);
    expect(await t.db.notification.count({ where: { userId: user.id } })).toBe(1);
  });
});

describe("pages", () => {
  const redirectOf = async (p: Promise<unknown>) => {
    const e = (await p.then(
      () => null,
      (err: unknown) => err,
    )) as { digest?: string } | null;
    return e?.digest?.split(";")[2] ?? null;
  };

  it("a pending or rejected person sees only the sign-in review page; approved, their team", async () => {
    const { teamPage, adminPage, userPage, signInReviewPage } = await import("../../lib/edge/page");
    const { user, slug } = await newcomer("uma");
    state.jar = null;
    state.as = user.id;
    expect(await redirectOf(teamPage(slug))).toBe("/sign-in-review");
    expect(await redirectOf(teamPage(plain.slug))).toBe("/sign-in-review");
    expect(await redirectOf(adminPage())).toBe("/sign-in-review");
    expect(await redirectOf(userPage())).toBe("/sign-in-review");
    expect((await signInReviewPage()).user.id).toBe(user.id);
    await decideSignIn({ db: t.db, userId: user.id, reviewerUserId: adminId, decision: "REJECTED", reason: "no" });
    expect(await redirectOf(teamPage(slug))).toBe("/sign-in-review");
    const { user: vic, slug: vicSlug } = await newcomer("vic");
    await decideSignIn({ db: t.db, userId: vic.id, reviewerUserId: adminId, decision: "APPROVED", reason: "yes" });
    state.as = vic.id;
    expect((await teamPage(vicSlug)).team.slug).toBe(vicSlug);
  });
});
