import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { redirect } from "next/navigation";
import { z } from "zod";
import fc from "fast-check";

// The one pipeline (lib/edge): a route built with route() and a server action built with action() over the same tiny
// contract must refuse the same things with the same error record { code, message, field? }; the action's message is the
// one a person reads (screenMessage: no "field: " code), as the route hooks show a route's.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { screenMessage } from "../../lib/billing/words";
import { action } from "../../lib/edge/action";
import { SIGN_IN_FIRST } from "../../lib/edge/actor";
import { defineRoute, isoDate, money } from "../../lib/edge/contract";
import { revive, TYPED_ANSWER_HEADER, type Types, typesOf } from "../../lib/edge/endpoint";
import type { ErrorRecord } from "../../lib/edge/error-record";
import { NOT_A_MEMBER } from "../../lib/edge/input";
import { route } from "../../lib/edge/route";
import { makeTeam } from "../billing/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const APP = "http://app.test";

let t: TestDatabase;
let owner: { teamId: string; userId: string; slug: string };
let other: { teamId: string; userId: string; slug: string };
let member: string;
let admin: string;
beforeAll(async () => {
  t = await createTestDatabase();
  owner = await makeTeam(t.db);
  other = await makeTeam(t.db);
  member = (await t.db.user.create({ data: { email: "member@example.test" } })).id;
  await t.db.membership.create({ data: { teamId: owner.teamId, userId: member, role: "MEMBER" } });
  admin = (await t.db.user.create({ data: { email: "admin@example.test", isPlatformAdmin: true } })).id;
});
afterAll(() => t?.close());

// A note on a team: a name of at most 20 characters, nothing else.
const note = z.strictObject({ text: z.string({ error: "must be text" }).min(1, "must not be empty").max(20, "must be at most 20 characters") });
const noteRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/notes",
  params: z.object({ team: z.string() }),
  body: note,
  output: z.object({ team: z.string(), text: z.string() }),
});
const db = () => t.db;
const postNote = route(noteRoute, { auth: "team", permission: "billing:write" }, async ({ team, body }) => ({ team: team.slug, text: body.text }), { db });
const noteAction = action(
  { auth: "team", permission: "billing:write", input: note.extend({ team: z.string() }) },
  async ({ team, input }) => ({ team: team.slug, text: input.text }),
  { db },
);

const adminRoute = defineRoute({ method: "POST", path: "/api/admin/notes", body: note, output: z.object({ text: z.string() }) });
const postAdminNote = route(adminRoute, { auth: "admin" }, async ({ body }) => ({ text: body.text }), { db });
const adminAction = action({ auth: "admin", input: note }, async ({ input }) => ({ text: input.text }), { db });

const sameOriginJson = { origin: APP, "content-type": "application/json" };

