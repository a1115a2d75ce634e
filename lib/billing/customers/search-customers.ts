import { isStorableText } from "../../auth/input-text";
import type { Tx } from "../../db/client";
import { BillingError } from "../errors";

export type CustomerHit = {
  id: string;
  name: string;
  slug: string;
  stripeCustomerId: string | null;
  balance: bigint;
  /** The members whose email matched, else the owners: who the admin is looking at. */
  emails: string[];
  /** What matched: the name, the slug, a member's email, or the Stripe customer id / team id exactly. */
  matchedBy: ("name" | "slug" | "email" | "id")[];
};

export const SEARCH_MAX_LENGTH = 100;
const LIMIT = 25;

/** `x` as a LIKE pattern matching itself literally: the wildcards and the escape character are escaped. */
export function escapeLike(x: string): string {
  return x.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The query as searched: trimmed, lower-case; VALIDATION_FAILED when too long or not storable text. Empty: no search. */
export function searchTerm(q: unknown): string {
  const s = typeof q === "string" ? q.trim() : "";
  if (s.length > SEARCH_MAX_LENGTH) throw new BillingError("VALIDATION_FAILED", `Search for at most ${SEARCH_MAX_LENGTH} characters.`, { field: "q" });
  if (!isStorableText(s) || /[\u0000-\u001f\u007f]/.test(s)) throw new BillingError("VALIDATION_FAILED", "Search for printable text.", { field: "q" });
  return s.toLowerCase();
}

/**
 * Teams for a platform admin's search (the caller checked the admin): names, slugs and members' emails beginning with
 * the text (each over its lower() index, 20261207040000_admin_console), and a Stripe customer id or team id exactly.
 * At most 25, by name. The text is a LIKE pattern only after escaping, so `%` and `_` match themselves.
 */
export async function searchCustomers({ db, q }: { db: Tx; q: unknown }): Promise<CustomerHit[]> {
  const term = searchTerm(q);
  if (term === "") return [];
  const prefix = `${escapeLike(term)}%`;
  const exact = typeof q === "string" ? q.trim() : "";
  const rows = await db.$queryRaw<{ team_id: string; matched: string }[]>`
    (SELECT id AS team_id, 'name' AS matched FROM teams WHERE lower(name) LIKE ${prefix} ESCAPE '\\' LIMIT ${LIMIT})
    UNION ALL
    (SELECT id, 'slug' FROM teams WHERE lower(slug) LIKE ${prefix} ESCAPE '\\' LIMIT ${LIMIT})
    UNION ALL
    (SELECT m.team_id, 'email' FROM users u JOIN memberships m ON m.user_id = u.id
      WHERE lower(u.email) LIKE ${prefix} ESCAPE '\\' LIMIT ${LIMIT})
    UNION ALL
    (SELECT id, 'id' FROM teams WHERE stripe_customer_id = ${exact} OR id = ${exact})`;
  const matched = new Map<string, Set<CustomerHit["matchedBy"][number]>>();
  for (const r of rows) {
    const set = matched.get(r.team_id) ?? new Set();
    set.add(r.matched as CustomerHit["matchedBy"][number]);
    matched.set(r.team_id, set);
  }
  if (matched.size === 0) return [];
  const teams = await db.team.findMany({
    where: { id: { in: [...matched.keys()] } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: LIMIT,
    select: {
      id: true,
      name: true,
      slug: true,
      stripeCustomerId: true,
      balance: true,
      memberships: { select: { role: true, user: { select: { email: true } } }, orderBy: { createdAt: "asc" }, take: 50 },
    },
  });
  return teams.map((t) => {
    const by = matched.get(t.id)!;
    const all = t.memberships.filter((m) => m.user.email);
    const hit = by.has("email") ? all.filter((m) => m.user.email!.toLowerCase().startsWith(term)) : [];
    const shown = (hit.length ? hit : all.filter((m) => m.role === "OWNER")).slice(0, 3).map((m) => m.user.email!);
    return { id: t.id, name: t.name, slug: t.slug, stripeCustomerId: t.stripeCustomerId, balance: t.balance, emails: shown, matchedBy: [...by] };
  });
}
