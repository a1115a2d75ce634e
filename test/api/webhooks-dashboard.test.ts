import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The settings page's routes (/api/teams/:team/webhooks…), run as Next runs them with the session replaced by a
// signed-in test user: billing roles manage, a member is refused, a cross-site request changes nothing.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import * as listRoute from "../../app/api/teams/[team]/webhooks/route";
import * as oneRoute from "../../app/api/teams/[team]/webhooks/[id]/route";
import * as deliveriesRoute from "../../app/api/teams/[team]/webhooks/[id]/deliveries/route";
import * as resendRoute from "../../app/api/teams/[team]/webhooks/deliveries/[id]/resend/route";
import type { TeamRole } from "../../lib/db/generated/enums";
import { makeTeamWithRoles } from "../billing/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const APP = "http://app.test";
let t: TestDatabase;
let team: Awaited<ReturnType<typeof makeTeamWithRoles>>;
beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  process.env.APP_URL = APP;
  team = await makeTeamWithRoles(t.db);
});
afterAll(() => t.close());

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function send(handler: Handler, role: TeamRole, opts: { method?: string; body?: unknown; id?: string; headers?: Record<string, string> } = {}) {
  session.userId = team.users[role];
  const method = opts.method ?? (opts.body === undefined ? "GET" : "POST");
  const headers = { ...(method === "GET" ? {} : { "content-type": "application/json", origin: APP }), ...opts.headers };
  const res = await handler(
    new Request(`${APP}/api/teams/${team.slug}/webhooks`, { method, headers, body: method === "GET" ? undefined : JSON.stringify(opts.body ?? {}) }),
    {
      params: Promise.resolve({ team: team.slug, id: opts.id ?? "" }),
    },
  );
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked by the assertions
  return { status: res.status, json: (text ? JSON.parse(text) : null) as any };
}

const body = { url: "https://93.184.215.14/hooks", events: ["invoice_paid", "budget_alert"], secret: "dashboard-secret-0123456789-abcdefgh" };

describe("/api/teams/:team/webhooks", () => {
  it("lets a billing member add, list, change, read deliveries of and delete an endpoint", async () => {
    const created = await send(listRoute.POST as Handler, "BILLING", { body: { ...body, description: "Books" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ url: body.url, description: "Books", status: "enabled", secret_hint: "…efgh" });
    const id = created.json.id as string;
    const list = await send(listRoute.GET as Handler, "ADMIN");
    expect(list.json.webhooks.map((w: { id: string }) => w.id)).toEqual([id]);
    expect(JSON.stringify(list.json)).not.toContain(body.secret);
    const off = await send(oneRoute.PATCH as Handler, "OWNER", { method: "PATCH", id, body: { enabled: false } });
    expect(off.json).toMatchObject({ status: "disabled", disabled_reason: "owner" });
    expect((await send(deliveriesRoute.GET as Handler, "BILLING", { id })).json).toEqual({ deliveries: [], has_more: false, next_cursor: null });
    const resend = await send(resendRoute.POST as Handler, "BILLING", { id: "whd_unknown", body: {} });
    expect(resend.status).toBe(404);
    expect((await send(oneRoute.DELETE as Handler, "BILLING", { method: "DELETE", id })).status).toBe(200);
    expect((await send(listRoute.GET as Handler, "BILLING")).json.webhooks).toEqual([]);
    const audit = await t.db.auditLog.findMany({ where: { teamId: team.teamId, targetId: id } });
    expect(audit.map((a) => a.actorUserId).sort()).toEqual([team.users.BILLING, team.users.BILLING, team.users.OWNER].sort());
  });

  it("refuses a member (403), a cross-site change (403) and bad input (400), changing nothing", async () => {
    const id = (await send(listRoute.POST as Handler, "OWNER", { body })).json.id as string;
    const before = await t.db.webhookEndpoint.findMany({ where: { teamId: team.teamId } });
    expect((await send(listRoute.GET as Handler, "MEMBER")).status).toBe(403);
    expect((await send(listRoute.POST as Handler, "MEMBER", { body })).status).toBe(403);
    expect((await send(oneRoute.PATCH as Handler, "MEMBER", { method: "PATCH", id, body: { enabled: false } })).status).toBe(403);
    expect((await send(oneRoute.DELETE as Handler, "MEMBER", { method: "DELETE", id })).status).toBe(403);
    expect((await send(deliveriesRoute.GET as Handler, "MEMBER", { id })).status).toBe(403);
    const evil = { origin: "https://evil.example" };
    expect((await send(listRoute.POST as Handler, "OWNER", { body, headers: evil })).status).toBe(403);
    expect((await send(oneRoute.DELETE as Handler, "OWNER", { method: "DELETE", id, headers: evil })).status).toBe(403);
    const blocked = await send(listRoute.POST as Handler, "OWNER", { body: { ...body, url: "http://169.254.169.254/" } });
    expect(blocked.json.error).toMatchObject({ code: "WEBHOOK_URL_BLOCKED", field: "url" });
    const short = await send(oneRoute.PATCH as Handler, "OWNER", { method: "PATCH", id, body: { secret: "short" } });
    expect(short.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "secret" });
    expect(await t.db.webhookEndpoint.findMany({ where: { teamId: team.teamId } })).toEqual(before);
  });
});
