import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";

// Requests built to hurt the pipeline (lib/edge/route.ts, lib/edge/input.ts) rather than to be refused by a rule: a
// body with no length that never ends, JSON nested past any stack, fields a contract never declared.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import * as revokeKey from "../../app/api/teams/[team]/api-keys/[id]/revoke/route";
import * as apiKeys from "../../app/api/teams/[team]/api-keys/route";
import { defineRoute } from "../../lib/edge/contract";
import type { ErrorRecord } from "../../lib/edge/error-record";
import { MAX_BODY_BYTES } from "../../lib/edge/input";
import { route } from "../../lib/edge/route";
import { makeTeam } from "../billing/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const APP = "http://app.test";

let t: TestDatabase;
let owner: { teamId: string; userId: string; slug: string };
beforeAll(async () => {
  t = await createTestDatabase();
  owner = await makeTeam(t.db);
  (globalThis as { creditdeskDb?: unknown }).creditdeskDb = t.db; // the real routes' db()
});
afterAll(() => t?.close());

const db = () => t.db;
const noteRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/notes",
  params: z.object({ team: z.string() }),
  body: z.strictObject({ text: z.unknown() }),
  output: z.object({ ok: z.boolean() }),
});
const postNote = route(noteRoute, { auth: "team", permission: "billing:write" }, async () => ({ ok: true }), { db });

async function post(
  handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>,
  body: BodyInit,
  params: Record<string, string> = { team: owner.slug },
) {
  session.userId = owner.userId;
  const init: RequestInit & { duplex: "half" } = { method: "POST", headers: { origin: APP, "content-type": "application/json" }, body, duplex: "half" };
  const res = await handler(new Request(`${APP}/api/x`, init), { params: Promise.resolve(params) });
  return { status: res.status, json: (await res.json()) as { error?: ErrorRecord } };
}

describe("a body without a Content-Length (chunked)", () => {
  it("is refused once it passes 4 MB, without reading the rest of it", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20); // JSON whitespace, forever
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled += chunk.byteLength;
        if (pulled > 64 * MAX_BODY_BYTES)
          c.close(); // a bound for the test only: 256 MB
        else c.enqueue(chunk);
      },
    });
    const r = await post(postNote, endless);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: { code: "VALIDATION_FAILED", message: "The body is larger than 4 MB.", field: "body" } });
    expect(pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * chunk.byteLength);
  });

  it("under 4 MB is read as before", async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ text: "hi" }));
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 3));
        c.enqueue(bytes.slice(3));
        c.close();
      },
    });
    expect(await post(postNote, stream)).toEqual({ status: 200, json: { ok: true } });
  });
});

describe("JSON nested deeper than any body of ours", () => {
  it("is the caller's 400, not a 500 from a blown stack", async () => {
    const nested = (depth: number) => `{"text":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`; // the object is a level too
    const tooDeep = { error: { code: "VALIDATION_FAILED", message: "The body is nested deeper than 64 levels.", field: "body" } };
    for (const depth of [65, 100_000, 1_000_000]) expect(await post(postNote, nested(depth)), String(depth)).toEqual({ status: 400, json: tooDeep });
    expect(await post(postNote, nested(64))).toEqual({ status: 200, json: { ok: true } });
    // Brackets inside strings are text, not nesting.
    expect(await post(postNote, JSON.stringify({ text: '[{\\"'.repeat(10_000) }))).toEqual({ status: 200, json: { ok: true } });
  });
});

describe("a contract that declares no body", () => {
  const bare = defineRoute({ method: "POST", path: "/api/teams/:team/bare", params: z.object({ team: z.string() }), output: z.object({ ok: z.boolean() }) });
  const postBare = route(bare, { auth: "team", permission: "billing:write" }, async () => ({ ok: true }), { db });
  it("takes an empty body or {}, and refuses any field (the body must be empty)", async () => {
    expect(await post(postBare, "")).toEqual({ status: 200, json: { ok: true } });
    expect(await post(postBare, "{}")).toEqual({ status: 200, json: { ok: true } });
    const r = await post(postBare, JSON.stringify({ teamId: "someone-else" }));
    expect(r).toEqual({ status: 400, json: { error: { code: "VALIDATION_FAILED", message: "teamId: is not a known field", field: "teamId" } } });
  });
});

describe("fields a contract does not declare are refused, not silently dropped", () => {
  it("creating an API key: a team, a creator or a hash in the body is a 400, and no key is made", async () => {
    for (const extra of [{ teamId: "team_other" }, { createdByUserId: "user_other" }, { hashedKey: "x" }]) {
      const r = await post(apiKeys.POST as never, JSON.stringify({ name: "ci", role: "READ_ONLY", ...extra }));
      const field = Object.keys(extra)[0]!;
      expect(r).toEqual({ status: 400, json: { error: { code: "VALIDATION_FAILED", message: `${field}: is not a known field`, field } } });
    }
    expect(await t.db.apiKey.count({ where: { teamId: owner.teamId } })).toBe(0);
    const made = await post(apiKeys.POST as never, JSON.stringify({ name: "ci", role: "READ_ONLY" }));
    expect(made.status).toBe(201);
  });

  it("revoking an API key (a route with no body): any field is a 400, and the key stays", async () => {
    const key = await t.db.apiKey.findFirstOrThrow({ where: { teamId: owner.teamId } });
    const r = await post(revokeKey.POST as never, JSON.stringify({ teamId: owner.teamId }), { team: owner.slug, id: key.id });
    expect(r.status).toBe(400);
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeNull();
    expect((await post(revokeKey.POST as never, "{}", { team: owner.slug, id: key.id })).status).toBe(200);
  });
});
