import type { TeamRole } from "../../db/generated/enums";

// What each role may do, as the members page shows it beside the roles. Client-safe. The grants themselves are in
// lib/auth/permissions.ts; who may manage whom is in member-rules.ts (assertMayManage).

export const ROLES = ["OWNER", "ADMIN", "BILLING", "MEMBER"] as const satisfies readonly TeamRole[];

export const roleGuide: Record<TeamRole, { label: string; may: string }> = {
  OWNER: {
    label: "Owner",
    may: "Everything: billing, API keys, and members of every role, including other owners; transfers ownership. A team always keeps at least one owner.",
  },
  ADMIN: {
    label: "Admin",
    may: "Billing and API keys; invites, changes and removes admins, billing members and members (not owners, and cannot make anyone an owner).",
  },
  BILLING: { label: "Billing", may: "Tops up, buys credit, sets budgets and auto top-up, changes the plan, reads invoices. Cannot manage members or keys." },
  MEMBER: { label: "Member", may: "Reads the overview, balance and usage, and sees who is in the team. Changes nothing." },
};
