import type { Tx } from "../../db/client";
import type { TeamRole } from "../../db/generated/enums";

/** Who hears about a failed renewal: the people who can fix the payment method. */
const RECIPIENT_ROLES: TeamRole[] = ["OWNER", "BILLING"];

const longDate = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/**
 * Queues the "your payment failed" notification (emailed by sendPendingEmails) to the team's owners and billing
 * members, once per failed renewal and person: the dedupe key is the subscription and the moment its failed renewal
 * began (subscriptions.past_due_since, which the state copy keeps while the renewal stays unpaid), so however often
 * and in whatever order Stripe's events are delivered, each person gets one. `unpaid` (Stripe gave up retrying) is a
 * second, separate notice. In the caller's transaction.
 */
export async function notifyPaymentFailed({
  db,
  teamId,
  subscriptionId,
  pastDueSince,
  graceEndsAt,
  unpaid,
}: {
  db: Tx;
  teamId: string;
  subscriptionId: string;
  pastDueSince: Date;
  graceEndsAt: Date;
  unpaid: boolean;
}): Promise<number> {
  const team = await db.team.findUnique({
    where: { id: teamId },
    select: { slug: true, memberships: { where: { role: { in: RECIPIENT_ROLES } }, select: { userId: true, user: { select: { email: true } } } } },
  });
  if (!team || team.memberships.length === 0) return 0;
  const link = `${(process.env.APP_URL ?? "http://localhost:3000").replace(/\/+$/, "")}/t/${encodeURIComponent(team.slug)}/subscription`;
  const kind = unpaid ? "subscription_unpaid" : "payment_failed";
  const title = unpaid ? "Your subscription is unpaid" : "Your payment failed";
  const body = unpaid
    ? `We could not collect your subscription's renewal, so API usage is refused until it is paid. Update your payment method and pay the open invoice: ${link}`
    : `We could not charge your subscription's renewal. Update your payment method by ${longDate.format(graceEndsAt)} (UTC) to keep using the API: ${link}`;
  const r = await db.notification.createMany({
    data: team.memberships.map((m) => ({
      teamId,
      userId: m.userId,
      kind,
      title,
      body,
      email: m.user.email,
      dedupeKey: `${kind}:${subscriptionId}:${pastDueSince.toISOString()}:${m.userId}`,
    })),
    skipDuplicates: true,
  });
  return r.count;
}
