import type { Tx } from "../../db/client";
import type { CreditLineApplication, CreditLineMessage } from "../../db/generated/client";
import { guaranteePaid } from "./guarantee-deposits";

/** An application as the applicant and reviewers see it (never the confirmation link's hash). */
export type ApplicationView = Omit<CreditLineApplication, "emailTokenHash" | "emailTokenExpiresAt" | "updatedAt"> & {
  guaranteePaidCents: bigint;
  messages: Pick<CreditLineMessage, "id" | "fromReviewer" | "body" | "createdAt">[];
};

export async function applicationViews(tx: Tx, apps: (CreditLineApplication & { messages: CreditLineMessage[] })[]): Promise<ApplicationView[]> {
  return Promise.all(
    apps.map(async ({ emailTokenHash: _h, emailTokenExpiresAt: _e, updatedAt: _u, messages, ...app }) => ({
      ...app,
      guaranteePaidCents: app.guaranteeCents > 0n ? (await guaranteePaid(tx, app)).paidCents : 0n,
      messages: messages.map((m) => ({ id: m.id, fromReviewer: m.fromReviewer, body: m.body, createdAt: m.createdAt })),
    })),
  );
}

export const MESSAGES_INCLUDE = { messages: { orderBy: { createdAt: "asc" } } } as const;
