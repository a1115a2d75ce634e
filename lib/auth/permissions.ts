import type { ApiKeyRole, TeamRole } from "../db/generated/enums";
import { BillingError } from "../billing/errors";

// Who may do what. Every route resolves an Actor and asks `require(actor, permission)` before calling the core.
export type Permission =
  | "team:read" // overview, balance, usage charts
  | "billing:read" // payments, invoices, budget, subscription, ledger export
  | "billing:write" // top up, buy credit, budgets, auto top-up, billing details, subscription changes
  | "usage:record" // POST /api/v1/usage
  | "apikeys:manage"
  | "members:manage"
  | "audit:read"; // the team's audit log

export type Actor =
  | { kind: "user"; userId: string; teamId: string; role: TeamRole; isPlatformAdmin: boolean }
  | {
      kind: "apiKey";
      apiKeyId: string;
      keyName: string;
      teamId: string;
      keyRole: ApiKeyRole;
      /** A test key (cdk_test_…): never starts a charge. */ test?: boolean;
    };

const userGrants: Record<TeamRole, readonly Permission[]> = {
  OWNER: ["team:read", "billing:read", "billing:write", "usage:record", "apikeys:manage", "members:manage", "audit:read"],
  ADMIN: ["team:read", "billing:read", "billing:write", "usage:record", "apikeys:manage", "members:manage", "audit:read"],
  BILLING: ["team:read", "billing:read", "billing:write"],
  MEMBER: ["team:read"],
};

const keyGrants: Record<ApiKeyRole, readonly Permission[]> = {
  READ_ONLY: ["team:read", "billing:read"],
  BILLING: ["team:read", "billing:read", "billing:write", "usage:record"],
};

/**
 * All a test key (cdk_test_…) may do, whatever its role: record usage (which never charges) and read. Changing the
 * team's billing (budgets, webhook endpoints, plans, payments) needs a live key, so a key handed to CI cannot cap,
 * reroute or pay for the live team.
 */
const testKeyGrants: readonly Permission[] = ["team:read", "billing:read", "usage:record"];

export const TEST_KEY_REFUSAL =
  "A test key can record usage and read; changing the team's billing (budgets, webhooks, plans, payments) needs a live key (cdk_live_…).";

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === "user") return userGrants[actor.role].includes(permission);
  return keyGrants[actor.keyRole].includes(permission) && (!actor.test || testKeyGrants.includes(permission));
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) {
    if (actor.kind === "apiKey" && actor.test && keyGrants[actor.keyRole].includes(permission))
      throw new BillingError("TEST_KEY_NOT_ALLOWED", TEST_KEY_REFUSAL);
    throw new BillingError(
      "FORBIDDEN",
      `This needs the ${permission} permission, which your ${actor.kind === "user" ? `${actor.role.toLowerCase()} role` : "API key"} does not have.`,
    );
  }
}
