import type { Tx } from "../../db/client";

/**
 * Turns off an endpoint whose every attempt has failed since `failingSince` (disabled_reason FAILING), once however
 * many workers see it at the same time: stops its pending deliveries (FAILED), writes the audit row and queues a
 * notification with an email to each of the team's owners. In the caller's transaction.
 */
export async function disableFailingEndpoint({
  tx,
  endpointId,
  failingSince,
  now,
}: {
  tx: Tx;
  endpointId: string;
  failingSince: Date;
  now: Date;
}): Promise<boolean> {
  const [ep] = await tx.$queryRaw<{ team_id: string; url: string }[]>`
    UPDATE webhook_endpoints SET status = 'DISABLED', disabled_reason = 'FAILING', updated_at = ${now}
     WHERE id = ${endpointId} AND status = 'ENABLED' RETURNING team_id, url`;
  if (!ep) return false;
  const stopped = await tx.webhookDelivery.updateMany({
    where: { endpointId, status: "PENDING" },
    data: { status: "FAILED", nextAttemptAt: null },
  });
  await tx.auditLog.create({
    data: {
      teamId: ep.team_id,
      action: "webhook_endpoint.disabled_failing",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      data: {
        url: ep.url,
        failingSince: failingSince.toISOString(),
        deliveriesStopped: stopped.count,
        before: { status: "ENABLED" },
        after: { status: "DISABLED", reason: "FAILING" },
      },
    },
  });
  const team = await tx.team.findUniqueOrThrow({
    where: { id: ep.team_id },
    select: { slug: true, memberships: { where: { role: "OWNER" }, select: { userId: true, user: { select: { email: true } } } } },
  });
  const link = `${(process.env.APP_URL ?? "http://localhost:3000").replace(/\/+$/, "")}/t/${encodeURIComponent(team.slug)}/webhooks`;
  const days = Math.max(1, Math.round((now.getTime() - failingSince.getTime()) / 86_400_000));
  await tx.notification.createMany({
    data: team.memberships.map((m) => ({
      teamId: ep.team_id,
      userId: m.userId,
      kind: "webhook_endpoint_disabled",
      title: "A webhook endpoint was turned off",
      body: `Every delivery to ${ep.url} has failed for ${days === 1 ? "about a day" : `${days} days`}, so Creditdesk turned the endpoint off and stopped its pending deliveries. Fix the receiver, then turn the endpoint back on: ${link}`,
      email: m.user.email,
      dedupeKey: `webhook_endpoint_disabled:${endpointId}:${failingSince.toISOString()}:${m.userId}`,
    })),
    skipDuplicates: true,
  });
  return true;
}