async function callRoute(
  handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>,
  as: string | null,
  opts: { team?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; error: ErrorRecord | undefined; json: unknown }> {
  session.userId = as;
  const req = new Request(`${APP}/api/x`, { method: "POST", headers: opts.headers ?? sameOriginJson, body: opts.raw ?? JSON.stringify(opts.body ?? {}) });
  const params: Record<string, string> = opts.team === undefined ? {} : { team: opts.team };
  const res = await handler(req, { params: Promise.resolve(params) });
  const json = (await res.json()) as { error?: ErrorRecord };
  return { status: res.status, error: json.error, json };
}

async function callAction<R>(fn: (input: unknown) => Promise<R>, as: string | null, input: unknown): Promise<R> {
  session.userId = as;
  return fn(input);
}

const needsWrite = "This needs the billing:write permission, which your member role does not have.";

describe("the same refusal gives the same error record from a route and from an action", () => {
  type Case = { name: string; as: () => string | null; team: () => string; body: unknown; status: number; record: ErrorRecord };
  const hi = { text: "hi" };
  const cases: Case[] = [
    { name: "no session", as: () => null, team: () => owner.slug, body: hi, status: 401, record: { code: "UNAUTHENTICATED", message: SIGN_IN_FIRST } },
    {
      name: "not a member of the team",
      as: () => owner.userId,
      team: () => other.slug,
      body: hi,
      status: 404,
      record: { code: "NOT_FOUND", message: NOT_A_MEMBER },
    },
    { name: "no such team", as: () => owner.userId, team: () => "no-such-team", body: hi, status: 404, record: { code: "NOT_FOUND", message: NOT_A_MEMBER } },
    {
      name: "a role without the permission",
      as: () => member,
      team: () => owner.slug,
      body: hi,
      status: 403,
      record: { code: "FORBIDDEN", message: needsWrite },
    },
    {
      name: "a field that fails validation",
      as: () => owner.userId,
      team: () => owner.slug,
      body: { text: "x".repeat(21) },
      status: 400,
      record: { code: "VALIDATION_FAILED", message: "text: must be at most 20 characters", field: "text" },
    },
    {
      name: "a field of the wrong type",
      as: () => owner.userId,
      team: () => owner.slug,
      body: { text: 7 },
      status: 400,
      record: { code: "VALIDATION_FAILED", message: "text: must be text", field: "text" },
    },
    {
      name: "an unknown field",
      as: () => owner.userId,
      team: () => owner.slug,
      body: { text: "hi", colour: "red" },
      status: 400,
      record: { code: "VALIDATION_FAILED", message: "colour: is not a known field", field: "colour" },
    },
    {
      name: "text PostgreSQL cannot store",
      as: () => owner.userId,
      team: () => owner.slug,
      body: { text: "a\u0000b" },
      status: 400,
      record: { code: "VALIDATION_FAILED", message: "text: must not contain NUL bytes or invalid Unicode", field: "text" },
    },
  ];

  it.each(cases)("$name", async (c) => {
    const r = await callRoute(postNote, c.as(), { team: c.team(), body: c.body });
    expect(r.status).toBe(c.status);
    expect(r.json).toEqual({ error: c.record });
    const a = await callAction(noteAction, c.as(), { ...(c.body as object), team: c.team() });
    expect(a).toEqual({ ok: false, error: { ...c.record, message: screenMessage(c.record) } });
  });

  it("a platform-admin route and action: signed out, and not an admin", async () => {
    const signedOut: ErrorRecord = { code: "UNAUTHENTICATED", message: SIGN_IN_FIRST };
    const notAdmin: ErrorRecord = { code: "FORBIDDEN", message: "Only platform admins can do this." };
    expect(await callRoute(postAdminNote, null, { body: { text: "hi" } })).toMatchObject({ status: 401, json: { error: signedOut } });
    expect(await callAction(adminAction, null, { text: "hi" })).toEqual({ ok: false, error: signedOut });
    expect(await callRoute(postAdminNote, owner.userId, { body: { text: "hi" } })).toMatchObject({ status: 403, json: { error: notAdmin } });
    expect(await callAction(adminAction, owner.userId, { text: "hi" })).toEqual({ ok: false, error: notAdmin });
    const tooLong: ErrorRecord = { code: "VALIDATION_FAILED", message: "text: must be at most 20 characters", field: "text" };
    expect(await callRoute(postAdminNote, admin, { body: { text: "x".repeat(21) } })).toMatchObject({ status: 400, json: { error: tooLong } });
    expect(await callAction(adminAction, admin, { text: "x".repeat(21) })).toEqual({
      ok: false,
      error: { ...tooLong, message: "Text must be at most 20 characters" },
    });
  });

  it("what is accepted is the same too: the route's JSON and the action's data", async () => {
    const r = await callRoute(postNote, owner.userId, { team: owner.slug, body: { text: "hi" } });
    expect(r).toMatchObject({ status: 200, json: { team: owner.slug, text: "hi" } });
    const form = new FormData();
    form.set("team", owner.slug);
    form.set("text", "hi");
    expect(await callAction(noteAction, owner.userId, form)).toEqual({ ok: true, data: { team: owner.slug, text: "hi" } });
    expect(await callAction(adminAction, admin, { text: "hi" })).toEqual({ ok: true, data: { text: "hi" } });
  });
});

describe("an action's refusal reads as words, never as a field code", () => {
  it("names the field in words (or drops the code before a sentence) and keeps the field for the form", async () => {
    const cases: [unknown, string, string][] = [
      [{ text: "x".repeat(21) }, "Text must be at most 20 characters", "text"],
      [{ text: 7 }, "Text must be text", "text"],
      [{ text: "hi", colour: "red" }, "Colour is not a known field", "colour"],
    ];
    for (const [body, message, field] of cases) {
      const a = await callAction(noteAction, owner.userId, { ...(body as object), team: owner.slug });
      expect(a).toEqual({ ok: false, error: { code: "VALIDATION_FAILED", message, field } });
      expect(JSON.stringify(a)).not.toMatch(/"message":"[a-z_]+:/);
    }
    // A refusal that is already a sentence is left as it is.
    expect(await callAction(noteAction, member, { text: "hi", team: owner.slug })).toEqual({ ok: false, error: { code: "FORBIDDEN", message: needsWrite } });
  });
});

describe("refusals only a request can carry answer the same record shape", () => {
  // A server action's arguments arrive already decoded by React, and Next itself refuses an action posted from
  // another origin before any of our code runs; so bad JSON, a wrong content type and a cross-site origin are the
  // route's alone. An action handed input it cannot read is refused in the same shape, naming the field.
  it("bad JSON: 400, the body named", async () => {
    const r = await callRoute(postNote, owner.userId, { team: owner.slug, raw: "{ nope" });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: { code: "VALIDATION_FAILED", message: "The body is not valid JSON in UTF-8.", field: "body" } });
    expect(await callAction(adminAction, admin, "{ nope")).toEqual({
      ok: false,
      error: { code: "VALIDATION_FAILED", message: "Invalid input: expected object, received string", field: "body" },
    });
    expect(await callAction(noteAction, owner.userId, "{ nope")).toEqual({
      ok: false,
      error: { code: "VALIDATION_FAILED", message: "Team is required", field: "team" },
    });
  });

  it("a wrong content type: 415, the body named", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const r = await callRoute(postNote, owner.userId, { team: owner.slug, body: { text: "hi" }, headers: { origin: APP, "content-type": type } });
      expect(r.status, type).toBe(415);
      const record = { code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the body as JSON with Content-Type: application/json.", field: "body" };
      expect(r.json, type).toEqual({ error: record });
    }
  });

  it("a cross-site origin: 403, before the team is even looked up", async () => {
    const crossSite: ErrorRecord = {
      code: "FORBIDDEN",
      message: "This request did not come from Creditdesk's own pages (cross-site), so it was refused. Programs use an API key.",
    };
    const requests: Record<string, string>[] = [
      { origin: "https://evil.example", "content-type": "application/json" },
      { "sec-fetch-site": "cross-site", "content-type": "application/json" },
    ];
    for (const headers of requests) {
      for (const team of [owner.slug, other.slug]) {
        const r = await callRoute(postNote, owner.userId, { team, body: { text: "hi" }, headers });
        expect(r.status).toBe(403);
        expect(r.json).toEqual({ error: crossSite });
      }
      const a = await callRoute(postAdminNote, admin, { body: { text: "hi" }, headers });
      expect(a).toMatchObject({ status: 403, json: { error: crossSite } });
    }
  });
});

