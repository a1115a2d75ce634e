import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setBudget } from "../../lib/billing/budgets/set-budget";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { applyDebits } from "../../lib/billing/ledger/apply-debits";
import { sendPendingEmails } from "../../lib/notifications/send-pending-emails";
import { createTeam } from "../../lib/teams/create-team";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

// A real SMTP server on loopback receives what Creditdesk sends.
type Received = { to: string[]; raw: string };

describe("notification emails", () => {
  let t: TestDatabase;
  let smtp: SMTPServer;
  let port = 0;
  const inbox: Received[] = [];
  let rejectNext = 0;

  beforeAll(async () => {
    t = await createTestDatabase();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onRcptTo(address, _session, cb) {
        if (rejectNext > 0) {
          rejectNext -= 1;
          cb(new Error("mailbox unavailable"));
          return;
        }
        cb();
      },
      onData(stream, session, cb) {
        let raw = "";
        stream.on("data", (c: Buffer) => (raw += c.toString()));
        stream.on("end", () => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
    port = (smtp.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await t.close();
  });

  const transport = () => nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });

  it("sends each budget alert once to the alert address, even with two senders at once, and retries a failed send", async () => {
    const user = await t.db.user.create({ data: { email: "owner@example.com" } });
    const team = await t.db.$transaction((tx) => createTeam({ db: tx, name: "Mail <b>Team</b>", ownerUserId: user.id }));
    await creditCredits({ db: t.db, teamId: team.id, amount: 1_000_000n, kind: "TOPUP", idempotencyKey: "seed" });
    await setBudget({ db: t.db, teamId: team.id, monthlyCapCents: 100n, alertEmail: "ops@example.com" }); // $1 = 80,000 credits
    const [debit] = await applyDebits({ db: t.db, teamId: team.id, debits: [{ idempotencyKey: "d1", amount: 70_000n }], now: new Date() }); // 87.5%: 50% and 80%
    expect(debit).toMatchObject({ status: "debited" });
    const pending = await t.db.notification.count({ where: { teamId: team.id, email: "ops@example.com", emailedAt: null } });
    expect(pending).toBe(2);

    rejectNext = 1;
    const [a, b] = await Promise.all([
      sendPendingEmails({ db: t.db, transport: transport(), from: "billing@example.com" }),
      sendPendingEmails({ db: t.db, transport: transport(), from: "billing@example.com" }),
    ]);
    expect(a.sent + b.sent).toBe(1);
    expect(a.failed + b.failed).toBe(1);
    expect(await t.db.notification.count({ where: { teamId: team.id, emailedAt: null } })).toBe(1);

    const retry = await sendPendingEmails({ db: t.db, transport: transport(), from: "billing@example.com" });
    expect(retry).toEqual({ sent: 1, failed: 0 });
    expect(await sendPendingEmails({ db: t.db, transport: transport(), from: "billing@example.com" })).toEqual({ sent: 0, failed: 0 });

    expect(inbox).toHaveLength(2);
    expect(inbox.every((m) => m.to.length === 1 && m.to[0] === "ops@example.com")).toBe(true);
    const subjects = inbox.map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1]).sort();
    expect(subjects.every((s) => s?.startsWith("[Mail <b>Team</b>]"))).toBe(true);
    expect(inbox.every((m) => /Content-Type: text\/plain/i.test(m.raw) && !/text\/html/i.test(m.raw))).toBe(true);
  });
});
