import type { Transporter } from "nodemailer";
import type { Db } from "../db/client";

type Claimed = { id: string; email: string; title: string; body: string; team_name: string };

/**
 * Emails notifications that carry an address (budget alerts, auto top-up failures) and were not emailed yet.
 * Rows are claimed with SKIP LOCKED, so several instances never send one twice; a failed send is released for the
 * next sweep. A crash between claim and send loses that one email (at most once: alerts are not worth a duplicate).
 */
export async function sendPendingEmails({
  db,
  transport,
  from,
  limit = 50,
}: {
  db: Db;
  transport: Transporter;
  from: string;
  limit?: number;
}): Promise<{ sent: number; failed: number }> {
  const rows = await db.$queryRaw<Claimed[]>`
    UPDATE notifications n SET emailed_at = now()
    FROM teams t
    WHERE n.id IN (
      SELECT id FROM notifications WHERE email IS NOT NULL AND emailed_at IS NULL ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ) AND t.id = n.team_id
    RETURNING n.id, n.email, n.title, n.body, t.name AS team_name`;
  let sent = 0;
  let failed = 0;
  for (const r of rows) {
    try {
      // Plain text only: titles and bodies include user-typed names, which must never become markup.
      await transport.sendMail({ from, to: r.email, subject: `[${r.team_name}] ${r.title}`, text: `${r.body}\n\n— Creditdesk` });
      sent += 1;
    } catch (e) {
      failed += 1;
      console.error(`[creditdesk] email for notification ${r.id} failed; will retry:`, (e as Error).message);
      await db.notification.update({ where: { id: r.id }, data: { emailedAt: null } });
    }
  }
  return { sent, failed };
}