describe("Next's own answers thrown inside an action are not failures", () => {
  it("redirect() propagates (Auth.js signIn answers that way), and is not turned into an error record", async () => {
    const goes = action({ auth: "public", input: z.object({ to: z.string() }) }, async ({ input }) => redirect(input.to), { db });
    await expect(goes({ to: "/t/acme/overview" })).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;/) });
  });
});

describe("answers and failures of our own", () => {
  it("encodes the contract's money as JSON numbers, and an answer that breaks its contract is a 500, not the caller's 400", async () => {
    const moneyRoute = defineRoute({
      method: "POST",
      path: "/api/teams/:team/m",
      params: z.object({ team: z.string() }),
      output: z.object({ credits: money() }),
    });
    const good = route(moneyRoute, { auth: "team", permission: "team:read" }, async () => ({ credits: 12_345n }), { db });
    expect(await callRoute(good, owner.userId, { team: owner.slug })).toMatchObject({ status: 200, json: { credits: 12345 } });
    const broken = route(moneyRoute, { auth: "team", permission: "team:read" }, async () => ({ credits: "12345" }) as unknown as { credits: bigint }, { db });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const r = await callRoute(broken, owner.userId, { team: owner.slug });
    errors.mockRestore();
    expect(r.status).toBe(500);
    expect(r.error?.code).toBe("INTERNAL");
  });
});

