// Runs once when a server instance starts: background work every instance may do safely. Expiring grants locks
// each team row, Free's allowance is keyed per team and cycle, an auto top-up claim is a conditional update, and
// emails are claimed with SKIP LOCKED.
const MINUTE = 60_000;

export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.DATABASE_URL) return;
  const [
    { startGrantExpiryJob },
    { startPlanCreditsJob },
    { db },
    { stripeSettings, createStripeClient },
    { stripeGateway },
    { sweepAutoTopUps },
    { startStatementsJob },
  ] = await Promise.all([
    import("./lib/billing/jobs/start-grant-expiry-job"),
    import("./lib/billing/jobs/start-plan-credits-job"),
    import("./lib/db/client"),
    import("./lib/stripe/client"),
    import("./lib/stripe/gateway"),
    import("./lib/billing/auto-top-up/sweep-auto-top-ups"),
    import("./lib/billing/jobs/start-statements-job"),
  ]);
  startGrantExpiryJob({ db: db() });
  startPlanCreditsJob({ db: db() });
  const settings = stripeSettings();
  if (settings) {
    // A client of its own, not the process's stripeClient(): this file is bundled apart from the routes, with its own
    // copy of the SDK, and a client cached from here would throw errors the routes' `instanceof` checks do not know.
    const gateway = stripeGateway(createStripeClient(settings));
    // Finishes auto top-ups whose claim was left in flight (a crash between claim and charge).
    setInterval(() => {
      sweepAutoTopUps({ db: db(), gateway }).catch((e: unknown) => console.error("[creditdesk] auto top-up sweep failed:", e));
    }, MINUTE).unref();
    // Bills what teams drew below zero (overage, credit lines) at each cycle's end.
    startStatementsJob({ db: db(), gateway });
  }
  const emailServer = process.env.EMAIL_SERVER;
  if (emailServer) {
    const [{ default: nodemailer }, { sendPendingEmails }] = await Promise.all([import("nodemailer"), import("./lib/notifications/send-pending-emails")]);
    const transport = nodemailer.createTransport(emailServer);
    const from = process.env.EMAIL_FROM || "Creditdesk <billing@localhost>";
    // Budget alerts and auto top-up failures are emailed within half a minute.
    setInterval(() => {
      sendPendingEmails({ db: db(), transport, from }).catch((e: unknown) => console.error("[creditdesk] notification emails failed:", e));
    }, MINUTE / 2).unref();
  }
}
