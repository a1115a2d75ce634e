import { z } from "zod";
import type { Tx } from "../../db/client";
import type { Prisma } from "../../db/generated/client";
import { BillingError } from "../errors";
import { AUDIT_GROUPS, unattributedActor } from "./audit-actions";
import { type AuditViewer, auditTeamOf } from "./audit-viewer";

export type AuditActor =
  | { kind: "user"; id: string; name: string | null; email: string | null; platformAdmin: boolean }
  | { kind: "apiKey"; id: string; name: string; prefix: string }
  | { kind: "stripe" }
  | { kind: "system" };

export type AuditRow = {
  id: string;
  createdAt: Date;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: Prisma.JsonValue;
  actor: AuditActor;
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = z
  .string()
  .regex(DAY, "must be a date like 2026-12-01")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "must be a real date")
  // The log starts long after; PostgreSQL refuses some years JavaScript takes (year 0).
  .refine((s) => s >= "1970-01-01", "must be a date from 1970 on");

/** The filter and page as a URL carries them (every field optional, every one checked). */
export const auditQuery = z.object({
  group: z.enum(AUDIT_GROUPS.map((g) => g.id) as [string, ...string[]], { error: "is not a kind of change" }).optional(),
  /** "user:<id>", "key:<id>" or "system" (no user or key: Stripe and the system). */
  actor: z
    .string()
    .max(100)
    .regex(/^(user:[A-Za-z0-9_-]{1,80}|key:[A-Za-z0-9_-]{1,80}|system)$/, "is not a person, key or the system")
    .optional(),
  /** UTC days, both included. */
  from: day.optional(),
  to: day.optional(),
  /** The last row of the previous page, from nextCursor. */
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "is not a page of this log")
    .optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;

const PAGE = 50;

const encodeCursor = (r: { createdAt: Date; id: string }) => Buffer.from(`${r.createdAt.toISOString()}|${r.id}`).toString("base64url");

// What encodeCursor writes, and nothing else: a hand-edited cursor may decode to text PostgreSQL refuses (a NUL, a
// year it cannot hold), which must be a refusal, not a failed query.
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([A-Za-z0-9_-]{1,80})$/;

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const m = CURSOR.exec(Buffer.from(cursor, "base64url").toString());
  const createdAt = new Date(m?.[1] ?? "");
  if (!m || Number.isNaN(createdAt.getTime()) || createdAt.getUTCFullYear() < 1970)
    throw new BillingError("VALIDATION_FAILED", "cursor: is not a page of this log", { field: "cursor" });
  return { createdAt, id: m[2]! };
}

/**
 * A team's audit log, newest first, a page at a time (keyset on (created_at, id): each page costs the same however
 * deep, and rows written meanwhile never shift or repeat a later page). Filters: a kind of change, an actor, a range
 * of UTC days. Owners and admins read their own team's; platform admins any team's (auditTeamOf).
 */
export async function listAuditLog({
  db,
  viewer,
  teamId,
  query = {},
  limit = PAGE,
}: {
  db: Tx;
  viewer: AuditViewer;
  teamId: string;
  query?: AuditQuery;
  limit?: number;
}): Promise<{ rows: AuditRow[]; nextCursor: string | null }> {
  const team = await auditTeamOf({ db, viewer, teamId });
  const q = auditQuery.parse(query);
  const take = Math.min(Math.max(1, Math.trunc(limit)), 200);
  const and: Prisma.AuditLogWhereInput[] = [{ teamId: team }];
  const group = AUDIT_GROUPS.find((g) => g.id === q.group);
  if (group) and.push({ OR: group.prefixes.map((p) => ({ action: { startsWith: p } })) });
  if (q.actor === "system") and.push({ actorUserId: null, actorApiKeyId: null });
  else if (q.actor?.startsWith("user:")) and.push({ actorUserId: q.actor.slice(5) });
  else if (q.actor?.startsWith("key:")) and.push({ actorApiKeyId: q.actor.slice(4) });
  if (q.from) and.push({ createdAt: { gte: new Date(`${q.from}T00:00:00Z`) } });
  if (q.to) and.push({ createdAt: { lt: new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) } });
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    and.push({ OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] });
  }
  const found = await db.auditLog.findMany({
    where: { AND: and },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: { id: true, createdAt: true, action: true, targetType: true, targetId: true, data: true, actorUserId: true, actorApiKeyId: true },
  });
  const page = found.slice(0, take);
  const userIds = [...new Set(page.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])))];
  const keyIds = [...new Set(page.flatMap((r) => (r.actorApiKeyId ? [r.actorApiKeyId] : [])))];
  const [users, keys] = await Promise.all([
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true, isPlatformAdmin: true } }) : [],
    keyIds.length ? db.apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, name: true, prefix: true } }) : [],
  ]);
  const userById = new Map(users.map((u) => [u.id, u]));
  const keyById = new Map(keys.map((k) => [k.id, k]));
  const actorOf = (r: (typeof page)[number]): AuditActor => {
    if (r.actorUserId) {
      const u = userById.get(r.actorUserId);
      return { kind: "user", id: r.actorUserId, name: u?.name ?? null, email: u?.email ?? null, platformAdmin: u?.isPlatformAdmin ?? false };
    }
    if (r.actorApiKeyId) {
      const k = keyById.get(r.actorApiKeyId);
      return { kind: "apiKey", id: r.actorApiKeyId, name: k?.name ?? "a deleted key", prefix: k?.prefix ?? "" };
    }
    return { kind: unattributedActor(r.action) };
  };
  const rows = page.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    data: r.data,
    actor: actorOf(r),
  }));
  const last = page[page.length - 1];
  return { rows, nextCursor: found.length > take && last ? encodeCursor(last) : null };
}