describe("names that are also JavaScript's", () => {
  it("a form field or query key named __proto__ is an unknown field, never the input's prototype", async () => {
    const strictAction = action({ auth: "public", input: z.strictObject({ text: z.string() }) }, async ({ input }) => input.text, { db });
    const form = new FormData();
    form.append("text", "hi");
    form.append("__proto__", new Blob(["x"]), "evil.txt");
    const r = await callAction(strictAction, null, form);
    expect(r).toEqual({ ok: false, error: { code: "VALIDATION_FAILED", message: "Proto is not a known field", field: "__proto__" } });

    const q = defineRoute({ method: "GET", path: "/api/q", query: z.strictObject({ page: z.string().optional() }), output: z.object({ page: z.string() }) });
    const get = route(q, { auth: "public" }, async ({ query }) => ({ page: query.page ?? "none" }), { db });
    const res = await get(new Request(`${APP}/api/q?__proto__=x&page=2`));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: ErrorRecord }).error.field).toBe("__proto__");
  });
});

describe("the dashboard's typed answers (lib/edge/endpoint): no schema in the browser, the same values", () => {
  const rich = defineRoute({
    method: "POST",
    path: "/api/teams/:team/rich",
    params: z.object({ team: z.string() }),
    output: z.object({
      balance: money(),
      huge: money(),
      at: isoDate(),
      none: money().nullable(),
      label: z.string(),
      rows: z.array(
        z.discriminatedUnion("kind", [
          z.object({ kind: z.literal("money"), amount: money(), when: isoDate() }),
          z.object({ kind: z.literal("text"), note: z.string() }),
        ]),
      ),
    }),
  });
  const value = {
    balance: -1_250n,
    huge: 2n ** 70n,
    at: new Date("2026-12-07T08:00:00.123Z"),
    none: null,
    label: "12",
    rows: [
      { kind: "text" as const, note: "100" },
      { kind: "money" as const, amount: 7n, when: new Date("2026-01-01T00:00:00.000Z") },
    ],
  };
  const handler = route(rich, { auth: "team", permission: "team:read" }, async () => value, { db });

  it("revives exactly what the contract decodes, and a program asking plainly gets the plain JSON", async () => {
    const plain = await callRoute(handler, owner.userId, { team: owner.slug });
    expect(plain.json).toMatchObject({ balance: -1250, huge: (2n ** 70n).toString(), label: "12" });
    const typed = await callRoute(handler, owner.userId, { team: owner.slug, headers: { ...sameOriginJson, [TYPED_ANSWER_HEADER]: "1" } });
    const { data, types } = typed.json as { data: unknown; types: Types };
    expect(data).toEqual(plain.json);
    expect(revive(data, types)).toEqual(z.decode(rich.output!, plain.json as never));
    expect(revive(data, types)).toEqual(value);
  });

  it('a key named "__proto__" is a key like any other on the wire: its bigint comes back a bigint, no prototype changes', () => {
    const value = JSON.parse('{"byOperation": {"__proto__": 1, "plain": 2}}') as Record<string, Record<string, unknown>>;
    Object.defineProperty(value.byOperation, "__proto__", { value: 5n, enumerable: true, writable: true, configurable: true });
    value.byOperation!.plain = 7n;
    const types = JSON.parse(JSON.stringify(typesOf(value))) as Types;
    const back = revive(JSON.parse('{"byOperation": {"__proto__": 5, "plain": 7}}'), types) as Record<string, Record<string, unknown>>;
    expect(Object.getOwnPropertyDescriptor(back.byOperation, "__proto__")?.value).toBe(5n);
    expect(back.byOperation!.plain).toBe(7n);
    expect(Object.getPrototypeOf(back.byOperation)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A hostile types tree cannot reach the prototype either.
    const hostile = revive(JSON.parse('{"a": {"b": 1}}'), JSON.parse('{"__proto__": {"polluted": "n"}, "a": {"b": "n"}}') as Types) as { a: { b: bigint } };
    expect(hostile.a.b).toBe(1n);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("any value of bigints, Dates and plain JSON survives the wire and comes back the same (property)", () => {
    const leaf = fc.oneof(
      fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
      fc.date({ min: new Date(0), max: new Date("2100-01-01"), noInvalidDate: true }),
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const tree = fc.letrec((t) => ({
      node: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.array(t("node"), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 6 }), t("node"), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (v) => {
        const wire = JSON.parse(
          JSON.stringify(v, function (this: Record<string, unknown>, k, x: unknown) {
            const raw = this[k];
            if (typeof raw === "bigint") return raw >= BigInt(Number.MIN_SAFE_INTEGER) && raw <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(raw) : raw.toString();
            return raw instanceof Date ? raw.toISOString() : x;
          }),
        ) as unknown;
        expect(revive(wire, JSON.parse(JSON.stringify(typesOf(v))) as Types)).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });
});
